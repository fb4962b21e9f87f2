import { problemDetailsSchema } from '@mercato/runtime';
import { createZodDto } from 'nestjs-zod';

/** The problem+json body of every error response, for the OpenAPI document. */
export class ProblemDetailsDto extends createZodDto(problemDetailsSchema) {}
