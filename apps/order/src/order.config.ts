import { z } from 'zod';
import { portShape, standaloneConfigShape, withCoreConfig } from '@mercato/config';
import { checkoutConfigShape } from './checkout/checkout.config';
import { fraudConfigShape } from './fraud/fraud.config';
import { idempotencyConfigShape } from './idempotency/idempotency.config';
import { lifecycleConfigShape } from './lifecycle/lifecycle.config';
import { ordersConfigShape } from './orders/orders.config';
import { paymentsConfigShape } from './payments/payments.config';

/** The order app's own settings: its parts' (payments, idempotency of checkout, fraud, orders, checkout). */
export const orderConfigShape = {
  ...paymentsConfigShape,
  ...idempotencyConfigShape,
  ...fraudConfigShape,
  ...ordersConfigShape,
  ...checkoutConfigShape,
  ...lifecycleConfigShape,
};

/** Configuration of the order app when it runs alone. */
export const orderConfigSchema = withCoreConfig({
  ...standaloneConfigShape,
  ...portShape(3004),
  ...orderConfigShape,
});
export type OrderConfig = z.infer<typeof orderConfigSchema>;
