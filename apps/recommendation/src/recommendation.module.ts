import { Module } from '@nestjs/common';
import { InteractionsModule } from './interactions/interactions.module';

/**
 * The recommendation service (docs/recommendations.md). `interactions/`: every shopper's
 * interaction history from the gateway's client events and the cart's and orders' events
 * (the `interactions` and `shopper-links` tables), answering `GetShopperHistory`. The models
 * (similar, also-bought, trending, personalised) arrive with the rest of issue 21. Expects the
 * host's global config, persistence, cache and messaging roots.
 */
@Module({ imports: [InteractionsModule] })
export class RecommendationModule {}
