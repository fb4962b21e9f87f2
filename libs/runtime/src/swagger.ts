import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { declareProblemResponses } from './openapi-problems';

export interface ApiDocumentInfo {
  title: string;
  description: string;
  version: string;
}

/**
 * Builds the OpenAPI 3.1 document from the controllers and DTO schemas in the running app. 3.1,
 * because zod emits JSON Schema 2020-12 (`exclusiveMinimum: 0`, `type: ["string", "null"]`),
 * which is invalid in a 3.0 document.
 */
export function buildOpenApiDocument(app: INestApplication, info: ApiDocumentInfo): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(info.title)
    .setDescription(info.description)
    .setVersion(info.version)
    .setOpenAPIVersion('3.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, 'apiKey')
    .build();
  return declareProblemResponses(cleanupOpenApiDoc(SwaggerModule.createDocument(app, config)));
}

/** Serves Swagger UI at /docs and the OpenAPI JSON at /docs-json. */
export function serveApiDocs(app: INestApplication, document: OpenAPIObject): void {
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    customSiteTitle: `${document.info.title} — API`,
  });
}
