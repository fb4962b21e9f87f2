import { z } from 'zod';

/** Settings of the order events' delivery (projection and bus), merged into the order config. */
export const ordersConfigShape = {
  /** How often the relay looks for order-event appends whose writer did not deliver them. */
  ORDER_OUTBOX_INTERVAL_MS: z.coerce.number().int().min(50).max(600_000).default(1_000),
  /** An append younger than this still belongs to its writer, which is delivering it. */
  ORDER_OUTBOX_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(5_000),
};

const ordersSettingsSchema = z.object(ordersConfigShape);
export type OrdersSettings = z.infer<typeof ordersSettingsSchema>;

/** The settings out of the process config, defaults filled in. */
export const ordersSettings = (config: object): OrdersSettings =>
  ordersSettingsSchema.parse(config);
