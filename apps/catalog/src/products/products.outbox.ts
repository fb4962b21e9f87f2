import { Injectable, Optional, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { InjectConfig } from '@mercato/config';
import { MessageBus } from '@mercato/messaging';
import { OutboxRelay, TableNames } from '@mercato/persistence';
import { catalogSettings } from '../catalog.config';
import { ProductWritesService } from './product-writes.service';
import { PRODUCTS_TABLE } from './products.tables';

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
    doc: DynamoDBDocumentClient,
    tables: TableNames,
    writes: ProductWritesService,
    @InjectConfig() config: object,
    @Optional() private readonly bus?: MessageBus,
  ) {
    const settings = catalogSettings(config);
    this.relay = new OutboxRelay({
      name: 'products',
      doc,
      table: tables.of(PRODUCTS_TABLE),
      intervalMs: settings.CATALOG_OUTBOX_INTERVAL_MS,
      graceMs: settings.CATALOG_OUTBOX_GRACE_MS,
      deliver: (key) => writes.deliver(key.productId as string),
    });
  }

  onModuleInit(): void {
    if (this.bus) this.relay.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.relay.stop();
  }
}
