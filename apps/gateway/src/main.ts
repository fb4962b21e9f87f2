import 'reflect-metadata';
import { runService } from '@mercato/runtime';
import { API_DOCS } from './api-docs';
import { gatewayConfigSchema } from './gateway.config';
import { GatewayModule } from './gateway.module';

void runService(gatewayConfigSchema, {
  service: 'gateway',
  features: [GatewayModule],
  docs: API_DOCS,
  // Every gateway bus call is given the request's correlation id (ADR 0012).
  correlation: 'explicit',
});
