import { z } from 'zod';
import { defineEvent, defineRequest } from './contract';
import { regionSchema, WAREHOUSES, warehouseIdSchema } from './common';

export const skuAvailabilitySchema = z.object({
  sku: z.string(),
  available: z.number().int().nonnegative(),
  warehouses: z.array(
    z.object({ warehouseId: warehouseIdSchema, available: z.number().int().nonnegative() }),
  ),
});
export type SkuAvailability = z.infer<typeof skuAvailabilitySchema>;

/** Stock of the given SKUs, warehouses ordered nearest-first for the region. */
export const GetAvailability = defineRequest({
  type: 'inventory.availability.get',
  version: 1,
  owner: 'inventory',
  request: z.object({ skus: z.array(z.string().min(1)).min(1).max(100), region: regionSchema }),
  response: z.object({ items: z.array(skuAvailabilitySchema) }),
});

/**
 * Published after any change of a SKU's stock (reservation, sale, restock, transfer, return,
 * feed); read models that show availability drop or rebuild their copy of the product.
 * `version` (optional, added later) is the stock item's version after the change: a consumer
 * may ignore an event older than the copy it holds. An event can arrive twice (outbox relay).
 */
export const StockChanged = defineEvent({
  type: 'inventory.stock.changed',
  version: 1,
  owner: 'inventory',
  schema: z.object({
    sku: z.string().min(1),
    productId: z.string().min(1),
    version: z.number().int().positive().optional(),
  }),
});

// --- stock commands ----------------------------------------------------------------------------

/** Ids that make a command idempotent: the caller picks them and sends the same one on a retry. */
const commandIdSchema = z.string().min(1).max(128);
const skuSchema = z.string().min(1).max(128);
const quantitySchema = z.number().int().min(1).max(1_000_000);

/** A SKU's stock after a command, every warehouse. */
export const skuStockSchema = z.object({
  sku: z.string(),
  version: z.number().int().nonnegative(),
  warehouses: z.array(
    z.object({
      warehouseId: warehouseIdSchema,
      onHand: z.number().int().nonnegative(),
      reserved: z.number().int().nonnegative(),
      available: z.number().int().nonnegative(),
      writtenOff: z.number().int().nonnegative(),
    }),
  ),
});
export type SkuStock = z.infer<typeof skuStockSchema>;

/**
 * Holds `quantity` units of a SKU in the nearest warehouse of the region that can fill all of
 * them, until `ttlSeconds` (default INVENTORY_HOLD_TTL_SECONDS) pass. The same `reservationId`
 * again answers the same reservation. `insufficient.available` is the most units one warehouse
 * can hold right now (a reservation is never split across warehouses).
 *
 * Send it, and the reservation's commit and release, keyed by `reservationId`: one
 * reservation's commands stay in order, and the reservations of one hot SKU are handled side by
 * side instead of one at a time. Nothing relies on their order: each is a conditional write
 * (`available >= quantity`, ADR 0005), so no interleaving oversells.
 */
export const ReserveStock = defineRequest({
  type: 'inventory.stock.reserve',
  version: 1,
  owner: 'inventory',
  request: z.object({
    reservationId: commandIdSchema,
    sku: skuSchema,
    quantity: quantitySchema,
    region: regionSchema,
    ttlSeconds: z.number().int().min(1).max(86_400).optional(),
    /**
     * The warehouses to try, in this order, instead of the region's nearest-first list (added
     * with issue 20: checkout plans which warehouse fills each line so that an order ships
     * from as few places as it can, nearest to the shipping address first).
     */
    warehouseIds: z.array(warehouseIdSchema).min(1).max(WAREHOUSES.length).optional(),
  }),
  response: z.discriminatedUnion('status', [
    z.object({
      status: z.literal('reserved'),
      reservationId: z.string(),
      sku: z.string(),
      warehouseId: warehouseIdSchema,
      quantity: z.number().int().positive(),
      expiresAt: z.iso.datetime({ offset: true }),
      stock: skuStockSchema,
    }),
    z.object({
      status: z.literal('insufficient'),
      sku: z.string(),
      available: z.number().int().nonnegative(),
      stock: skuStockSchema,
    }),
  ]),
});

