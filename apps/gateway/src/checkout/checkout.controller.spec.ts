import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FakeOrderService } from '../../test/support/fake-shop-services';
import {
  bearer,
  startGatewayTestApp,
  TEST_CUSTOMER_SINCE,
} from '../../test/support/gateway-test-app';
import { ORDER_VIEW_EXAMPLE } from '../orders/orders.dto';
import { CheckoutGatewayModule } from './checkout-gateway.module';
import { CHECKOUT_EXAMPLE, checkoutBodySchema } from './checkout.dto';

/** POST /v1/checkout over HTTP, with a fake order service answering on the bus. */
describe('Checkout HTTP API', () => {
  let app: NestFastifyApplication;
  let orders: FakeOrderService;

  beforeAll(async () => {
    app = await startGatewayTestApp([CheckoutGatewayModule], [FakeOrderService]);
    orders = app.get(FakeOrderService);
  });
  afterAll(() => app?.close());

  const checkout = (headers: Record<string, string>, payload: object = CHECKOUT_EXAMPLE) =>
    app.inject({ method: 'POST', url: '/v1/checkout', headers, payload });
  const asAnn = (extra: Record<string, string> = {}) => ({
    ...bearer('ann'),
    'idempotency-key': 'ann-checkout-1',
    ...extra,
  });

  it('documents a body example the route accepts', () => {
    expect(checkoutBodySchema.safeParse(CHECKOUT_EXAMPLE).success).toBe(true);
  });

  it('places the order: 201, the order, and its Location', async () => {
    const res = await checkout(asAnn({ 'x-device-id': 'dev-4f1c9a' }));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ orderId: ORDER_VIEW_EXAMPLE.orderId, status: 'confirmed' });
    expect(res.headers.location).toBe(`/v1/orders/${ORDER_VIEW_EXAMPLE.orderId}`);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(orders.last()).toMatchObject({
      type: 'order.checkout.place',
      key: 'c-ann',
      payload: {
        customerId: 'c-ann',
        idempotencyKey: 'ann-checkout-1',
        region: 'eu',
        paymentToken: 'tok_visa',
        shippingAddress: CHECKOUT_EXAMPLE.shippingAddress,
        billingCountry: CHECKOUT_EXAMPLE.billingCountry,
        origin: { deviceId: 'dev-4f1c9a', ip: '127.0.0.1' },
        // The account's age, which the gateway owns, for fraud screening.
        customerSince: TEST_CUSTOMER_SINCE,
      },
    });
  });

  it('sends no device id when the client sent none', async () => {
    await checkout(asAnn({ 'idempotency-key': 'ann-checkout-2' }));
    expect(orders.last().payload.origin).toEqual({ ip: '127.0.0.1' });
  });

  it('answers 400 IDEMPOTENCY_KEY_REQUIRED without a key, and 400 for a malformed one', async () => {
    const before = orders.received.length;
    const missing = await checkout(bearer('ann'));
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REQUIRED' });
    expect((await checkout(asAnn({ 'idempotency-key': 'has spaces' }))).statusCode).toBe(400);
    expect(orders.received).toHaveLength(before);
  });

  it('answers 401 without a token and 403 to sellers and admins', async () => {
    const key = { 'idempotency-key': 'k-1' };
    expect((await checkout(key)).statusCode).toBe(401);
    expect((await checkout({ ...key, ...bearer('sam') })).statusCode).toBe(403);
    expect((await checkout({ ...key, ...bearer('ada') })).statusCode).toBe(403);
  });

  it.each([
    ['an unknown field', { ...CHECKOUT_EXAMPLE, discount: 100 }, 'discount'],
    ['no payment token', { shippingAddress: CHECKOUT_EXAMPLE.shippingAddress }, 'paymentToken'],
    [
      'a lower-case country',
      {
        ...CHECKOUT_EXAMPLE,
        shippingAddress: { ...CHECKOUT_EXAMPLE.shippingAddress, country: 'us' },
      },
      'shippingAddress.country',
    ],
    [
      'an empty city',
      { ...CHECKOUT_EXAMPLE, shippingAddress: { ...CHECKOUT_EXAMPLE.shippingAddress, city: ' ' } },
      'shippingAddress.city',
    ],
  ])('answers 400 naming the field for %s', async (_case, body, field) => {
    const res = await checkout(asAnn(), body);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  });

  it('answers 400 INVALID_DEVICE_ID for an X-Device-Id over 128 characters', async () => {
    const res = await checkout(asAnn({ 'x-device-id': 'd'.repeat(129) }));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'INVALID_DEVICE_ID' });
  });

  it.each([
    [409, 'OUT_OF_STOCK', { items: [{ sku: 'NOR-000001-1', requested: 2, available: 1 }] }],
    [409, 'IDEMPOTENCY_IN_PROGRESS', undefined],
    [402, 'PAYMENT_DECLINED', { reason: 'card_declined' }],
    [422, 'CART_EMPTY', undefined],
    [422, 'FRAUD_REJECTED', undefined],
    [422, 'IDEMPOTENCY_KEY_REUSED', undefined],
  ])('passes %i %s on as problem+json with its details', async (status, code, details) => {
    orders.refuseNext({
      status,
      code,
      message: `refused: ${code}`,
      ...(details ? { details } : {}),
    });
    const res = await checkout(asAnn());
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers.location).toBeUndefined();
    expect(res.json()).toMatchObject({ status, code });
    expect(res.json().details).toEqual(details);
  });
});
