import type { Cart, NewCart } from './cart.model';

/** What `create` answers: the stored cart, or why none was stored (nothing was written then). */
export type CreateCartResult =
  | { outcome: 'created'; cart: Cart }
  /** A live cart already has this id. */
  | { outcome: 'duplicate-cart-id' }
  /** The customer already has a live cart (one per customer); `cartId` is that cart. */
  | { outcome: 'customer-has-cart'; cartId: string };

/** What `save` answers. A conflict is expected under concurrency: re-read, re-apply, save again. */
export type SaveCartResult =
  | { outcome: 'saved'; cart: Cart }
  /** Someone saved since this cart was read: its `version` is stale. */
  | { outcome: 'conflict'; cartId: string }
  /** The cart is gone (deleted or idle-expired) since it was read. */
  | { outcome: 'not-found'; cartId: string };

/** Milliseconds since the epoch; injectable so tests move time instead of waiting for it. */
export type Clock = () => number;

/**
 * The cart store port (the abstract class is the injection token). Carts are a customer's data,
 * so every adapter is durable: Redis with append-only persistence on the stack, DynamoDB (the
 * embedded dynalite on disk, or AWS) otherwise.
 *
 * Semantics every adapter keeps (checked by `cartStoreContract` in @mercato/testing):
 * - `get` answers the live cart or `undefined` (unknown, deleted or idle-expired);
 * - `findByCustomer` answers the customer's live cart (at most one per customer) or `undefined`;
 * - `create` stores version 1 with `updatedAt` = now and `expiresAt` = now + the owner kind's
 *   idle time; it refuses an id in use and a second live cart for one customer;
 * - `save(cart)` is a compare-and-set on `cart.version` (the version it was read at): it stores
 *   the cart as version + 1, touched now, expiry pushed back by the idle time, or answers
 *   `conflict` (stale version) or `not-found`. The owner is fixed at creation: a save that
 *   changes it is a programming error and rejects;
 * - `delete` removes the cart and its customer index (missing ids are ignored);
 * - a stored cart that does not parse rejects with `CorruptCartError` naming the cart.
 *
 * Lifecycle: `init()` connects, `close()` disconnects; neither owns a shared connection.
 */
export abstract class CartStore {
  abstract get(cartId: string): Promise<Cart | undefined>;
  abstract findByCustomer(customerId: string): Promise<Cart | undefined>;
  abstract create(draft: NewCart): Promise<CreateCartResult>;
  abstract save(cart: Cart): Promise<SaveCartResult>;
  abstract delete(cartId: string): Promise<void>;
  abstract init(): Promise<void>;
  abstract close(): Promise<void>;
}
