import { Module } from '@nestjs/common';

/**
 * The cart service: carts in Redis: guest carts, merge on login, coupons, the priced cart view.
 * Its domain arrives with its roadmap issue (docs/architecture.md, "Roadmap"); until then the app
 * runs with the shared engines, health and metrics so the seven-process topology is real.
 */
@Module({})
export class CartModule {}
