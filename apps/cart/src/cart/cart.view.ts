import type { CartQuote, CartView } from '@mercato/contracts';
import type { Cart } from '../carts/cart.model';
import { priceChanged, sameSku } from './cart.rules';

/**
 * The priced cart: the stored lines with the quote's current prices and promotions. Lines the
 * quote could not price (SKU gone, no price in the region) are listed apart, still in the cart.
 */
export function cartView(cart: Cart, quote: CartQuote): CartView {
  const items: CartView['items'] = [];
  const unavailableItems: CartView['unavailableItems'] = [];
  for (const line of cart.lines) {
    const quoted = quote.lines.find((q) => sameSku(q.sku, line.sku));
    if (!quoted) {
      unavailableItems.push({ sku: line.sku, quantity: line.quantity });
      continue;
    }
    items.push({
      sku: line.sku,
      productId: quoted.productId,
      variantId: quoted.variantId,
      sellerId: quoted.sellerId,
      title: quoted.title,
      attributes: quoted.attributes,
      imageUrl: quoted.imageUrl,
      quantity: line.quantity,
      unitPrice: quoted.listPrice,
      lineTotal: quoted.lineTotal,
      discount: quoted.discount,
      discounts: quoted.appliedPromotions,
      priceChanged: priceChanged(line, quoted.listPrice),
      unitPriceWhenAdded: line.unitPriceWhenAdded,
    });
  }
  return {
    cartId: cart.cartId,
    region: quote.region,
    currency: quote.currency,
    items,
    unavailableItems,
    coupons: quote.coupons,
    subtotal: quote.subtotal,
    discount: quote.discount,
    total: quote.total,
    itemCount: cart.lines.reduce((sum, line) => sum + line.quantity, 0),
    version: cart.version,
    expiresAt: cart.expiresAt,
  };
}
