import { placedEvent, step, type StatusEventType } from '../../test/support/order-events';
import { applyEvent, foldEvents, type OrderState } from './order-state';
import type { OrderEvent } from './order.events';
import { OrderErrorCode, OrderTransitionRefused } from './orders.exception';

const ORDER = 'order-1';
const placed = () => applyEvent(undefined, placedEvent(ORDER));
/** The state after `placed` and then `types` in turn. */
const after = (...types: StatusEventType[]): OrderState =>
  foldEvents([placedEvent(ORDER), ...types.map((type, i) => step(ORDER, i + 2, type))])!;

describe('applyEvent', () => {
  it('starts a pending order from placed, with its lines, totals and time', () => {
    const state = placed();

    expect(state).toMatchObject({
      orderId: ORDER,
      customerId: 'customer-1',
      status: 'pending',
      region: 'us',
      currency: 'USD',
      paymentId: 'pay_1',
      placedAt: '2026-01-01T10:00:00.000Z',
      updatedAt: '2026-01-01T10:00:00.000Z',
      version: 1,
    });
    expect(state.lines).toHaveLength(2);
    expect(state.totals.total).toEqual({ amount: 2_300, currency: 'USD' });
  });

  it.each([
    [['confirmed'], 'confirmed'],
    [['put_on_hold'], 'on_hold'],
    [['failed'], 'failed'],
    [['put_on_hold', 'approved'], 'confirmed'],
    [['put_on_hold', 'rejected'], 'cancelled'],
    [['cancelled'], 'cancelled'],
    [['confirmed', 'cancelled'], 'cancelled'],
    [['put_on_hold', 'cancelled'], 'cancelled'],
  ] as const)('after placed, %j leaves the order %s', (types, status) => {
    const state = after(...types);

    expect(state.status).toBe(status);
    expect(state.version).toBe(types.length + 1);
  });

  it('keeps the reason of the latest event and the time it happened', () => {
    const state = after('put_on_hold');

    expect(state.reason).toBe('put_on_hold because');
    expect(state.updatedAt).toBe('2026-01-01T10:00:02.000Z');
    expect(after('put_on_hold', 'approved').reason).toBeUndefined();
  });

  it.each([
    [[], 'approved'],
    [[], 'rejected'],
    [['confirmed'], 'confirmed'],
    [['confirmed'], 'put_on_hold'],
    [['confirmed'], 'failed'],
    [['put_on_hold'], 'confirmed'],
    [['put_on_hold'], 'put_on_hold'],
    [['put_on_hold'], 'failed'],
    [['failed'], 'confirmed'],
    [['failed'], 'cancelled'],
    [['cancelled'], 'approved'],
    [['put_on_hold', 'rejected'], 'approved'],
  ] as const)('after placed and %j, refuses %s', (types, type) => {
    const state = after(...types);

    expect(() => applyEvent(state, step(ORDER, state.version + 1, type))).toThrow(
      OrderTransitionRefused,
    );
  });

  it('refuses a first event that is not placed, and a second placed', () => {
    expect(() => applyEvent(undefined, step(ORDER, 1, 'confirmed'))).toThrow(
      expect.objectContaining({ code: OrderErrorCode.TransitionRefused, from: 'none' }),
    );
    expect(() => applyEvent(placed(), { ...placedEvent(ORDER), version: 2 })).toThrow(
      OrderTransitionRefused,
    );
  });

  it('refuses an event out of version order or of another order', () => {
    const state = placed();

    expect(() => applyEvent(state, step(ORDER, 3, 'confirmed'))).toThrow(OrderTransitionRefused);
    expect(() => applyEvent(state, step(ORDER, 1, 'confirmed'))).toThrow(OrderTransitionRefused);
    expect(() => applyEvent(state, step('order-2', 2, 'confirmed'))).toThrow(
      OrderTransitionRefused,
    );
  });

  it('does not change the state it is given', () => {
    const state = placed();
    const copy = structuredClone(state);

    applyEvent(state, step(ORDER, 2, 'put_on_hold'));

    expect(state).toEqual(copy);
  });

  it('carries an HTTP status 409 on a refused transition', () => {
    const refused = new OrderTransitionRefused(ORDER, 'confirmed', 'approved');

    expect(refused).toMatchObject({ status: 409, code: 'ORDER_TRANSITION_REFUSED' });
  });
});

describe('foldEvents', () => {
  it('answers undefined for no events, the last state for a history', () => {
    const history: OrderEvent[] = [placedEvent(ORDER), step(ORDER, 2, 'put_on_hold')];

    expect(foldEvents([])).toBeUndefined();
    expect(foldEvents(history)).toEqual(applyEvent(placed(), history[1]));
  });
});

describe('checkout steps', () => {
  const at = (version: number) => `2026-01-01T10:01:${String(version).padStart(2, '0')}.000Z`;
  const base = (version: number) => ({
    orderId: ORDER,
    version,
    occurredAt: at(version),
    actor: { kind: 'system' as const, id: 'checkout' },
  });

  it('records reservations, coupons, payment and the finishing steps without moving the status', () => {
    const state = foldEvents([
      placedEvent(ORDER),
      {
        ...base(2),
        type: 'stock_reserved',
        data: {
          reservations: [
            { reservationId: `${ORDER}:SKU-1`, sku: 'SKU-1', quantity: 2, warehouseId: 'us-east' },
          ],
        },
      },
      { ...base(3), type: 'coupons_redeemed', data: { codes: ['SAVE10'] } },
      {
        ...base(4),
        type: 'payment_authorized',
        data: { paymentId: 'pay_9', amount: { amount: 2_300, currency: 'USD' }, last4: '4242' },
      },
      step(ORDER, 5, 'confirmed'),
      { ...base(6), type: 'stock_committed', data: { reservationIds: [`${ORDER}:SKU-1`] } },
      { ...base(7), type: 'cart_cleared', data: {} },
    ])!;

    expect(state.status).toBe('confirmed');
    expect(state.version).toBe(7);
    expect(state.paymentId).toBe('pay_9');
    expect(state.progress).toMatchObject({
      reservations: [{ sku: 'SKU-1', quantity: 2 }],
      couponsRedeemed: ['SAVE10'],
      payment: { paymentId: 'pay_9', status: 'authorized', last4: '4242' },
      stockCommitted: true,
      cartCleared: true,
      stockReleased: false,
    });
  });

  it('records compensations after a failure', () => {
    const state = foldEvents([
      placedEvent(ORDER),
      {
        ...base(2),
        type: 'payment_authorized',
        data: { paymentId: 'pay_9', amount: { amount: 2_300, currency: 'USD' } },
      },
      step(ORDER, 3, 'failed'),
      { ...base(4), type: 'payment_voided', data: { paymentId: 'pay_9', reason: 'interrupted' } },
      {
        ...base(5),
        type: 'stock_released',
        data: { reservationIds: [`${ORDER}:SKU-1`], reason: 'interrupted' },
      },
    ])!;

    expect(state.status).toBe('failed');
    expect(state.progress.payment?.status).toBe('voided');
    expect(state.progress.stockReleased).toBe(true);
  });
});