const reservationRefSchema = z.object({ reservationId: commandIdSchema, sku: skuSchema });

/** Turns a hold into a sale: on hand and reserved go down. Idempotent. */
export const CommitReservation = defineRequest({
  type: 'inventory.stock.commit',
  version: 1,
  owner: 'inventory',
  request: reservationRefSchema,
  response: z.object({
    status: z.literal('committed'),
    reservationId: z.string(),
    sku: z.string(),
    stock: skuStockSchema,
  }),
});

/** Gives a hold's units back to available. Idempotent; an expired hold answers `released` too. */
export const ReleaseReservation = defineRequest({
  type: 'inventory.stock.release',
  version: 1,
  owner: 'inventory',
  request: reservationRefSchema,
  response: z.object({
    status: z.literal('released'),
    reservationId: z.string(),
    sku: z.string(),
    stock: skuStockSchema,
  }),
});

const stockCommandResponse = z.object({ operationId: z.string(), stock: skuStockSchema });

/** A supplier delivery: adds units to a warehouse. Idempotent by `operationId`. */
export const RestockStock = defineRequest({
  type: 'inventory.stock.restock',
  version: 1,
  owner: 'inventory',
  request: z.object({
    operationId: commandIdSchema,
    sku: skuSchema,
    warehouseId: warehouseIdSchema,
    quantity: quantitySchema,
  }),
  response: stockCommandResponse,
});

/** Moves available units between two warehouses of a SKU. Idempotent by `operationId`. */
export const TransferStock = defineRequest({
  type: 'inventory.stock.transfer',
  version: 1,
  owner: 'inventory',
  request: z.object({
    operationId: commandIdSchema,
    sku: skuSchema,
    fromWarehouseId: warehouseIdSchema,
    toWarehouseId: warehouseIdSchema,
    quantity: quantitySchema,
  }),
  response: stockCommandResponse,
});

export const RETURN_CONDITIONS = ['resellable', 'damaged'] as const;

/**
 * A customer return arriving at a warehouse: resellable units go back on sale, damaged ones are
 * counted as written off. Idempotent by `operationId`.
 */
export const ReturnStock = defineRequest({
  type: 'inventory.stock.return',
  version: 1,
  owner: 'inventory',
  request: z.object({
    operationId: commandIdSchema,
    sku: skuSchema,
    warehouseId: warehouseIdSchema,
    quantity: quantitySchema,
    condition: z.enum(RETURN_CONDITIONS),
  }),
  response: stockCommandResponse,
});

// --- stock feeds -------------------------------------------------------------------------------

export const FEED_MAX_ROWS = 1_000;

/** One row of a stock feed; rows are validated one by one by inventory (`feedRowSchema`). */
export const feedRowSchema = z.object({
  sku: skuSchema,
  warehouseId: warehouseIdSchema,
  onHand: z.number().int().nonnegative().max(100_000_000),
});
export type FeedRow = z.infer<typeof feedRowSchema>;

export const feedRowResultSchema = z.object({
  /** Global row number (0-based): the chunk's `offset` plus the row's index in the chunk. */
  row: z.number().int().nonnegative(),
  sku: z.string().optional(),
  warehouseId: warehouseIdSchema.optional(),
  status: z.enum(['applied', 'unchanged', 'rejected']),
  reason: z.string().optional(),
});
export type FeedRowResult = z.infer<typeof feedRowResultSchema>;

/**
 * A chunk (at most FEED_MAX_ROWS rows) of a seller's or supplier's stock feed: each row sets a
 * warehouse's on-hand count absolutely. Rows are checked one by one; bad rows are rejected with a
 * reason and do not stop the others. Without `sellerId` the feed is an admin feed (any SKU).
 */
export const ApplyStockFeed = defineRequest({
  type: 'inventory.feed.apply',
  version: 1,
  owner: 'inventory',
  request: z.object({
    feedId: commandIdSchema,
    sellerId: z.string().min(1).max(128).optional(),
    rows: z.array(z.unknown()).max(FEED_MAX_ROWS),
    offset: z.number().int().nonnegative().default(0),
  }),
  response: z.object({ results: z.array(feedRowResultSchema) }),
});
