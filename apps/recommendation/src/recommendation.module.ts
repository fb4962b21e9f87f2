import { Module } from '@nestjs/common';

/**
 * The recommendation service: interaction ingestion, similar items, also-bought, trending and personalised recommendations.
 * Its domain arrives with its roadmap issue (docs/architecture.md, "Roadmap"); until then the app
 * runs with the shared engines, health and metrics so the seven-process topology is real.
 */
@Module({})
export class RecommendationModule {}
