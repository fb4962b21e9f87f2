import { Module } from '@nestjs/common';

/**
 * The search service: full-text search, facets, autocomplete and ranking over the OpenSearch `products` index.
 * Its domain arrives with its roadmap issue (docs/architecture.md, "Roadmap"); until then the app
 * runs with the shared engines, health and metrics so the seven-process topology is real.
 */
@Module({})
export class SearchModule {}
