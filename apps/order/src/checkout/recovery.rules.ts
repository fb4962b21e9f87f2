import type { OrderState } from '../orders/order-state';

/**
 * What undoing a checkout must touch, from how far its history got (pure). A remote call whose
 * reply was lost leaves no step event, so each step counts as possibly done from the moment the
 * step before it was recorded: reservations once fraud allowed the order, coupons once every
 * line was reserved, the payment once every coupon was redeemed. Every undo is idempotent, so
 * undoing something that never happened is harmless.
 */
export interface Compensations {
  releaseStock: boolean;
  releaseCoupons: boolean;
  /** The authorisation, recorded or possibly made with its reply lost. */
  voidPayment: boolean;
}

export function compensationsOf(state: OrderState): Compensations {
  const { progress } = state;
  const reserving = progress.fraud !== undefined && progress.fraud.outcome !== 'deny';
  const allReserved = state.lines.every((line) =>
    progress.reservations.some((reservation) => reservation.sku === line.sku),
  );
  const allRedeemed = state.coupons.every((code) => progress.couponsRedeemed.includes(code));
  return {
    releaseStock: reserving && !progress.stockCommitted,
    releaseCoupons: reserving && allReserved && state.coupons.length > 0,
    voidPayment:
      progress.payment?.status === 'authorized' || (reserving && allReserved && allRedeemed),
  };
}

/** What recovery does with one stale open checkout. */
export type RecoveryAction =
  /** No order was recorded: nothing happened but the key's claim, which is freed. */
  | { kind: 'discard' }
  /** Confirmed: finish the steps after confirming and answer the order (201). */
  | { kind: 'finish'; commitStock: boolean; clearCart: boolean }
  /** On hold for the fraud review: it waits for the admin; clear the cart, answer the order. */
  | { kind: 'hold'; clearCart: boolean }
  /** Interrupted or failed: undo what may be done, record `failed` if not yet, free the key. */
  | { kind: 'compensate'; compensations: Compensations; recordFailure: boolean }
  /** Already settled (cancelled): only the marker is left. */
  | { kind: 'close' };

/**
 * The decision for a stale checkout (pure). A pending order is always undone, even when every
 * step but the confirmation is recorded: its client was never told it succeeded and may already
 * have retried with the same key after the key's lease ran out, so finishing it could make two
 * orders of one key; undoing never does.
 */
export function decideRecovery(state: OrderState | undefined): RecoveryAction {
  if (!state) return { kind: 'discard' };
  const { progress } = state;
  switch (state.status) {
    case 'confirmed':
      return {
        kind: 'finish',
        commitStock: !progress.stockCommitted,
        clearCart: !progress.cartCleared,
      };
    case 'on_hold':
      return { kind: 'hold', clearCart: !progress.cartCleared };
    case 'pending':
      return { kind: 'compensate', compensations: compensationsOf(state), recordFailure: true };
    case 'failed':
      return { kind: 'compensate', compensations: compensationsOf(state), recordFailure: false };
    case 'cancelled':
      return { kind: 'close' };
    default:
      // Past confirmation (fulfilment began while the checkout's marker was left open): the
      // checkout's own steps are what may remain.
      return {
        kind: 'finish',
        commitStock: !progress.stockCommitted,
        clearCart: !progress.cartCleared,
      };
  }
}
