import { Module } from '@nestjs/common';
import { PersistenceModule } from '@mercato/persistence';
import { ORDER_TABLES } from './orders/orders.tables';

/**
 * The order service: checkout, payments, fraud scoring, the event-sourced order saga and fulfilment.
 * Its domain arrives with its roadmap issue (docs/architecture.md, "Roadmap"); until then the app
 * runs with the shared engines, health and metrics so the seven-process topology is real. It
 * registers its table (`ORDER_TABLES`, the order app's data design) so every store creates it.
 */
@Module({ imports: [PersistenceModule.forFeature(ORDER_TABLES)] })
export class OrderModule {}
