import type {
  OrderEvent,
  OrderEventDraft,
  OrderEventOf,
  OrderLine,
} from '../../src/orders/order.events';

/*
 * Events for specs (in test/support, so never built). `placedEvent` is a whole order
 * of two lines in the us region; `step` builds the events after it.
 */
const usd = (amount: number) => ({ amount, currency: 'USD' as const });

export function placedEvent(
  orderId: string,
  overrides: {
    customerId?: string;
    occurredAt?: string;
    lines?: OrderLine[];
    paymentId?: string;
    idempotencyKey?: string;
  } = {},
): OrderEventOf<'placed'> {
  return {
    orderId,
    version: 1,
    type: 'placed',
    occurredAt: overrides.occurredAt ?? '2026-01-01T10:00:00.000Z',
    actor: { kind: 'customer', id: overrides.customerId ?? 'customer-1' },
    data: {
      customerId: overrides.customerId ?? 'customer-1',
      region: 'us',
      currency: 'USD',
      lines: overrides.lines ?? [
        {
          sku: 'SKU-1',
          productId: 'product-1',
          quantity: 2,
          unitPrice: usd(1_000),
          discount: usd(200),
          lineTotal: usd(1_800),
        },
        {
          sku: 'SKU-2',
          productId: 'product-2',
          quantity: 1,
          unitPrice: usd(500),
          discount: usd(0),
          lineTotal: usd(500),
        },
      ],
      totals: {
        subtotal: usd(2_500),
        discount: usd(200),
        shipping: usd(0),
        tax: usd(0),
        total: usd(2_300),
      },
      shippingAddress: {
        name: 'Ada Lovelace',
        line1: '1 Main St',
        city: 'Springfield',
        postalCode: '12345',
        country: 'US',
      },
      paymentId: overrides.paymentId ?? 'pay_1',
      coupons: [],
      ...(overrides.idempotencyKey === undefined
        ? {}
        : { idempotencyKey: overrides.idempotencyKey }),
    },
  };
}

/** The status-moving events `step` builds. */
export type StatusEventType =
  'confirmed' | 'approved' | 'put_on_hold' | 'rejected' | 'cancelled' | 'failed';

/** The event of `type` at `version` (a reason is given to the types that carry one). */
export function step(
  orderId: string,
  version: number,
  type: StatusEventType,
  occurredAt = `2026-01-01T10:00:${String(version).padStart(2, '0')}.000Z`,
): OrderEvent {
  const base = { orderId, version, occurredAt, actor: { kind: 'system' as const, id: 'spec' } };
  switch (type) {
    case 'confirmed':
    case 'approved':
      return { ...base, type, data: {} };
    default:
      return { ...base, type, reason: `${type} because`, data: { reason: `${type} because` } };
  }
}

/** A line of `quantity` × 10.00 USD sold by `sellerId`, nothing off. */
export function sellerLine(sku: string, sellerId: string, quantity = 1): OrderLine {
  return {
    sku,
    productId: `product-${sku}`,
    sellerId,
    title: `Product ${sku}`,
    quantity,
    unitPrice: usd(1_000),
    discount: usd(0),
    lineTotal: usd(1_000 * quantity),
  };
}

/** The checkout's fraud screening at `version`: allowed with a low score. */
export function fraudAssessedEvent(orderId: string, version: number): OrderEvent {
  return {
    orderId,
    version,
    type: 'fraud_assessed',
    occurredAt: `2026-01-01T10:00:${String(version).padStart(2, '0')}.000Z`,
    actor: { kind: 'system', id: 'fraud' },
    data: { outcome: 'allow', score: 12, reasons: ['ip_velocity'] },
  };
}

/** The checkout's authorisation of `paymentId` (a visa ending 4242) at `version`. */
export function paymentAuthorizedEvent(
  orderId: string,
  version: number,
  paymentId = 'pay_1',
): OrderEvent {
  return {
    orderId,
    version,
    type: 'payment_authorized',
    occurredAt: `2026-01-01T10:00:${String(version).padStart(2, '0')}.000Z`,
    actor: { kind: 'system', id: 'checkout' },
    data: { paymentId, amount: usd(2_300), brand: 'visa', last4: '4242' },
  };
}

/** An event as `OrderRecorder.record` takes it: without its order id and version. */
export function draftOf(event: OrderEvent): OrderEventDraft {
  const { orderId: _orderId, version: _version, ...draft } = event;
  return draft as OrderEventDraft;
}
