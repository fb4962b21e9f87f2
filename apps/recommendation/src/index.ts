// What the all-in-one store composes: the app's module and its config fields.
export { RecommendationModule } from './recommendation.module';
export { recommendationConfigShape } from './recommendation.config';
export { RECOMMENDATION_TABLES } from './recommendation.tables';
