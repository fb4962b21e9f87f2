import { BadRequestException, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { REGIONS, type Region, regionSchema } from '@mercato/contracts';
import type { FastifyRequest } from 'fastify';

export const REGION_HEADER = 'x-region';
export const DEFAULT_REGION: Region = 'us';

/** Resolves the region from `X-Region`: `us` when absent, 400 when unknown or empty. */
export function resolveRegion(header: unknown): Region {
  if (header === undefined) return DEFAULT_REGION;
  const parsed = regionSchema.safeParse(typeof header === 'string' ? header.toLowerCase() : header);
  if (!parsed.success) {
    throw new BadRequestException({
      message: `X-Region must be one of ${REGIONS.join(', ')}`,
      code: 'UNKNOWN_REGION',
    });
  }
  return parsed.data;
}

/**
 * The request's region: the `X-Region` header, else the signed-in customer's profile region
 * (when a guard such as OptionalAuthGuard put the caller on the request), else the default.
 */
export const RequestRegion = createParamDecorator(
  (_: unknown, context: ExecutionContext): Region => {
    const request = context
      .switchToHttp()
      .getRequest<FastifyRequest & { user?: { region?: Region } }>();
    const header = request.headers[REGION_HEADER];
    if (header === undefined && request.user?.region) return request.user.region;
    return resolveRegion(header);
  },
);
