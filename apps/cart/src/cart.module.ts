import { Module } from '@nestjs/common';
import { CartStoreModule } from './carts/cart-store.module';

/**
 * The cart service: guest carts, merge on login, coupons, the priced cart view
 * (docs/architecture.md, "Roadmap"). Built so far is where carts are kept: the `CartStore` port
 * (`CartStoreModule`: Redis on the stack, the `carts` table of the embedded store's dynalite
 * otherwise); the routes arrive with the rest of the cart.
 */
@Module({ imports: [CartStoreModule] })
export class CartModule {}
