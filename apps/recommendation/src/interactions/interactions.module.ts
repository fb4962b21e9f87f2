import { Module } from '@nestjs/common';
import { PersistenceModule } from '@mercato/persistence';
import { InteractionRateRepository } from './interaction-rate.repository';
import { InteractionsHandlers } from './interactions.handlers';
import { InteractionsRepository } from './interactions.repository';
import { InteractionsService } from './interactions.service';
import { INTERACTIONS_TABLES } from './interactions.tables';

/**
 * The interaction stream (docs/recommendations.md): shoppers' histories from client, cart and
 * order events, device links, the bot cap, and `GetShopperHistory`. Expects the host's
 * ConfigModule, PersistenceModule, CacheModule and MessagingModule roots; registers its tables.
 */
@Module({
  imports: [PersistenceModule.forFeature(INTERACTIONS_TABLES)],
  providers: [
    InteractionsRepository,
    InteractionRateRepository,
    InteractionsService,
    InteractionsHandlers,
  ],
  exports: [InteractionsService],
})
export class InteractionsModule {}
