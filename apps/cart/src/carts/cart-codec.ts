import { z } from 'zod';
import { cartSchema, type Cart, type CartOwner } from './cart.model';
import { CorruptCartError } from './cart-store.errors';

/** Parses what a store read back; anything that is not a cart is a CorruptCartError naming it. */
export function parseStoredCart(cartId: string, stored: unknown): Cart {
  const parsed = cartSchema.safeParse(stored);
  if (!parsed.success) throw new CorruptCartError(cartId, z.prettifyError(parsed.error));
  if (parsed.data.cartId !== cartId) {
    throw new CorruptCartError(cartId, `it holds cart "${parsed.data.cartId}"`);
  }
  return parsed.data;
}

/** Parses a stored JSON text as a cart (the Redis form). */
export function parseStoredCartJson(cartId: string, text: string): Cart {
  let stored: unknown;
  try {
    stored = JSON.parse(text);
  } catch (error) {
    throw new CorruptCartError(cartId, 'not JSON', { cause: error });
  }
  return parseStoredCart(cartId, stored);
}

/** The owner as one comparable string, what adapters check a save against. */
export function ownerKey(owner: CartOwner): string {
  return owner.kind === 'guest' ? 'guest' : `customer:${owner.customerId}`;
}
