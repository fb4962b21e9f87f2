import { warehouseEventBodySchema, warehouseEventResultSchema } from '@mercato/contracts';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { ORDER_VIEW_EXAMPLE, RETURN_ID_EXAMPLE } from '../orders/orders.dto';

const SHIPMENT_ID_EXAMPLE = 'sh-us-east-1';

/** Strict: a warehouse system sending a field we do not know is told so (400), not ignored. */
export const warehouseEventRequestSchema = z.strictObject(warehouseEventBodySchema.shape).meta({
  example: {
    shipmentId: SHIPMENT_ID_EXAMPLE,
    eventId: 'wh-us-east-20261207-000123',
    type: 'shipped',
    occurredAt: '2026-12-07T16:40:00-05:00',
    trackingNumber: '1Z999AA10123456784',
  },
});
export class WarehouseEventRequestDto extends createZodDto(warehouseEventRequestSchema) {}

export const warehouseEventResponseSchema = warehouseEventResultSchema.meta({
  example: {
    orderId: ORDER_VIEW_EXAMPLE.orderId,
    shipmentId: SHIPMENT_ID_EXAMPLE,
    eventId: 'wh-us-east-20261207-000123',
    shipmentStatus: 'shipped',
    orderStatus: 'shipped',
  },
});
export class WarehouseEventResultDto extends createZodDto(warehouseEventResponseSchema) {}

const pathId = (example: string, message: string) =>
  z
    .string()
    .min(1)
    .max(128)
    .regex(/^[A-Za-z0-9_-]+$/, message)
    .meta({ example });

export const returnIdParamSchema = z.strictObject({
  orderId: pathId(ORDER_VIEW_EXAMPLE.orderId, 'must be an order id'),
  returnId: pathId(RETURN_ID_EXAMPLE, 'must be a return id'),
});
export class ReturnIdParamDto extends createZodDto(returnIdParamSchema) {}
