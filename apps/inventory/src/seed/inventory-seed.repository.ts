import { Injectable } from '@nestjs/common';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { BatchWriter, TableNames } from '@mercato/persistence';
import type { StockItem } from '../stock/stock.model';
import { INVENTORY_TABLE } from '../stock/inventory.tables';

/** Marker item of the inventory seed (its `sku` cannot collide with a real SKU). */
export const INVENTORY_SEED_MARKER = { sku: '#seed#inventory' } as const;

/** What a finished seed recorded: the generator's inputs and how many SKUs it wrote. */
export interface InventorySeedMarker {
  seed: number;
  products: number;
  items: number;
  finishedAt: string;
}

/** Writes stock items in batches; `add` waits when enough writes are already in flight. */
export interface StockItemWriter {
  add(item: StockItem): Promise<void>;
  /** Waits for every item added so far (throws the first failed batch's error). */
  flush(): Promise<void>;
  /** Items written so far. */
  readonly written: number;
}

/** The Inventory-table I/O of the demo stock seed: its marker and its bulk item writes. */
@Injectable()
export class InventorySeedRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
  ) {}

  /** The marker of a finished seed; undefined when the table was never seeded. */
  async marker(): Promise<InventorySeedMarker | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tables.of(INVENTORY_TABLE), Key: INVENTORY_SEED_MARKER }),
    );
    return Item as InventorySeedMarker | undefined;
  }

  /**
   * A writer of whole stock items (unconditional batch puts: the seed runs on an empty table,
   * and a seed interrupted before its marker writes the same items again).
   */
  stockWriter(): StockItemWriter {
    const writer = new BatchWriter(this.doc, this.tables.of(INVENTORY_TABLE), 6);
    return {
      add: (item) => writer.add({ ...item }),
      flush: () => writer.flush(),
      get written() {
        return writer.written;
      },
    };
  }

  /** Records a finished seed; written last, so an interrupted seed runs again on next start. */
  async markSeeded(marker: InventorySeedMarker): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tables.of(INVENTORY_TABLE),
        Item: { ...INVENTORY_SEED_MARKER, ...marker },
      }),
    );
  }
}
