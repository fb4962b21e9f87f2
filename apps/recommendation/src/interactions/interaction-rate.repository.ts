import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { KeyValueCache } from '@mercato/cache';

/** A minute's counter outlives its minute a little, for events arriving late in it. */
const COUNTER_TTL_SECONDS = 120;

/**
 * The bot cap's counters in the cache port (Redis on the stack, memory embedded): one key per
 * shopper and UTC minute, raised with the atomic `increment` so every consumer process counts
 * into the same number, created with a TTL so old minutes disappear on their own.
 */
@Injectable()
export class InteractionRateRepository {
  constructor(private readonly cache: KeyValueCache) {}

  /** Counts one more interaction of the shopper in the minute; answers the minute's count. */
  countOne(shopperKey: string, minute: number): Promise<number> {
    return this.cache.increment(
      `recs:rate:${hashed(shopperKey)}:${minute}`,
      1,
      COUNTER_TTL_SECONDS,
    );
  }
}

/** Shopper ids come from clients (`X-Device-Id`): a hash keeps keys short and separator-free. */
function hashed(shopperKey: string): string {
  return createHash('sha256').update(shopperKey).digest('base64url').slice(0, 22);
}
