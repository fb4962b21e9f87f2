import { call } from './embedded-store';
import { eventually, firstLeaf, productBody } from './commerce.specs';
import { newSeller, signInAdmin } from './shop-accounts';
import { bearer, checkout, newCustomer, restock, unique } from './shopping';
import type { StoreUnderTest } from './store-api.suite';

type Headers = Record<string, string>;
type Money = { amount: number; currency: string };
type Step = 'picked' | 'packed' | 'shipped' | 'delivered';

interface Shipment {
  shipmentId: string;
  warehouseId: string;
  status: string;
  items: { sku: string; quantity: number }[];
  amount: Money;
  trackingNumber?: string;
  shippedAt?: string;
}

interface OrderView {
  orderId: string;
  status: string;
  items: { sku: string; quantity: number; lineTotal: Money }[];
  totals: { total: Money };
  payment: { status: string };
  shipments: Shipment[];
  returns?: { returnId: string; status: string; refund: Money }[];
}

interface Payment {
  status: string;
  captured: Money;
  refunded: Money;
  ledger?: { operation: string; amount: Money; reference: string }[];
}

/** A shopper with one order: who placed it, the order once fulfilment assigned its shipments. */
interface PlacedOrder {
  shopper: { token: string; customerId: string };
  orderId: string;
  order: OrderView;
  /** The shipment from one warehouse (each of these orders has at most one per warehouse). */
  shipment(warehouseId: string): Shipment;
}

/** The region whose availability lists a warehouse (nearest first). */
const REGION_OF: Record<string, string> = { 'us-east': 'us', 'eu-west': 'eu', 'ap-south': 'ap' };

const sum = (amounts: Money[]) => amounts.reduce((total, money) => total + money.amount, 0);

/**
 * The order lifecycle (issue 20) end to end, on any way of running the store: fulfilment
 * splits an order by stock placement, warehouse events move its shipments (each captured when
 * it ships), customers cancel what has not shipped and return what was delivered, and bad
 * input changes nothing. Every spec has its own customer and products; what happens over the
 * bus (assignment, captures, refunds, restocking) is polled for, never slept on.
 */
