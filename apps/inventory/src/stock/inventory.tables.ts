import {
  OUTBOX_ATTRIBUTE_DEFINITIONS,
  OUTBOX_GSI,
  type TableDefinition,
} from '@mercato/persistence';

export const INVENTORY_INDEXES = { bySweep: 'bySweep' } as const;
/** Attributes of the Inventory table's sparse sweep index (set and removed by the stock repository). */
export const INVENTORY_SWEEP_ATTRIBUTES = { shard: 'sweepShard', at: 'sweepAt' } as const;

/**
 * One item per SKU: `warehouses` maps each warehouse id to `{ onHand, reserved, available }`,
 * so a reservation, restock or a transfer between two warehouses is one conditional UpdateItem.
 * The sparse `bySweep` index holds only items with work for the inventory sweeper (an open hold
 * to expire or an operation record to prune), keyed by shard and the time that work is due;
 * `byOutbox` (sparse) serves the stock outbox relay. Feed heads and chunks share the table
 * under their own keys (`feeds.repository.ts`).
 */
export const INVENTORY_TABLE: TableDefinition = {
  name: 'inventory',
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    { AttributeName: 'sku', AttributeType: 'S' },
    { AttributeName: INVENTORY_SWEEP_ATTRIBUTES.shard, AttributeType: 'S' },
    { AttributeName: INVENTORY_SWEEP_ATTRIBUTES.at, AttributeType: 'N' },
    ...OUTBOX_ATTRIBUTE_DEFINITIONS,
  ],
  KeySchema: [{ AttributeName: 'sku', KeyType: 'HASH' }],
  GlobalSecondaryIndexes: [
    OUTBOX_GSI,
    {
      IndexName: INVENTORY_INDEXES.bySweep,
      KeySchema: [
        { AttributeName: INVENTORY_SWEEP_ATTRIBUTES.shard, KeyType: 'HASH' },
        { AttributeName: INVENTORY_SWEEP_ATTRIBUTES.at, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    },
  ],
};

/** The tables the inventory app owns (registered by `InventoryModule`; exported for infrastructure). */
export const INVENTORY_TABLES: readonly TableDefinition[] = [INVENTORY_TABLE];
