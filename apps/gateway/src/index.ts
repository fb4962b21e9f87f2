// What the all-in-one store composes: the app's module, its config fields and API docs info.
export { GatewayModule } from './gateway.module';
export { gatewayConfigShape } from './gateway.config';
export { API_DOCS } from './api-docs';
// The gateway's tables (identity's Customers table) as plain data: the module registers them;
// infrastructure code derives the deployed tables from the same definitions.
export {
  IDENTITY_TABLES as GATEWAY_TABLES,
  CUSTOMERS_TABLE,
  CUSTOMER_INDEXES,
} from './identity/identity.tables';
