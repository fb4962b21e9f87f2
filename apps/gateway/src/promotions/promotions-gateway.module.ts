import { Module } from '@nestjs/common';
import { PromotionsController } from './promotions.controller';

/** Admin routes of promotions; the rules live in catalog. */
@Module({ controllers: [PromotionsController] })
export class PromotionsGatewayModule {}
