// What the all-in-one store composes: the app's module and its config fields.
export { OrderModule } from './order.module';
export { orderConfigShape } from './order.config';
// The order app's table as plain data (registered by OrderModule; for infrastructure code too).
export { ORDER_TABLES, ORDERS_TABLE, ORDER_INDEXES } from './orders/orders.tables';