export function orderLifecycleSpecs(target: () => StoreUnderTest): void {
  const api = (method: string, path: string, body?: unknown, headers?: Headers) =>
    call(target().baseUrl, method, path, { body, headers });

  /** Bound of every wait for the bus: on the stack each step crosses Kafka more than once. */
  const SETTLES_MS = 20_000;
  /** Bound of one spec: a whole journey is some dozens of calls and several waits. */
  const SPEC_MS = 120_000;

  let adminToken: string;
  let sellerToken: string;
  let leafCategory: string;
  /** The warehouses' key: fulfillment scope, any warehouse. */
  let warehouseKey: string;
  /** A key bound to eu-west: other warehouses' shipments do not exist for it. */
  let euWestKey: string;
  /** A seller's stock-feed key: a partner key without the fulfillment scope. */
  let feedKey: string;

  async function issueKey(body: Record<string, unknown>): Promise<string> {
    const issued = await api('POST', '/v1/admin/api-keys', body, bearer(adminToken));
    expect(issued.status).toBe(201);
    return issued.body.apiKey as string;
  }

  beforeAll(async () => {
    adminToken = await signInAdmin(target().baseUrl);
    sellerToken = await newSeller(target().baseUrl, adminToken, 'Lifecycle Goods');
    leafCategory = firstLeaf((await api('GET', '/v1/categories')).body.items);
    const seller = await api('GET', '/v1/me', undefined, bearer(sellerToken));
    warehouseKey = await issueKey({ name: 'All warehouses', scopes: ['fulfillment'] });
    euWestKey = await issueKey({
      name: 'eu-west dock',
      scopes: ['fulfillment'],
      warehouseId: 'eu-west',
    });
    feedKey = await issueKey({
      name: 'Stock sync',
      sellerId: seller.body.customerId,
      scopes: ['inventory:feed'],
    });
  });

  /** A new product of the test seller with one SKU, `units` of it in one warehouse only. */
  async function productIn(warehouseId: string, units: number) {
    const sku = `LC-${unique()}`;
    const created = await api(
      'POST',
      '/v1/seller/products',
      productBody(leafCategory, [sku], `Lifecycle ${sku}`),
      bearer(sellerToken),
    );
    expect(created.status).toBe(201);
    await restock(target().baseUrl, adminToken, sku, warehouseId, units);
    return { sku, productId: created.body.productId as string };
  }

  /** Units of `sku` on sale in one warehouse right now (0 when it is not listed). */
  async function availableIn(productId: string, sku: string, warehouseId: string) {
    const response = await api('GET', `/v1/products/${productId}/availability`, undefined, {
      'x-region': REGION_OF[warehouseId],
    });
    expect(response.status).toBe(200);
    const variant = response.body.variants.find((v: { sku: string }) => v.sku === sku);
    const warehouse = variant.warehouses.find(
      (w: { warehouseId: string }) => w.warehouseId === warehouseId,
    );
    return (warehouse?.available ?? 0) as number;
  }

  const orderAs = async (token: string, orderId: string): Promise<OrderView> => {
    const response = await api('GET', `/v1/orders/${orderId}`, undefined, bearer(token));
    expect(response.status).toBe(200);
    return response.body as OrderView;
  };

  const trailOf = async (token: string, orderId: string) => {
    const response = await api('GET', `/v1/orders/${orderId}/events`, undefined, bearer(token));
    expect(response.status).toBe(200);
    return response.body.items as { version: number; type: string }[];
  };

  const paymentOf = async (orderId: string): Promise<Payment> => {
    const response = await api('GET', `/v1/admin/orders/${orderId}`, undefined, bearer(adminToken));
    expect(response.status).toBe(200);
    expect(response.body.payments).toHaveLength(1);
    return response.body.payments[0] as Payment;
  };

  const ledgerOf = (payment: Payment, operation: string) =>
    (payment.ledger ?? []).filter((entry) => entry.operation === operation);

  /**
   * A new customer checks out `lines`, and fulfilment assigns the shipments: the order as it
   * stands then.
   */
  async function placeOrder(lines: { sku: string; quantity: number }[]): Promise<PlacedOrder> {
    const shopper = await newCustomer(target().baseUrl);
    for (const { sku, quantity } of lines) {
      const added = await api('POST', '/v1/cart/items', { sku, quantity }, bearer(shopper.token));
      expect(added.status).toBe(200);
    }
    const placed = await checkout(target().baseUrl, shopper.token, `lc-${unique()}`);
    expect(placed.status).toBe(201);
    expect(placed.body.status).toBe('confirmed');
    const orderId = placed.body.orderId as string;
    const { value: order } = await eventually(
      async () => {
        const current = await orderAs(shopper.token, orderId);
        return current.status === 'fulfilling' ? current : undefined;
      },
      SETTLES_MS,
      `fulfilment to assign the shipments of ${orderId}`,
    );
    return {
      shopper,
      orderId,
      order,
      shipment(warehouseId) {
        const found = order.shipments.find((s) => s.warehouseId === warehouseId);
        if (!found) throw new Error(`no shipment from ${warehouseId} in ${orderId}`);
        return found;
      },
    };
  }

  /** A warehouse event as a warehouse sends it; the answer as it came. */
  const sendEvent = (
    orderId: string,
    event: { shipmentId: string; type: string; eventId?: string; [field: string]: unknown },
    auth: Headers = { 'x-api-key': warehouseKey },
  ) =>
    api(
      'POST',
      `/v1/fulfillment/${orderId}/events`,
      {
        eventId: `wh-${unique()}`,
        occurredAt: new Date(Date.now() - 1_000).toISOString(),
        ...event,
      },
      auth,
    );

  /** A warehouse event that must be accepted: its answer's body. */
  async function step(orderId: string, shipment: Shipment, type: Step, extra = {}) {
    const answer = await sendEvent(orderId, { shipmentId: shipment.shipmentId, type, ...extra });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      orderId,
      shipmentId: shipment.shipmentId,
      shipmentStatus: type,
    });
    return answer.body as { shipmentStatus: string; orderStatus: string };
  }

  /** The payment once `check` holds for it (captures and refunds follow over the bus). */
  const paymentOnce = (orderId: string, check: (payment: Payment) => boolean, what: string) =>
    eventually(
      async () => {
        const payment = await paymentOf(orderId);
        return check(payment) ? payment : undefined;
      },
      SETTLES_MS,
      what,
    ).then(({ value }) => value);

  const expectProblem = (
    answer: { status: number; body: { code?: string }; headers: globalThis.Headers },
    status: number,
    code?: string,
  ) => {
    expect({ status: answer.status, code: answer.body?.code }).toEqual({
      status,
      code: code ?? expect.any(String),
    });
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
  };

  /** The longest start of `expected` found in `types` in that order (others may come between). */
  const inOrder = (types: string[], expected: string[]) => {
    const found: string[] = [];
    let from = 0;
    for (const type of expected) {
      const at = types.indexOf(type, from);
      if (at < 0) break;
      found.push(type);
      from = at + 1;
    }
    return found;
  };

  /** Each step in turn, as a warehouse that misses none sends them. */
  async function walk(orderId: string, shipment: Shipment, steps: Step[]) {
    for (const type of steps) await step(orderId, shipment, type);
  }

  /** The worker's money steps, which follow earlier commands at any moment (never a refusal). */
  const MONEY_FOLLOW_UPS = /^(payment_|authorization_released$)/;

  /**
   * What a refused command could have changed: the order's status, shipments and returns, and
   * its trail. Payment follow-ups (a capture or void still crossing the bus) are left out:
   * they may land at any moment and no refusal causes one.
   */
  async function fulfilmentState(placed: PlacedOrder) {
    const order = await orderAs(placed.shopper.token, placed.orderId);
    const trail = await trailOf(placed.shopper.token, placed.orderId);
    return {
      status: order.status,
      shipments: order.shipments,
      returns: order.returns,
      trail: trail.filter((entry) => !MONEY_FOLLOW_UPS.test(entry.type)),
    };
  }

  /** Runs `refuse` and shows the order is as it was before it. */
  async function unchangedBy(placed: PlacedOrder, refuse: () => Promise<void>) {
    const before = await fulfilmentState(placed);
    await refuse();
    expect(await fulfilmentState(placed)).toEqual(before);
  }

  describe('the journey of a split order', () => {
    it(
      'checkout → one shipment per warehouse → picked, packed, shipped (each captured once) → delivered → a partial return refunded and restocked; the trail lists each step and the money adds up',
      async () => {
        const a = await productIn('us-east', 3);
        const b = await productIn('eu-west', 1);

        const { shopper, orderId, order, shipment } = await placeOrder([
          { sku: a.sku, quantity: 2 },
          { sku: b.sku, quantity: 1 },
        ]);

        // No warehouse of the region holds both lines, so each ships from where its stock is.
        expect(order.shipments).toHaveLength(2);
        const east = shipment('us-east');
        const west = shipment('eu-west');
        expect(east).toMatchObject({ status: 'requested', items: [{ sku: a.sku, quantity: 2 }] });
        expect(west).toMatchObject({ status: 'requested', items: [{ sku: b.sku, quantity: 1 }] });
        const total = order.totals.total;
        expect(sum([east.amount, west.amount])).toBe(total.amount);
        expect(await availableIn(a.productId, a.sku, 'us-east')).toBe(1);

        await step(orderId, east, 'picked');
        expect((await step(orderId, west, 'picked')).orderStatus).toBe('picked');
        await step(orderId, east, 'packed');
        expect((await step(orderId, west, 'packed')).orderStatus).toBe('packed');
        const firstShipped = await step(orderId, east, 'shipped', { trackingNumber: '1Z999AA10' });
        expect(firstShipped.orderStatus).toBe('partially_shipped');
        const bothShipped = await step(orderId, west, 'shipped', { trackingNumber: 'JD0140000' });
        expect(bothShipped.orderStatus).toBe('shipped');

        // Each shipment is captured once, for its own amount: together, the whole total.
        await eventually(
          async () =>
            (await trailOf(shopper.token, orderId)).filter((e) => e.type === 'payment_captured')
              .length === 2 || undefined,
          SETTLES_MS,
          'both captures in the trail',
        );
        const captured = await paymentOnce(
          orderId,
          (p) => ledgerOf(p, 'capture').length >= 2,
          'both captures',
        );
        expect(
          ledgerOf(captured, 'capture')
            .map((entry) => entry.amount)
            .sort((x, y) => x.amount - y.amount),
        ).toEqual([east.amount, west.amount].sort((x, y) => x.amount - y.amount));
        expect(captured.captured).toEqual(total);
        const shipped = await orderAs(shopper.token, orderId);
        expect(shipped.shipments.find((s) => s.warehouseId === 'us-east')).toMatchObject({
          status: 'shipped',
          trackingNumber: '1Z999AA10',
          shippedAt: expect.any(String),
        });

        expect((await step(orderId, east, 'delivered')).orderStatus).toBe('partially_delivered');
        expect((await step(orderId, west, 'delivered')).orderStatus).toBe('delivered');

        // Both units of A come back: one damaged, one to sell again.
        const requested = await api(
          'POST',
          `/v1/orders/${orderId}/returns`,
          {
            items: [
              { sku: a.sku, quantity: 1, reason: 'Sole came loose', condition: 'damaged' },
              { sku: a.sku, quantity: 1, reason: 'Too small', condition: 'resellable' },
            ],
          },
          { ...bearer(shopper.token), 'idempotency-key': `return-${unique()}` },
        );
        expect(requested.status).toBe(201);
        expect(requested.body).toMatchObject({ status: 'requested', returnId: expect.any(String) });
        const lineA = order.items.find((item) => item.sku === a.sku)!;
        const refund: Money = requested.body.refund;
        expect(refund).toEqual(lineA.lineTotal);
        expect(sum(requested.body.items.map((item: { refund: Money }) => item.refund))).toBe(
          refund.amount,
        );
        const returnId = requested.body.returnId as string;

        const received = await api(
          'POST',
          `/v1/fulfillment/${orderId}/returns/${returnId}/receive`,
          undefined,
          { 'x-api-key': warehouseKey },
        );
        expect(received.status).toBe(200);
        expect(received.body).toMatchObject({ returnId, status: 'received' });

        await eventually(
          async () =>
            (await orderAs(shopper.token, orderId)).returns?.find((r) => r.returnId === returnId)
              ?.status === 'refunded' || undefined,
          SETTLES_MS,
          'the return to be refunded',
        );
        const settled = await paymentOnce(
          orderId,
          (p) => p.refunded.amount > 0,
          'the refund in the payment',
        );
        expect(settled.refunded).toEqual(refund);
        expect(ledgerOf(settled, 'refund').map((entry) => entry.amount)).toEqual([refund]);
        expect(ledgerOf(settled, 'capture')).toHaveLength(2);
        expect(settled.captured.amount - settled.refunded.amount).toBe(
          total.amount - refund.amount,
        );

        // The resellable unit is on sale again where it shipped from; the damaged one is not.
        await eventually(
          async () => (await availableIn(a.productId, a.sku, 'us-east')) === 2 || undefined,
          SETTLES_MS,
          'the resellable unit back on sale in us-east',
        );

        const types = (await trailOf(shopper.token, orderId)).map((entry) => entry.type);
        const journey = [
          'placed',
          'confirmed',
          'fulfillment_assigned',
          'shipment_picked',
          'shipment_packed',
          'shipment_shipped',
          'payment_captured',
          'shipment_delivered',
          'return_requested',
          'return_received',
          'return_refunded',
        ];
        expect(inOrder(types, journey)).toEqual(journey);
        const perShipment = ['shipment_picked', 'shipment_shipped', 'payment_captured'];
        expect(perShipment.map((type) => types.filter((t) => t === type).length)).toEqual([
          2, 2, 2,
        ]);
      },
      SPEC_MS,
    );
  });

  describe('warehouse events', () => {
    it(
      'the same event sent 10 times in parallel answers 200 with the same body each time and is in the trail once',
      async () => {
        const a = await productIn('us-east', 2);
        const { shopper, orderId, shipment } = await placeOrder([{ sku: a.sku, quantity: 1 }]);
        const event = {
          shipmentId: shipment('us-east').shipmentId,
          eventId: `pick-${unique()}`,
          type: 'picked',
          occurredAt: new Date(Date.now() - 60_000).toISOString(),
        };

        const answers = await Promise.all(
          Array.from({ length: 10 }, () => sendEvent(orderId, event)),
        );

        expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200));
        for (const answer of answers) expect(answer.body).toEqual(answers[0].body);
        expect(answers[0].body).toMatchObject({ shipmentStatus: 'picked', orderStatus: 'picked' });
        const types = (await trailOf(shopper.token, orderId)).map((entry) => entry.type);
        expect(types.filter((type) => type === 'shipment_picked')).toHaveLength(1);
      },
      SPEC_MS,
    );

    it(
      'accepts delivered before shipped (shipped implied, the capture follows) and ignores a picked after shipped',
      async () => {
        const a = await productIn('us-east', 1);
        const b = await productIn('eu-west', 1);
        const placed = await placeOrder([
          { sku: a.sku, quantity: 1 },
          { sku: b.sku, quantity: 1 },
        ]);
        const { shopper, orderId } = placed;
        const east = placed.shipment('us-east');
        const west = placed.shipment('eu-west');

        // The carrier's scan of the delivery reached us before the warehouse's of the hand-over.
        await walk(orderId, east, ['picked', 'packed']);
        await step(orderId, east, 'delivered');
        const eastNow = (await orderAs(shopper.token, orderId)).shipments.find(
          (s) => s.shipmentId === east.shipmentId,
        );
        expect(eastNow).toMatchObject({ status: 'delivered', shippedAt: expect.any(String) });
        const captured = await paymentOnce(
          orderId,
          (p) => ledgerOf(p, 'capture').length >= 1,
          'the capture of the delivered shipment',
        );
        expect(ledgerOf(captured, 'capture').map((entry) => entry.amount)).toEqual([east.amount]);

        await walk(orderId, west, ['picked', 'packed', 'shipped']);
        expect((await orderAs(shopper.token, orderId)).status).toBe('partially_delivered');

        // A late `picked` is kept in the trail (what the warehouse said, and when) and moves
        // nothing: the shipment and the order stay where they are.
        const before = await fulfilmentState(placed);
        const late = await sendEvent(orderId, { shipmentId: west.shipmentId, type: 'picked' });
        expect(late.status).toBe(200);
        expect(late.body).toMatchObject({
          shipmentStatus: 'shipped',
          orderStatus: 'partially_delivered',
        });
        const after = await fulfilmentState(placed);
        expect({ status: after.status, shipments: after.shipments }).toEqual({
          status: before.status,
          shipments: before.shipments,
        });
        expect(after.trail.slice(0, before.trail.length)).toEqual(before.trail);
        expect(after.trail.slice(before.trail.length).map((entry) => entry.type)).toEqual([
          'shipment_picked',
        ]);
      },
      SPEC_MS,
    );
  });

  describe('cancellation', () => {
    it(
      'before anything shipped: the order is cancelled, the payment voided and the stock back on sale',
      async () => {
        const a = await productIn('us-east', 3);
        const { shopper, orderId } = await placeOrder([{ sku: a.sku, quantity: 2 }]);
        expect(await availableIn(a.productId, a.sku, 'us-east')).toBe(1);

        const cancelled = await api(
          'POST',
          `/v1/orders/${orderId}/cancel`,
          undefined,
          bearer(shopper.token),
        );

        expect(cancelled.status).toBe(200);
        expect(cancelled.body.status).toBe('cancelled');
        expect(cancelled.body.shipments.map((s: Shipment) => s.status)).toEqual(['cancelled']);
        const voided = await paymentOnce(
          orderId,
          (p) => ledgerOf(p, 'void').length > 0,
          'the void of the authorisation',
        );
        expect(voided.captured.amount).toBe(0);
        expect(ledgerOf(voided, 'capture')).toEqual([]);
        await eventually(
          async () => (await availableIn(a.productId, a.sku, 'us-east')) === 3 || undefined,
          SETTLES_MS,
          'the cancelled units back on sale',
        );
      },
      SPEC_MS,
    );

    it(
      'after one of two shipments shipped: only the other is cancelled and its stock returns; cancelling again is 409 ORDER_ALREADY_SHIPPED',
      async () => {
        const a = await productIn('us-east', 1);
        const b = await productIn('eu-west', 2);
        const { shopper, orderId, shipment } = await placeOrder([
          { sku: a.sku, quantity: 1 },
          { sku: b.sku, quantity: 1 },
        ]);
        const east = shipment('us-east');
        await walk(orderId, east, ['picked', 'packed', 'shipped']);

        const cancelled = await api(
          'POST',
          `/v1/orders/${orderId}/cancel`,
          undefined,
          bearer(shopper.token),
        );

        expect(cancelled.status).toBe(200);
        expect(cancelled.body.status).toBe('shipped');
        const statusOf = (warehouseId: string) =>
          cancelled.body.shipments.find((s: Shipment) => s.warehouseId === warehouseId).status;
        expect([statusOf('us-east'), statusOf('eu-west')]).toEqual(['shipped', 'cancelled']);
        await eventually(
          async () => (await availableIn(b.productId, b.sku, 'eu-west')) === 2 || undefined,
          SETTLES_MS,
          'the cancelled shipment’s units back on sale in eu-west',
        );
        const payment = await paymentOnce(
          orderId,
          (p) => ledgerOf(p, 'capture').length > 0,
          'the capture of the shipped shipment',
        );
        expect(payment.captured).toEqual(east.amount);

        const again = await api(
          'POST',
          `/v1/orders/${orderId}/cancel`,
          undefined,
          bearer(shopper.token),
        );
        expectProblem(again, 409, 'ORDER_ALREADY_SHIPPED');
        expect((await orderAs(shopper.token, orderId)).status).toBe('shipped');
      },
      SPEC_MS,
    );
  });

  describe('bad input changes nothing', () => {
    /** A fulfilling order of one unit from us-east and one from eu-west. */
    async function splitOrder() {
      const a = await productIn('us-east', 1);
      const b = await productIn('eu-west', 1);
      return placeOrder([
        { sku: a.sku, quantity: 1 },
        { sku: b.sku, quantity: 1 },
      ]);
    }

    it(
      'an event for an unknown order, an unknown shipment, or another warehouse’s shipment is 404',
      async () => {
        const placed = await splitOrder();
        const east = placed.shipment('us-east');
        await unchangedBy(placed, async () => {
          expectProblem(
            await sendEvent(`o-unknown-${unique()}`, {
              shipmentId: east.shipmentId,
              type: 'picked',
            }),
            404,
            'ORDER_NOT_FOUND',
          );
          expectProblem(
            await sendEvent(placed.orderId, { shipmentId: `s-${unique()}`, type: 'picked' }),
            404,
            'SHIPMENT_NOT_FOUND',
          );
          expectProblem(
            await sendEvent(
              placed.orderId,
              { shipmentId: east.shipmentId, type: 'picked' },
              { 'x-api-key': euWestKey },
            ),
            404,
            'SHIPMENT_NOT_FOUND',
          );
        });
      },
      SPEC_MS,
    );

    it(
      'a key without the fulfillment scope and a seller’s token are 403',
      async () => {
        const placed = await splitOrder();
        const event = { shipmentId: placed.shipment('us-east').shipmentId, type: 'picked' };
        await unchangedBy(placed, async () => {
          expectProblem(await sendEvent(placed.orderId, event, { 'x-api-key': feedKey }), 403);
          expectProblem(await sendEvent(placed.orderId, event, bearer(sellerToken)), 403);
          expectProblem(await sendEvent(placed.orderId, event, bearer(placed.shopper.token)), 403);
        });
      },
      SPEC_MS,
    );

    it(
      'a malformed tracking number or timestamp is 400 naming the field',
      async () => {
        const placed = await splitOrder();
        const shipmentId = placed.shipment('us-east').shipmentId;
        await unchangedBy(placed, async () => {
          const markup = await sendEvent(placed.orderId, {
            shipmentId,
            type: 'shipped',
            trackingNumber: '<script>',
          });
          expectProblem(markup, 400);
          expect(markup.body.errors.map((e: { field: string }) => e.field)).toContain(
            'trackingNumber',
          );
          const vague = await sendEvent(placed.orderId, {
            shipmentId,
            type: 'picked',
            occurredAt: 'yesterday',
          });
          expectProblem(vague, 400);
          expect(vague.body.errors.map((e: { field: string }) => e.field)).toContain('occurredAt');
        });
      },
      SPEC_MS,
    );

    it(
      'an eventId sent again with another body is 422 EVENT_ID_REUSED',
      async () => {
        const placed = await splitOrder();
        const east = placed.shipment('us-east');
        const eventId = `reuse-${unique()}`;
        const first = await sendEvent(placed.orderId, {
          shipmentId: east.shipmentId,
          eventId,
          type: 'picked',
        });
        expect(first.status).toBe(200);
        await unchangedBy(placed, async () => {
          expectProblem(
            await sendEvent(placed.orderId, {
              shipmentId: east.shipmentId,
              eventId,
              type: 'packed',
            }),
            422,
            'EVENT_ID_REUSED',
          );
        });
      },
      SPEC_MS,
    );

    it(
      'an event for a cancelled shipment is 409 SHIPMENT_CANCELLED',
      async () => {
        const placed = await splitOrder();
        await walk(placed.orderId, placed.shipment('us-east'), ['picked', 'packed', 'shipped']);
        const cancelled = await api(
          'POST',
          `/v1/orders/${placed.orderId}/cancel`,
          undefined,
          bearer(placed.shopper.token),
        );
        expect(cancelled.status).toBe(200);
        // The worker's follow-ups are done before we compare: the cancelled shipment's stock
        // back, and the hold's remainder released once the shipped one was captured.
        await eventually(
          async () => {
            const types = (await trailOf(placed.shopper.token, placed.orderId)).map((e) => e.type);
            return (
              (types.includes('shipment_restocked') && types.includes('authorization_released')) ||
              undefined
            );
          },
          SETTLES_MS,
          'the cancelled shipment restocked and the remainder released',
        );
        await unchangedBy(placed, async () => {
          expectProblem(
            await sendEvent(placed.orderId, {
              shipmentId: placed.shipment('eu-west').shipmentId,
              type: 'picked',
            }),
            409,
            'SHIPMENT_CANCELLED',
          );
        });
      },
      SPEC_MS,
    );

    it(
      'a return before delivery, or of more units than were delivered, is 422 RETURN_EXCEEDS_DELIVERED',
      async () => {
        const a = await productIn('us-east', 2);
        const placed = await placeOrder([{ sku: a.sku, quantity: 1 }]);
        const returnOf = (quantity: number) =>
          api(
            'POST',
            `/v1/orders/${placed.orderId}/returns`,
            {
              items: [{ sku: a.sku, quantity, reason: 'Changed my mind', condition: 'resellable' }],
            },
            bearer(placed.shopper.token),
          );

        await unchangedBy(placed, async () => {
          expectProblem(await returnOf(1), 422, 'RETURN_EXCEEDS_DELIVERED');
        });
        await walk(placed.orderId, placed.shipment('us-east'), [
          'picked',
          'packed',
          'shipped',
          'delivered',
        ]);
        await unchangedBy(placed, async () => {
          const tooMany = await returnOf(2);
          expectProblem(tooMany, 422, 'RETURN_EXCEEDS_DELIVERED');
          expect(tooMany.body.details.items).toEqual([expect.objectContaining({ sku: a.sku })]);
        });
      },
      SPEC_MS,
    );

    it(
      'another customer cannot cancel or return the order: 404 ORDER_NOT_FOUND',
      async () => {
        const a = await productIn('us-east', 1);
        const placed = await placeOrder([{ sku: a.sku, quantity: 1 }]);
        await walk(placed.orderId, placed.shipment('us-east'), [
          'picked',
          'packed',
          'shipped',
          'delivered',
        ]);
        const stranger = await newCustomer(target().baseUrl);

        await unchangedBy(placed, async () => {
          expectProblem(
            await api(
              'POST',
              `/v1/orders/${placed.orderId}/cancel`,
              undefined,
              bearer(stranger.token),
            ),
            404,
            'ORDER_NOT_FOUND',
          );
          expectProblem(
            await api(
              'POST',
              `/v1/orders/${placed.orderId}/returns`,
              { items: [{ sku: a.sku, quantity: 1, reason: 'Not mine', condition: 'resellable' }] },
              bearer(stranger.token),
            ),
            404,
            'ORDER_NOT_FOUND',
          );
        });
      },
      SPEC_MS,
    );
  });
}
