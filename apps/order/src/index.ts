// What the all-in-one store composes: the app's module and its config fields.
export { OrderModule } from './order.module';
export { orderConfigShape } from './order.config';
