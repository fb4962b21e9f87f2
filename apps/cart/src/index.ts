// What the all-in-one store composes: the app's module and its config fields.
export { CartModule } from './cart.module';
export { cartConfigShape } from './cart.config';
// The cart app's table definitions, for infrastructure code (ADR 0013).
export { CART_TABLES } from './carts/carts.tables';
