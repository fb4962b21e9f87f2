import { Injectable } from '@nestjs/common';
import type { EventData, OrderChanged } from '@mercato/contracts';
import { InjectConfig } from '@mercato/config';
import { SearchIndexer } from '../products/search-indexer.service';
import { salesSignalsSettings, type SalesSignalsSettings } from './sales-signals.config';
import { keepUntil, salesOfOrderEvent } from './sales-signals.rules';
import { SalesRepository } from './sales.repository';

/**
 * Counts the sales of confirmed orders per product and day, once per order, and has the
 * products re-indexed so their signals reach search. Separate from `SalesSignals` because the
 * indexer reads signals and this writes them: one class doing both would depend on the indexer
 * that depends on it.
 */
@Injectable()
export class SalesRecorder {
  private readonly settings: SalesSignalsSettings;

  constructor(
    private readonly sales: SalesRepository,
    private readonly indexer: SearchIndexer,
    @InjectConfig() config: object,
  ) {
    this.settings = salesSignalsSettings(config);
  }

  /**
   * Records what an order event sold (only the event that confirms an order sells:
   * `salesOfOrderEvent`). Each product's write is idempotent on its own, so a failure part-way is
   * redelivered and completes the rest without counting the others twice. Re-indexes are
   * scheduled for every product of the order even when it was counted before: the delivery that
   * counted it may have died before scheduling them.
   */
  async recordOrderEvent(event: EventData<typeof OrderChanged>): Promise<void> {
    const sales = salesOfOrderEvent(event);
    if (!sales) return;
    const expiresAt = keepUntil(sales.day, this.settings);
    await Promise.all(
      [...sales.units].map(([productId, units]) =>
        this.sales.recordOrder(productId, sales.day, { orderId: sales.orderId, units, expiresAt }),
      ),
    );
    for (const productId of sales.units.keys()) this.indexer.scheduleReindex(productId);
  }
}
