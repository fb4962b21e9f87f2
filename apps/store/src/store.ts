import type { Type } from '@nestjs/common';
import { CartModule } from '@mercato/cart';
import { CatalogModule } from '@mercato/catalog';
import { API_DOCS, GatewayModule } from '@mercato/gateway';
import { InventoryModule } from '@mercato/inventory';
import { OrderModule } from '@mercato/order';
import { RecommendationModule } from '@mercato/recommendation';
import { SearchModule } from '@mercato/search';
import type { ServiceSpec } from '@mercato/runtime';

/**
 * The all-in-one host: the seven apps' modules in one process, talking over the in-process
 * bus exactly as they would over Kafka. It is the one place allowed to import apps.
 */
export const STORE_APPS: Type[] = [
  GatewayModule,
  CatalogModule,
  InventoryModule,
  SearchModule,
  CartModule,
  OrderModule,
  RecommendationModule,
];

export const STORE_SPEC: ServiceSpec = { service: 'store', features: STORE_APPS, docs: API_DOCS };
