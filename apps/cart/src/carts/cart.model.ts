import { z } from 'zod';
import { currencySchema } from '@mercato/contracts';

/** Who a cart belongs to: a guest (known only by the cart id it holds) or a signed-in customer. */
export const cartOwnerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('guest') }).strict(),
  z.object({ kind: z.literal('customer'), customerId: z.string().min(1) }).strict(),
]);
export type CartOwner = z.infer<typeof cartOwnerSchema>;
export type CartOwnerKind = CartOwner['kind'];

const isoTimestamp = z.iso.datetime();

export const moneySchema = z
  .object({ amount: z.number().int().nonnegative(), currency: currencySchema })
  .strict();
export type Money = z.infer<typeof moneySchema>;

export const cartLineSchema = z
  .object({
    sku: z.string().min(1),
    productId: z.string().min(1),
    quantity: z.number().int().positive(),
    /** The price shown when the line was added, in minor units; repricing is the service's job. */
    unitPriceWhenAdded: moneySchema,
    addedAt: isoTimestamp,
  })
  .strict();
export type CartLine = z.infer<typeof cartLineSchema>;

/**
 * A cart as stored. `version` starts at 1 and grows by one at every save (optimistic
 * concurrency); `expiresAt` is `updatedAt` plus the idle time of the owner's kind, so a cart
 * nobody touches disappears and one in use never does.
 */
export const cartSchema = z
  .object({
    cartId: z.string().min(1),
    owner: cartOwnerSchema,
    region: z.string().min(1),
    lines: z.array(cartLineSchema),
    coupons: z.array(z.string().min(1)),
    /**
     * Guest carts already merged into this customer's cart, written in the merge's own save, so
     * a merge repeated after a crash (before the guest cart was deleted) adds nothing twice.
     * Absent on carts stored before merges existed.
     */
    mergedCartIds: z.array(z.string().min(1)).optional(),
    /** The orders whose items were taken off this cart (`ClearOrderedItems`), newest last. */
    clearedOrderIds: z.array(z.string().min(1)).optional(),
    version: z.number().int().positive(),
    updatedAt: isoTimestamp,
    expiresAt: isoTimestamp,
  })
  .strict();
export type Cart = z.infer<typeof cartSchema>;

/** What `CartStore.create` takes: the store stamps version, updatedAt and expiresAt. */
export type NewCart = Pick<Cart, 'cartId' | 'owner' | 'region'> &
  Partial<Pick<Cart, 'lines' | 'coupons'>>;

/** How long a cart may sit untouched, per owner kind (CART_IDLE_DAYS_*). */
export interface CartIdleTimes {
  guestMs: number;
  customerMs: number;
}

/** Milliseconds in a day, for turning CART_IDLE_DAYS_* into idle times. */
export const DAY_MS = 86_400_000;

export function idleMsOf(owner: CartOwner, idle: CartIdleTimes): number {
  return owner.kind === 'guest' ? idle.guestMs : idle.customerMs;
}

/** The cart as the next save stores it: next version, touched now, idle expiry pushed back. */
export function stampForSave(cart: Cart, nowMs: number, idle: CartIdleTimes): Cart {
  return {
    ...cart,
    version: cart.version + 1,
    updatedAt: new Date(nowMs).toISOString(),
    expiresAt: new Date(nowMs + idleMsOf(cart.owner, idle)).toISOString(),
  };
}

/** The first stored form of a new cart (version 1). */
export function stampForCreate(draft: NewCart, nowMs: number, idle: CartIdleTimes): Cart {
  return {
    cartId: draft.cartId,
    owner: draft.owner,
    region: draft.region,
    lines: draft.lines ?? [],
    coupons: draft.coupons ?? [],
    version: 1,
    updatedAt: new Date(nowMs).toISOString(),
    expiresAt: new Date(nowMs + idleMsOf(draft.owner, idle)).toISOString(),
  };
}

export function isExpired(cart: Pick<Cart, 'expiresAt'>, nowMs: number): boolean {
  return Date.parse(cart.expiresAt) <= nowMs;
}
