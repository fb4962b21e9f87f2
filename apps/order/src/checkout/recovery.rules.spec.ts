import { foldEvents, type OrderState } from '../orders/order-state';
import type { OrderEvent } from '../orders/order.events';
import { placedEvent } from '../../test/support/order-events';
import { compensationsOf, decideRecovery } from './recovery.rules';

const ORDER = 'ord_1';
const at = (version: number) => `2026-01-01T10:00:${String(version).padStart(2, '0')}.000Z`;
const actor = { kind: 'system' as const, id: 'spec' };
const usd = (amount: number) => ({ amount, currency: 'USD' as const });

type Step =
  | 'fraud_allow'
  | 'fraud_deny'
  | 'reserved_one'
  | 'reserved_all'
  | 'coupons'
  | 'paid'
  | 'confirmed'
  | 'on_hold'
  | 'committed'
  | 'cleared'
  | 'failed';

/** The order after `steps`, placed with two lines and the coupon SAVE10. */
function orderAfter(...steps: Step[]): OrderState {
  const placed = placedEvent(ORDER);
  placed.data.coupons = ['SAVE10'];
  const events: OrderEvent[] = [placed];
  const base = () => ({
    orderId: ORDER,
    version: events.length + 1,
    occurredAt: at(events.length + 1),
    actor,
  });
  const reservation = (sku: string) => ({
    reservationId: `${ORDER}:${sku}`,
    sku,
    quantity: 1,
    warehouseId: 'us-east',
  });
  for (const step of steps) {
    const b = base();
    switch (step) {
      case 'fraud_allow':
      case 'fraud_deny':
        events.push({
          ...b,
          type: 'fraud_assessed',
          data: { outcome: step === 'fraud_allow' ? 'allow' : 'deny', score: 0, reasons: [] },
        });
        break;
      case 'reserved_one':
        events.push({
          ...b,
          type: 'stock_reserved',
          data: { reservations: [reservation('SKU-1')] },
        });
        break;
      case 'reserved_all':
        events.push({
          ...b,
          type: 'stock_reserved',
          data: { reservations: [reservation('SKU-1'), reservation('SKU-2')] },
        });
        break;
      case 'coupons':
        events.push({ ...b, type: 'coupons_redeemed', data: { codes: ['SAVE10'] } });
        break;
      case 'paid':
        events.push({
          ...b,
          type: 'payment_authorized',
          data: { paymentId: 'pay_1', amount: usd(2_300) },
        });
        break;
      case 'confirmed':
        events.push({ ...b, type: 'confirmed', data: {} });
        break;
      case 'on_hold':
        events.push({
          ...b,
          type: 'put_on_hold',
          reason: 'fraud_review',
          data: { reason: 'fraud_review' },
        });
        break;
      case 'committed':
        events.push({
          ...b,
          type: 'stock_committed',
          data: { reservationIds: [`${ORDER}:SKU-1`, `${ORDER}:SKU-2`] },
        });
        break;
      case 'cleared':
        events.push({ ...b, type: 'cart_cleared', data: {} });
        break;
      case 'failed':
        events.push({
          ...b,
          type: 'failed',
          reason: 'out_of_stock',
          data: { reason: 'out_of_stock' },
        });
        break;
    }
  }
  return foldEvents(events)!;
}

describe('compensationsOf', () => {
  it('undoes nothing before fraud allowed the order, and nothing after a denial', () => {
    const none = { releaseStock: false, releaseCoupons: false, voidPayment: false };
    expect(compensationsOf(orderAfter())).toEqual(none);
    expect(compensationsOf(orderAfter('fraud_deny'))).toEqual(none);
  });

  it('releases stock of every line once reserving may have begun, even with no reply recorded', () => {
    expect(compensationsOf(orderAfter('fraud_allow'))).toEqual({
      releaseStock: true,
      releaseCoupons: false,
      voidPayment: false,
    });
  });

  it('releases coupons once every line was reserved', () => {
    expect(compensationsOf(orderAfter('fraud_allow', 'reserved_one')).releaseCoupons).toBe(false);
    expect(compensationsOf(orderAfter('fraud_allow', 'reserved_all')).releaseCoupons).toBe(true);
  });

  it('looks for an authorisation once every coupon was redeemed, and always when one is recorded', () => {
    expect(compensationsOf(orderAfter('fraud_allow', 'reserved_all')).voidPayment).toBe(false);
    expect(compensationsOf(orderAfter('fraud_allow', 'reserved_all', 'coupons')).voidPayment).toBe(
      true,
    );
    expect(
      compensationsOf(orderAfter('fraud_allow', 'reserved_all', 'coupons', 'paid')).voidPayment,
    ).toBe(true);
  });
});

describe('decideRecovery', () => {
  it('discards a checkout whose order was never recorded', () => {
    expect(decideRecovery(undefined)).toEqual({ kind: 'discard' });
  });

  it('undoes a pending order, even one with every step but the confirmation done', () => {
    expect(decideRecovery(orderAfter('fraud_allow', 'reserved_all', 'coupons', 'paid'))).toEqual({
      kind: 'compensate',
      compensations: { releaseStock: true, releaseCoupons: true, voidPayment: true },
      recordFailure: true,
    });
  });

  it('finishes a confirmed order: commits and clears what is left', () => {
    const confirmed = orderAfter('fraud_allow', 'reserved_all', 'coupons', 'paid', 'confirmed');
    expect(decideRecovery(confirmed)).toEqual({
      kind: 'finish',
      commitStock: true,
      clearCart: true,
    });
    expect(
      decideRecovery(
        orderAfter('fraud_allow', 'reserved_all', 'coupons', 'paid', 'confirmed', 'committed'),
      ),
    ).toEqual({
      kind: 'finish',
      commitStock: false,
      clearCart: true,
    });
  });

  it('leaves an order on hold to the admin, only clearing the cart', () => {
    const held = orderAfter('fraud_allow', 'reserved_all', 'coupons', 'paid', 'on_hold');
    expect(decideRecovery(held)).toEqual({ kind: 'hold', clearCart: true });
  });

  it('finishes the compensations of a failed order without failing it again', () => {
    expect(decideRecovery(orderAfter('fraud_allow', 'reserved_one', 'failed'))).toEqual({
      kind: 'compensate',
      compensations: { releaseStock: true, releaseCoupons: false, voidPayment: false },
      recordFailure: false,
    });
  });
});
