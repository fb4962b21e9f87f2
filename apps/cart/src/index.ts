// What the all-in-one store composes: the app's module and its config fields.
export { CartModule } from './cart.module';
export { cartConfigShape } from './cart.config';
