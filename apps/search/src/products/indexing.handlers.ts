import { Injectable } from '@nestjs/common';
import {
  ProductChanged,
  PromotionsChanged,
  StockChanged,
  type EventData,
} from '@mercato/contracts';
import { OnEvent } from '@mercato/messaging';
import { SearchIndexer } from './search-indexer.service';

/** Catalog and inventory events that change what the index holds: translate only. */
@Injectable()
export class IndexingHandlers {
  constructor(private readonly indexer: SearchIndexer) {}

  @OnEvent(ProductChanged, { group: 'search' })
  async productChanged(event: EventData<typeof ProductChanged>): Promise<void> {
    await this.indexer.reindex(event.productId);
  }

  @OnEvent(StockChanged, { group: 'search' })
  async stockChanged(event: EventData<typeof StockChanged>): Promise<void> {
    this.indexer.scheduleReindex(event.productId);
  }

  /** Any price may have changed; the pass runs in the background so the partition moves on. */
  @OnEvent(PromotionsChanged, { group: 'search' })
  async promotionsChanged(event: EventData<typeof PromotionsChanged>): Promise<void> {
    this.indexer.startFullReindex(`promotions epoch ${event.epoch}`);
  }
}
