import {
  adminOrderViewSchema,
  orderHistoryEntrySchema,
  orderSummaryViewSchema,
  orderViewSchema,
} from '@mercato/contracts';
import {
  fraudAssessedEvent,
  paymentAuthorizedEvent,
  placedEvent,
  sellerLine,
  step,
} from '../../test/support/order-events';
import type { FraudDecisionRecord } from '../fraud/fraud-decisions';
import type { Payment } from '../payments/payment-provider';
import { foldEvents, type OrderState } from '../orders/order-state';
import { wasPlaced } from '../orders/order-visibility';
import type { OrderEvent } from '../orders/order.events';
import { sellerOrdersOf, summaryOf } from '../orders/orders.projection';
import {
  adminOrderViewOf,
  historyEntryOf,
  orderSummaryViewOf,
  orderViewOf,
  sellerOrderViewOf,
} from './order-views';

const usd = (amount: number) => ({ amount, currency: 'USD' as const });

/** Placed (with an idempotency key), fraud-screened, authorised, then confirmed. */
const confirmedHistory: OrderEvent[] = [
  placedEvent('order-1', { idempotencyKey: 'idem-1' }),
  fraudAssessedEvent('order-1', 2),
  paymentAuthorizedEvent('order-1', 3),
  step('order-1', 4, 'confirmed'),
];
const stateOf = (history: OrderEvent[]): OrderState => foldEvents(history)!;

