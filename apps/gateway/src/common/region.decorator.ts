import { BadRequestException, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { REGIONS, type Region, regionSchema } from '@mercato/contracts';
import type { FastifyRequest } from 'fastify';

export const REGION_HEADER = 'x-region';
export const DEFAULT_REGION: Region = 'us';

/**
 * The one reading of `X-Region`, for every route that prices or stocks by region (through
 * `@RequestRegion()`) and for the door of product detail (product-detail.fast-path.ts).
 *
 * - Absent: the signed-in caller's region (`callerRegion`, from the token the guards checked),
 *   else `us`.
 * - Present: the region it names, in any letter case; `undefined` when it names none — an empty
 *   header included — which `@RequestRegion()` answers 400 `UNKNOWN_REGION`.
 */
export function parseRegion(header: unknown, callerRegion?: Region): Region | undefined {
  // `||`, not `??`: a token without a region (an empty one included) leaves the default.
  if (header === undefined) return callerRegion || DEFAULT_REGION;
  const parsed = regionSchema.safeParse(typeof header === 'string' ? header.toLowerCase() : header);
  return parsed.success ? parsed.data : undefined;
}

/**
 * The request's region by `parseRegion`: the `X-Region` header, else the signed-in customer's
 * profile region (when a guard such as OptionalAuthGuard put the caller on the request), else
 * `us`; an unknown or empty header is 400 problem+json `UNKNOWN_REGION`.
 */
export const RequestRegion = createParamDecorator(
  (_: unknown, context: ExecutionContext): Region => {
    const request = context
      .switchToHttp()
      .getRequest<FastifyRequest & { user?: { region?: Region } }>();
    const region = parseRegion(request.headers[REGION_HEADER], request.user?.region);
    if (region === undefined) {
      throw new BadRequestException({
        message: `X-Region must be one of ${REGIONS.join(', ')}`,
        code: 'UNKNOWN_REGION',
      });
    }
    return region;
  },
);
