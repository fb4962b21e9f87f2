import {
  FEED_MAX_ROWS,
  feedRowResultSchema,
  SKU_RULE,
  skuSchema,
  skuStockSchema,
  warehouseIdSchema,
} from '@mercato/contracts';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

/** Most rows one feed request may carry; the gateway sends them to inventory in chunks. */
export const STOCK_FEED_MAX_ROWS = 50_000;

/**
 * A SKU in a path: the sellers' SKU rule, exactly as the product wrote it (stock items are kept
 * per SKU as sent; only uniqueness ignores case). A `/` in it is sent percent-encoded.
 */
export const skuParamSchema = z.strictObject({
  sku: skuSchema.meta({
    description:
      `The SKU exactly as its product has it (${SKU_RULE}). Percent-encode it as a path ` +
      'segment: a `/` is sent as `%2F` (e.g. `AB/12` as `AB%2F12`)',
    example: 'NOR-000001-1', // a SKU of the demo catalog's first product
  }),
});
export class SkuParamDto extends createZodDto(skuParamSchema) {}

const quantity = z.number().int().min(1).max(1_000_000).describe('Units, a positive integer');

export const restockBodySchema = z
  .strictObject({ warehouseId: warehouseIdSchema, quantity })
  .meta({ example: { warehouseId: 'us-east', quantity: 120 } });
export class RestockBodyDto extends createZodDto(restockBodySchema) {}

export const transferBodySchema = z
  .strictObject({ fromWarehouseId: warehouseIdSchema, toWarehouseId: warehouseIdSchema, quantity })
  .refine((body) => body.fromWarehouseId !== body.toWarehouseId, {
    message: 'must differ from fromWarehouseId',
    path: ['toWarehouseId'],
  })
  .meta({ example: { fromWarehouseId: 'us-east', toWarehouseId: 'eu-west', quantity: 10 } });
export class TransferBodyDto extends createZodDto(transferBodySchema) {}

const stockExample = {
  sku: 'NOR-000001-1',
  version: 7,
  warehouses: [
    { warehouseId: 'us-east', onHand: 110, reserved: 3, available: 107, writtenOff: 0 },
    { warehouseId: 'eu-west', onHand: 40, reserved: 0, available: 40, writtenOff: 1 },
    { warehouseId: 'ap-south', onHand: 12, reserved: 0, available: 12, writtenOff: 0 },
  ],
};

export const stockCommandResponseSchema = z
  .object({ operationId: z.string(), stock: skuStockSchema })
  .meta({ example: { operationId: '5f0e…', stock: stockExample } });
export class StockCommandResponseDto extends createZodDto(stockCommandResponseSchema) {}

/**
 * The feed body is a JSON array of rows. Rows are NOT validated here: each is checked on its own
 * by inventory and answered in `results`, so one bad row never rejects the feed.
 */
export const stockFeedBodySchema = z
  .array(z.unknown())
  .min(1)
  .max(STOCK_FEED_MAX_ROWS)
  .describe(
    `Rows {sku, warehouseId, onHand}; up to ${STOCK_FEED_MAX_ROWS} per request. Each row sets the ` +
      'on-hand count of one SKU in one warehouse.',
  )
  .meta({
    example: [
      { sku: 'NOR-000001-1', warehouseId: 'us-east', onHand: 120 },
      { sku: 'NOR-000001-2', warehouseId: 'eu-west', onHand: 0 },
    ],
  });

export const stockFeedResponseSchema = z
  .object({
    feedId: z.string(),
    summary: z.object({
      rows: z.number().int(),
      applied: z.number().int(),
      unchanged: z.number().int(),
      rejected: z.number().int(),
    }),
    results: z.array(feedRowResultSchema),
  })
  .meta({
    example: {
      feedId: 'feed-2026-11-25-0800',
      summary: { rows: 2, applied: 1, unchanged: 0, rejected: 1 },
      results: [
        { row: 0, sku: 'NOR-000001-1', warehouseId: 'us-east', status: 'applied' },
        {
          row: 1,
          sku: 'NOR-000001-2',
          warehouseId: 'eu-west',
          status: 'rejected',
          reason: 'onHand must be a non-negative integer',
        },
      ],
    },
  });
export class StockFeedResponseDto extends createZodDto(stockFeedResponseSchema) {}
export type StockFeedResponse = z.infer<typeof stockFeedResponseSchema>;

export { FEED_MAX_ROWS };
