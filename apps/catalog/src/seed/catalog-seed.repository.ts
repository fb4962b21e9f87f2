import { Injectable } from '@nestjs/common';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { BatchWriter, TableNames } from '@mercato/persistence';
import { PRODUCTS_TABLE } from '../products/products.tables';

/** Key of the item that records a finished seed (a partition no product id can take). */
export const CATALOG_SEED_MARKER = { productId: '#seed', variantId: '#catalog' } as const;

/** What the marker records about the seed that wrote the catalog. */
export interface CatalogSeedMarker {
  seed: number;
  products: number;
  /** Item layout the seed wrote; absent on a store seeded before layouts were numbered (1). */
  layout?: number;
  items?: number;
  finishedAt?: string;
}

/** Collects the seed's items and writes them in batches; `written` counts the stored ones. */
export interface SeedItemWriter {
  add(item: Record<string, unknown>): Promise<void>;
  /** Waits for every batch; throws the first batch failure. */
  flush(): Promise<void>;
  readonly written: number;
}

/**
 * Batch writes a seed keeps in flight: enough to keep the store busy while the generator runs,
 * and a bound, so a 100,000-product stream never piles up in memory.
 */
const SEED_WRITE_CONCURRENCY = 6;

/** The seed's own I/O in the Products table: its marker item and its bulk item writes. */
@Injectable()
export class CatalogSeedRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
  ) {}

  async findMarker(): Promise<CatalogSeedMarker | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tables.of(PRODUCTS_TABLE), Key: CATALOG_SEED_MARKER }),
    );
    return Item as CatalogSeedMarker | undefined;
  }

  /** Written last, so a seed interrupted before it runs again on the next start. */
  async writeMarker(marker: Required<CatalogSeedMarker>): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tables.of(PRODUCTS_TABLE),
        Item: { ...CATALOG_SEED_MARKER, ...marker },
      }),
    );
  }

  /** A bounded pipeline of unconditional batch puts (seed items are deterministic). */
  itemWriter(): SeedItemWriter {
    return new BatchWriter(this.doc, this.tables.of(PRODUCTS_TABLE), SEED_WRITE_CONCURRENCY);
  }
}
