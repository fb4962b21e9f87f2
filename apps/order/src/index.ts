// What the all-in-one store composes: the app's module and its config fields.
export { OrderModule } from './order.module';
export { orderConfigShape } from './order.config';
// The order app's tables as plain data (registered by its modules; for infrastructure code too).
export {
  ORDER_TABLES,
  ORDERS_TABLE,
  ORDER_EVENTS_TABLE,
  ORDER_INDEXES,
  SELLER_ORDERS_TABLE,
} from './orders/orders.tables';
export { PAYMENTS_TABLES } from './payments/payments.tables';
export { IDEMPOTENCY_TABLES } from './idempotency/idempotency.tables';
export { FRAUD_TABLES } from './fraud/fraud.tables';
export { CHECKOUT_TABLES } from './checkout/checkout.tables';
