import { Injectable, Optional, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectConfig } from '@mercato/config';
import { MessageBus } from '@mercato/messaging';
import type { OutboxRelay } from '@mercato/persistence';
import { catalogSettings } from '../catalog.config';
import { ProductWritesService } from './product-writes.service';
import { ProductsOutboxRepository } from './products-outbox.repository';

/**
 * The outbox relay of the Products table: every CATALOG_OUTBOX_INTERVAL_MS it finds product
 * meta items still marked pending after CATALOG_OUTBOX_GRACE_MS (their writer died or lost the
 * broker) and runs ProductWritesService.deliver for them (derive, publish, clear). Runs only
 * where a message bus is (not in the seed script).
 */
@Injectable()
export class ProductsOutbox implements OnModuleInit, OnModuleDestroy {
  readonly relay: OutboxRelay;

  constructor(
    outbox: ProductsOutboxRepository,
    writes: ProductWritesService,
    @InjectConfig() config: object,
    @Optional() private readonly bus?: MessageBus,
  ) {
    const settings = catalogSettings(config);
    this.relay = outbox.pendingProductsRelay({
      intervalMs: settings.CATALOG_OUTBOX_INTERVAL_MS,
      graceMs: settings.CATALOG_OUTBOX_GRACE_MS,
      deliver: (productId) => writes.deliver(productId),
    });
  }

  onModuleInit(): void {
    if (this.bus) this.relay.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.relay.stop();
  }
}
