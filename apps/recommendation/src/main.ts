import 'reflect-metadata';
import { runService } from '@mercato/runtime';
import { recommendationConfigSchema } from './recommendation.config';
import { RecommendationModule } from './recommendation.module';

void runService(recommendationConfigSchema, {
  service: 'recommendation',
  features: [RecommendationModule],
});
