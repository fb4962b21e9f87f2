import { Injectable } from '@nestjs/common';
import { InjectConfig } from '@mercato/config';
import { mapLimit } from '../products/map-limit';
import { salesSignalsSettings, type SalesSignalsSettings } from './sales-signals.config';
import {
  firstDayRead,
  signalsOfSales,
  utcDay,
  type SalesSignalValues,
} from './sales-signals.rules';
import { SearchClock } from '../search.clock';
import { SalesRepository } from './sales.repository';

/** Queries in flight during a full re-index (one per product; the indexer runs 8 products at once). */
const MANY_CONCURRENCY = 8;

/**
 * Popularity and sales velocity of products, for their search documents (docs/search.md,
 * "Sales signals"): one Query per product over its days in the longer window, the formulas in
 * `sales-signals.rules.ts`. Values move with the day as well as with sales; the index follows
 * a new day through the full re-index.
 */
@Injectable()
export class SalesSignals {
  private readonly settings: SalesSignalsSettings;

  constructor(
    private readonly sales: SalesRepository,
    private readonly clock: SearchClock,
    @InjectConfig() config: object,
  ) {
    this.settings = salesSignalsSettings(config);
  }

  async signalsOf(productId: string): Promise<SalesSignalValues> {
    return this.signalsOn(productId, utcDay(this.clock.now()));
  }

  /** Signals of many products (a full re-index), all as of the same day. */
  async signalsOfMany(productIds: readonly string[]): Promise<Map<string, SalesSignalValues>> {
    const today = utcDay(this.clock.now());
    const unique = [...new Set(productIds)];
    const signals = await mapLimit(unique, MANY_CONCURRENCY, (productId) =>
      this.signalsOn(productId, today),
    );
    return new Map(unique.map((productId, i) => [productId, signals[i]] as const));
  }

  private async signalsOn(productId: string, today: string): Promise<SalesSignalValues> {
    const sales = await this.sales.salesSince(productId, firstDayRead(today, this.settings));
    return signalsOfSales(sales, today, this.settings);
  }
}
