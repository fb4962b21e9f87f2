import { Module } from '@nestjs/common';
import { CartHandlers } from './cart/cart.handlers';
import { CartService } from './cart/cart.service';
import { CartFacts } from './cart/cart-facts';
import { CartStoreModule } from './carts/cart-store.module';

/**
 * The cart service: guest and customer carts, merge at login, coupons, the priced cart view
 * (repriced through catalog's `QuoteCart` on every read), all over the bus. Carts live behind
 * the `CartStore` port (`CartStoreModule`: Redis on the stack, the `carts` table of the embedded
 * store's dynalite otherwise). Expects the host's global config and messaging roots.
 */
@Module({
  imports: [CartStoreModule],
  providers: [CartFacts, CartService, CartHandlers],
})
export class CartModule {}