describe('order views', () => {
  describe('orderViewOf', () => {
    it('shows the lines, totals, address and the authorised card, created when placed', () => {
      const view = orderViewOf(stateOf(confirmedHistory));

      expect(orderViewSchema.parse(view)).toEqual(view);
      expect(view).toMatchObject({
        orderId: 'order-1',
        customerId: 'customer-1',
        status: 'confirmed',
        totals: { total: usd(2_300) },
        coupons: [],
        shippingAddress: { name: 'Ada Lovelace', country: 'US' },
        payment: { status: 'authorized', brand: 'visa', last4: '4242' },
        shipments: [],
        createdAt: '2026-01-01T10:00:00.000Z',
        updatedAt: '2026-01-01T10:00:04.000Z',
      });
      expect(view.items[0]).toEqual({
        sku: 'SKU-1',
        productId: 'product-1',
        quantity: 2,
        unitPrice: usd(1_000),
        discount: usd(200),
        lineTotal: usd(1_800),
      });
      expect(view).not.toHaveProperty('reason');
    });

    it('shows a voided payment and the reason of a failed checkout', () => {
      const view = orderViewOf(
        stateOf([
          placedEvent('order-2'),
          paymentAuthorizedEvent('order-2', 2),
          {
            orderId: 'order-2',
            version: 3,
            type: 'payment_voided',
            occurredAt: '2026-01-01T10:00:03.000Z',
            actor: { kind: 'system', id: 'checkout' },
            reason: 'out of stock',
            data: { paymentId: 'pay_1', reason: 'out of stock' },
          },
          step('order-2', 4, 'failed'),
        ]),
      );

      expect(view).toMatchObject({
        status: 'failed',
        payment: { status: 'voided', brand: 'visa', last4: '4242' },
        reason: 'failed because',
      });
    });

    it('answers none for an order never authorised', () => {
      expect(orderViewOf(stateOf([placedEvent('order-3')])).payment).toEqual({
        status: 'none',
      });
    });
  });

  it('orderSummaryViewOf counts the units of every line', () => {
    const view = orderSummaryViewOf(summaryOf(stateOf(confirmedHistory)));

    expect(orderSummaryViewSchema.parse(view)).toEqual(view);
    expect(view).toEqual({
      orderId: 'order-1',
      status: 'confirmed',
      region: 'us',
      currency: 'USD',
      totals: expect.objectContaining({ total: usd(2_300) }),
      itemCount: 3,
      createdAt: '2026-01-01T10:00:00.000Z',
      updatedAt: '2026-01-01T10:00:04.000Z',
    });
  });

  describe('historyEntryOf', () => {
    it('tells the version, type, time, actor and reason of an event', () => {
      const entry = historyEntryOf(step('order-1', 2, 'put_on_hold'), 'customer');

      expect(orderHistoryEntrySchema.parse(entry)).toEqual(entry);
      expect(entry).toEqual({
        version: 2,
        type: 'put_on_hold',
        occurredAt: '2026-01-01T10:00:02.000Z',
        actor: { kind: 'system', id: 'spec' },
        reason: 'put_on_hold because',
        data: { reason: 'put_on_hold because' },
      });
    });

    it('leaves the idempotency key and the fraud score out of the customer’s trail only', () => {
      const [placed, fraud] = confirmedHistory;

      expect(historyEntryOf(placed, 'customer').data).not.toHaveProperty('idempotencyKey');
      expect(historyEntryOf(placed, 'customer').data).toMatchObject({ customerId: 'customer-1' });
      expect(historyEntryOf(fraud, 'customer').data).toEqual({});
      expect(historyEntryOf(placed, 'admin').data).toMatchObject({ idempotencyKey: 'idem-1' });
      expect(historyEntryOf(fraud, 'admin').data).toEqual({
        outcome: 'allow',
        score: 12,
        reasons: ['ip_velocity'],
      });
    });
  });

  describe('adminOrderViewOf', () => {
    const fraud: FraudDecisionRecord = {
      orderId: 'order-1',
      customerId: 'customer-1',
      decision: 'allow',
      score: 12,
      reasons: [{ rule: 'ip_velocity', weight: 12, detail: '3 orders from this IP in an hour' }],
      decidedAt: '2026-01-01T10:00:01.000Z',
      ip: '203.0.113.9',
    };
    const payment: Payment = {
      paymentId: 'pay_1',
      orderId: 'order-1',
      customerId: 'customer-1',
      status: 'authorized',
      brand: 'visa',
      last4: '4242',
      amount: usd(2_300),
      captured: usd(0),
      refunded: usd(0),
      createdAt: '2026-01-01T10:00:03.000Z',
      expiresAt: '2026-01-08T10:00:03.000Z',
    };

    it('adds the whole trail, the payment and the fraud decision to the order view', () => {
      const view = adminOrderViewOf(stateOf(confirmedHistory), confirmedHistory, fraud, payment);

      expect(adminOrderViewSchema.parse(view)).toEqual(view);
      expect(view.timeline.map((entry) => entry.type)).toEqual([
        'placed',
        'fraud_assessed',
        'payment_authorized',
        'confirmed',
      ]);
      expect(view.timeline[0].data).toMatchObject({ idempotencyKey: 'idem-1' });
      expect(view.payments).toEqual([
        {
          paymentId: 'pay_1',
          status: 'authorized',
          authorized: usd(2_300),
          captured: usd(0),
          refunded: usd(0),
          expiresAt: payment.expiresAt,
          ledger: [],
        },
      ]);
      expect(view.attention).toEqual([]);
      expect(view.fraud).toEqual({
        outcome: 'allow',
        score: 12,
        reasons: fraud.reasons,
        decidedAt: '2026-01-01T10:00:01.000Z',
      });
    });

    it('answers no payments and a null fraud decision when there are none', () => {
      const view = adminOrderViewOf(stateOf(confirmedHistory), [], undefined, undefined);

      expect(view).toMatchObject({ payments: [], fraud: null, timeline: [] });
    });
  });

  describe('who sees an order', () => {
    it('the customer and sellers see placed orders only: never pending or failed', () => {
      expect((['confirmed', 'on_hold', 'cancelled'] as const).every(wasPlaced)).toBe(true);
      expect(wasPlaced('pending')).toBe(false);
      expect(wasPlaced('failed')).toBe(false);
    });

    it('the customer’s list index holds an order once it was placed', () => {
      const pending = stateOf([placedEvent('order-4')]);
      const confirmed = stateOf([placedEvent('order-4'), step('order-4', 2, 'confirmed')]);
      const failed = stateOf([placedEvent('order-4'), step('order-4', 2, 'failed')]);

      expect(summaryOf(pending)).not.toHaveProperty('placedKey');
      expect(summaryOf(failed)).not.toHaveProperty('placedKey');
      expect(summaryOf(confirmed).placedKey).toBe(summaryOf(confirmed).orderKey);
    });

    it('each seller of a placed order gets their own lines; lines without a seller none', () => {
      const lines = [
        sellerLine('A-1', 'seller-a', 2),
        sellerLine('B-1', 'seller-b'),
        sellerLine('A-2', 'seller-a'),
        { ...sellerLine('X-1', 'nobody'), sellerId: undefined },
      ];
      const placed = placedEvent('order-5', { lines });

      expect(sellerOrdersOf(stateOf([placed]))).toEqual([]);
      expect(sellerOrdersOf(stateOf([placed, step('order-5', 2, 'failed')]))).toEqual([]);
      const items = sellerOrdersOf(stateOf([placed, step('order-5', 2, 'confirmed')]));
      expect(items.map((item) => [item.sellerId, item.lines.map((l) => l.sku)])).toEqual([
        ['seller-a', ['A-1', 'A-2']],
        ['seller-b', ['B-1']],
      ]);
      expect(sellerOrderViewOf(items[1])).toEqual({
        orderId: 'order-5',
        status: 'confirmed',
        region: 'us',
        currency: 'USD',
        items: [
          {
            sku: 'B-1',
            productId: 'product-B-1',
            sellerId: 'seller-b',
            title: 'Product B-1',
            quantity: 1,
            unitPrice: usd(1_000),
            discount: usd(0),
            lineTotal: usd(1_000),
          },
        ],
        createdAt: '2026-01-01T10:00:00.000Z',
      });
    });
  });
});
