// What the all-in-one store composes: the app's module, its config fields and API docs info.
export { GatewayModule } from './gateway.module';
export { gatewayConfigShape } from './gateway.config';
export { API_DOCS } from './api-docs';
