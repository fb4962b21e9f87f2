import { randomUUID } from 'node:crypto';
import { startTestDynamo, type TestDynamo } from '@mercato/testing';
import {
  draftOf,
  fraudAssessedEvent,
  paymentAuthorizedEvent,
  placedEvent,
  sellerLine,
  step,
  type StatusEventType,
} from '../../test/support/order-events';
import { DynamoFraudDecisions } from '../fraud/dynamo-fraud-decisions';
import { FRAUD_TABLES } from '../fraud/fraud.tables';
import { DynamoOrderEventStore } from '../orders/dynamo-order-event-store';
import { OrderRecorder } from '../orders/order-recorder';
import type { OrderEvent, OrderLine, OrderStatus } from '../orders/order.events';
import { OrdersProjection } from '../orders/orders.projection';
import { orderKeyOf, OrdersRepository } from '../orders/orders.repository';
import { ORDER_TABLES } from '../orders/orders.tables';
import { SellerOrdersRepository } from '../orders/seller-orders.repository';
import { EmbeddedPaymentProvider } from '../payments/embedded-payment-provider';
import { PaymentsClock } from '../payments/payments.clock';
import { paymentsConfig } from '../payments/payments.config';
import { PaymentsRepository } from '../payments/payments.repository';
import { PAYMENTS_TABLES } from '../payments/payments.tables';
import { OrderQueriesService } from './order-queries.service';

describe('OrderQueriesService (orders recorded through OrderRecorder, on dynalite)', () => {
  let dynamo: TestDynamo;
  let recorder: OrderRecorder;
  let fraud: DynamoFraudDecisions;
  let payments: EmbeddedPaymentProvider;
  let queries: OrderQueriesService;

  /** Every order recorded in this file, as it stands: the admins' lists answer all of them. */
  const recorded: { orderId: string; orderKey: string; customerId: string; status: string }[] = [];

  beforeAll(async () => {
    dynamo = await startTestDynamo([...ORDER_TABLES, ...FRAUD_TABLES, ...PAYMENTS_TABLES]);
    const store = new DynamoOrderEventStore(dynamo.doc, dynamo.tables);
    const orders = new OrdersRepository(dynamo.doc, dynamo.tables);
    const sellerOrders = new SellerOrdersRepository(dynamo.doc, dynamo.tables);
    recorder = new OrderRecorder(store, new OrdersProjection(store, orders, sellerOrders), {});
    fraud = new DynamoFraudDecisions(dynamo.doc, dynamo.tables);
    payments = new EmbeddedPaymentProvider(
      new PaymentsRepository(dynamo.doc, dynamo.tables),
      new PaymentsClock(),
      paymentsConfig({}),
    );
    queries = new OrderQueriesService(recorder, orders, sellerOrders, fraud, payments);
  });

  afterAll(async () => {
    await recorder.onModuleDestroy();
    await dynamo.close();
  });

  const newId = (kind: string) => `${kind}-${randomUUID()}`;

  /**
   * Records an order as checkout would: `placed` by `customerId` at `placedAt`, then each of
   * `types` as an append of its own. Answers the order id.
   */
  async function placeOrder(
    customerId: string,
    placedAt: string,
    types: StatusEventType[],
    options: { lines?: OrderLine[]; paymentId?: string; steps?: 'checkout' } = {},
  ): Promise<string> {
    const orderId = newId('order');
    const events: OrderEvent[] = [
      placedEvent(orderId, {
        customerId,
        occurredAt: placedAt,
        lines: options.lines,
        paymentId: options.paymentId,
        idempotencyKey: `idem-${orderId}`,
      }),
    ];
    if (options.steps) {
      events.push(
        fraudAssessedEvent(orderId, 2),
        paymentAuthorizedEvent(orderId, 3, options.paymentId),
      );
    }
    for (const type of types) events.push(step(orderId, events.length + 1, type));
    let state = undefined;
    for (const event of events) {
      state = await recorder.record(orderId, event.version - 1, [draftOf(event)], state);
    }
    recorded.push({
      orderId,
      orderKey: orderKeyOf(placedAt, orderId),
      customerId,
      status: state!.status,
    });
    return orderId;
  }

  /** The ids of every page of a list, following the cursors. */
  async function allPages(
    list: (cursor?: string) => Promise<{ items: { orderId: string }[]; nextCursor: string | null }>,
  ): Promise<string[][]> {
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await list(cursor);
      pages.push(page.items.map((item) => item.orderId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor && pages.length < 50);
    return pages;
  }

  const newestFirst = (orders: { orderId: string; orderKey: string }[]) =>
    [...orders].sort((a, b) => b.orderKey.localeCompare(a.orderKey)).map((o) => o.orderId);

  describe('a customer’s orders', () => {
    const customerId = newId('customer');
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      ids.confirmed1 = await placeOrder(customerId, '2026-03-01T00:00:00.000Z', ['confirmed']);
      ids.onHold = await placeOrder(customerId, '2026-03-02T00:00:00.000Z', ['put_on_hold']);
      ids.failed = await placeOrder(customerId, '2026-03-03T00:00:00.000Z', ['failed']);
      ids.confirmed2 = await placeOrder(customerId, '2026-03-04T00:00:00.000Z', ['confirmed']);
      ids.cancelled = await placeOrder(customerId, '2026-03-05T00:00:00.000Z', [
        'confirmed',
        'cancelled',
      ]);
      ids.pending = await placeOrder(customerId, '2026-03-06T00:00:00.000Z', []);
      ids.approved = await placeOrder(customerId, '2026-03-07T00:00:00.000Z', [
        'put_on_hold',
        'approved',
      ]);
      // Another customer's order is never in this customer's list.
      await placeOrder(newId('customer'), '2026-03-08T00:00:00.000Z', ['confirmed']);
    });

    const list = (status?: 'confirmed' | 'on_hold' | 'pending' | 'failed' | 'shipped') =>
      allPages((cursor) => queries.listCustomerOrders({ customerId, status, limit: 2, cursor }));

    it('lists the placed orders newest first, never a pending or failed checkout', async () => {
      const page = await queries.listCustomerOrders({ customerId, limit: 20 });

      expect(page.items.map((item) => item.orderId)).toEqual([
        ids.approved,
        ids.cancelled,
        ids.confirmed2,
        ids.onHold,
        ids.confirmed1,
      ]);
      expect(page.items[0]).toMatchObject({ status: 'confirmed', itemCount: 3 });
      expect(page.nextCursor).toBeNull();
    });

    it('pages with the cursor: every placed order once, in order, full pages', async () => {
      const pages = await list();

      expect(pages.slice(0, 3).map((page) => page.length)).toEqual([2, 2, 1]);
      expect(pages.flat()).toEqual([
        ids.approved,
        ids.cancelled,
        ids.confirmed2,
        ids.onHold,
        ids.confirmed1,
      ]);
    });

    it('filters by status across pages; pending and failed answer nothing', async () => {
      expect((await list('confirmed')).flat()).toEqual([
        ids.approved,
        ids.confirmed2,
        ids.confirmed1,
      ]);
      expect((await list('on_hold')).flat()).toEqual([ids.onHold]);
      expect((await list('pending')).flat()).toEqual([]);
      expect((await list('failed')).flat()).toEqual([]);
      expect((await list('shipped')).flat()).toEqual([]);
    });

    it('refuses a cursor of another customer or another status', async () => {
      const { nextCursor } = await queries.listCustomerOrders({ customerId, limit: 1 });

      await expect(
        queries.listCustomerOrders({
          customerId: newId('customer'),
          limit: 1,
          cursor: nextCursor!,
        }),
      ).rejects.toMatchObject({ code: 'INVALID_CURSOR', status: 400 });
      await expect(
        queries.listCustomerOrders({
          customerId,
          status: 'confirmed',
          limit: 1,
          cursor: nextCursor!,
        }),
      ).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
    });

    it('gets one of their orders with its lines, address and totals', async () => {
      const view = await queries.getCustomerOrder({ customerId, orderId: ids.onHold });

      expect(view).toMatchObject({
        orderId: ids.onHold,
        customerId,
        status: 'on_hold',
        reason: 'put_on_hold because',
        totals: { total: { amount: 2_300, currency: 'USD' } },
        createdAt: '2026-03-02T00:00:00.000Z',
      });
      expect(view.items.map((item) => item.sku)).toEqual(['SKU-1', 'SKU-2']);
    });

    it('answers the same 404 for an unknown order, another customer’s, and a failed or pending checkout', async () => {
      const unknown = newId('order');
      const refusals = await Promise.all(
        [
          { customerId, orderId: unknown },
          { customerId: newId('customer'), orderId: ids.confirmed1 },
          { customerId, orderId: ids.failed },
          { customerId, orderId: ids.pending },
        ].map((request) => queries.getCustomerOrder(request).catch((error: unknown) => error)),
      );

      for (const [i, refusal] of refusals.entries()) {
        expect(refusal).toMatchObject({ status: 404, code: 'ORDER_NOT_FOUND' });
        const orderId = [unknown, ids.confirmed1, ids.failed, ids.pending][i];
        expect((refusal as Error).message).toBe(`Order ${orderId} was not found`);
      }
    });

    it('shows an order once its pending checkout is confirmed', async () => {
      const orderId = await placeOrder(customerId, '2026-03-09T00:00:00.000Z', []);
      await expect(queries.getCustomerOrder({ customerId, orderId })).rejects.toMatchObject({
        code: 'ORDER_NOT_FOUND',
      });

      await recorder.record(
        orderId,
        1,
        [draftOf(step(orderId, 2, 'confirmed'))],
        await recorder.load(orderId),
      );

      expect(await queries.getCustomerOrder({ customerId, orderId })).toMatchObject({
        status: 'confirmed',
      });
      const first = await queries.listCustomerOrders({ customerId, limit: 1 });
      expect(first.items.map((item) => item.orderId)).toEqual([orderId]);
      recorded.find((order) => order.orderId === orderId)!.status = 'confirmed';
    });
  });

  describe('the audit trail', () => {
    const customerId = newId('customer');
    let orderId: string;

    beforeAll(async () => {
      orderId = await placeOrder(
        customerId,
        '2026-04-01T00:00:00.000Z',
        ['put_on_hold', 'rejected'],
        {
          steps: 'checkout',
        },
      );
    });

    it('is oldest first, with who did each step and why', async () => {
      const { items } = await queries.getOrderHistory({ orderId, customerId });

      expect(items.map((entry) => [entry.version, entry.type, entry.actor, entry.reason])).toEqual([
        [1, 'placed', { kind: 'customer', id: customerId }, undefined],
        [2, 'fraud_assessed', { kind: 'system', id: 'fraud' }, undefined],
        [3, 'payment_authorized', { kind: 'system', id: 'checkout' }, undefined],
        [4, 'put_on_hold', { kind: 'system', id: 'spec' }, 'put_on_hold because'],
        [5, 'rejected', { kind: 'system', id: 'spec' }, 'rejected because'],
      ]);
    });

    it('shows the customer neither the idempotency key nor the fraud score; admins both', async () => {
      const mine = await queries.getOrderHistory({ orderId, customerId });
      const admins = await queries.getOrderHistory({ orderId });

      expect(mine.items[0].data).not.toHaveProperty('idempotencyKey');
      expect(mine.items[1].data).toEqual({});
      expect(admins.items[0].data).toMatchObject({ idempotencyKey: `idem-${orderId}` });
      expect(admins.items[1].data).toMatchObject({ outcome: 'allow', score: 12 });
    });

    it('answers 404 to another customer, and for an unknown order', async () => {
      await expect(
        queries.getOrderHistory({ orderId, customerId: newId('customer') }),
      ).rejects.toMatchObject({ status: 404, code: 'ORDER_NOT_FOUND' });
      await expect(queries.getOrderHistory({ orderId: newId('order') })).rejects.toMatchObject({
        code: 'ORDER_NOT_FOUND',
      });
    });
  });

  describe('admins', () => {
    const alice = newId('customer');
    const bob = newId('customer');

    beforeAll(async () => {
      await placeOrder(alice, '2026-05-01T00:00:00.000Z', ['confirmed']);
      await placeOrder(bob, '2026-05-02T00:00:00.000Z', ['failed']);
      await placeOrder(bob, '2026-05-03T00:00:00.000Z', ['confirmed']);
      await placeOrder(alice, '2026-05-04T00:00:00.000Z', []);
      await placeOrder(alice, '2026-05-05T00:00:00.000Z', ['confirmed']);
    });

    const ofStatus = (status: OrderStatus) =>
      newestFirst(recorded.filter((order) => order.status === status));

    it('list one status across customers, newest first, page by page', async () => {
      const pages = await allPages((cursor) =>
        queries.listOrdersForAdmin({ status: 'confirmed', limit: 2, cursor }),
      );

      expect(pages.flat()).toEqual(ofStatus('confirmed'));
      const customers = recorded
        .filter((order) => pages.flat().includes(order.orderId))
        .map((order) => order.customerId);
      expect(customers).toEqual(expect.arrayContaining([alice, bob]));
      expect(
        (
          await allPages((cursor) =>
            queries.listOrdersForAdmin({ status: 'failed', limit: 2, cursor }),
          )
        ).flat(),
      ).toEqual(ofStatus('failed'));
    });

    it('list a customer’s every order, pending and failed included', async () => {
      const page = await queries.listOrdersForAdmin({ customerId: bob, limit: 20 });
      const alices = await queries.listOrdersForAdmin({ customerId: alice, limit: 20 });

      expect(page.items.map((item) => item.status)).toEqual(['confirmed', 'failed']);
      expect(alices.items.map((item) => item.status)).toEqual([
        'confirmed',
        'pending',
        'confirmed',
      ]);
      const pending = await queries.listOrdersForAdmin({
        customerId: alice,
        status: 'pending',
        limit: 20,
      });
      expect(pending.items).toHaveLength(1);
    });

    it('get an order with its timeline, the payment as the provider has it, and the fraud decision', async () => {
      const orderId = newId('order');
      const authorization = await payments.authorize({
        idempotencyKey: `pay-${orderId}`,
        token: 'tok_visa',
        amount: { amount: 2_300, currency: 'USD' },
        orderId,
        customerId: alice,
      });
      if (authorization.outcome !== 'authorized') throw new Error('tok_visa authorises');
      await fraud.record({
        orderId,
        customerId: alice,
        decision: 'review',
        score: 55,
        reasons: [{ rule: 'new_account_large_order', weight: 55, detail: 'account 2 days old' }],
        decidedAt: '2026-05-06T00:00:00.000Z',
        ip: '203.0.113.9',
      });
      const placed = placedEvent(orderId, {
        customerId: alice,
        occurredAt: '2026-05-06T00:00:00.000Z',
        paymentId: authorization.paymentId,
      });
      let state = await recorder.record(orderId, 0, [draftOf(placed)]);
      state = await recorder.record(
        orderId,
        1,
        [
          draftOf(paymentAuthorizedEvent(orderId, 2, authorization.paymentId)),
          draftOf(step(orderId, 3, 'put_on_hold')),
        ],
        state,
      );
      recorded.push({
        orderId,
        orderKey: orderKeyOf(placed.occurredAt, orderId),
        customerId: alice,
        status: state.status,
      });

      const view = await queries.getOrderForAdmin({ orderId });

      expect(view).toMatchObject({ orderId, status: 'on_hold', payment: { status: 'authorized' } });
      expect(view.timeline.map((entry) => entry.type)).toEqual([
        'placed',
        'payment_authorized',
        'put_on_hold',
      ]);
      expect(view.payments).toEqual([
        {
          paymentId: authorization.paymentId,
          status: 'authorized',
          authorized: { amount: 2_300, currency: 'USD' },
          captured: { amount: 0, currency: 'USD' },
          refunded: { amount: 0, currency: 'USD' },
          expiresAt: authorization.expiresAt,
          ledger: [],
        },
      ]);
      expect(view.fraud).toEqual({
        outcome: 'review',
        score: 55,
        reasons: [{ rule: 'new_account_large_order', weight: 55, detail: 'account 2 days old' }],
        decidedAt: '2026-05-06T00:00:00.000Z',
      });
    });

    it('get 404 for an unknown order', async () => {
      await expect(queries.getOrderForAdmin({ orderId: newId('order') })).rejects.toMatchObject({
        status: 404,
        code: 'ORDER_NOT_FOUND',
      });
    });
  });

  describe('sellers', () => {
    const sellerA = newId('seller');
    const sellerB = newId('seller');
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      const customerId = newId('customer');
      ids.both = await placeOrder(customerId, '2026-06-01T00:00:00.000Z', ['confirmed'], {
        lines: [sellerLine('A-1', sellerA, 2), sellerLine('B-1', sellerB)],
      });
      ids.onlyB = await placeOrder(customerId, '2026-06-02T00:00:00.000Z', ['confirmed'], {
        lines: [sellerLine('B-2', sellerB)],
      });
      ids.failedA = await placeOrder(customerId, '2026-06-03T00:00:00.000Z', ['failed'], {
        lines: [sellerLine('A-2', sellerA)],
      });
      ids.pendingA = await placeOrder(customerId, '2026-06-04T00:00:00.000Z', [], {
        lines: [sellerLine('A-3', sellerA)],
      });
      ids.heldA = await placeOrder(customerId, '2026-06-05T00:00:00.000Z', ['put_on_hold'], {
        lines: [sellerLine('A-4', sellerA), sellerLine('B-3', sellerB, 3)],
      });
    });

    it('list the placed orders holding their products, newest first, with their lines only', async () => {
      const { items, nextCursor } = await queries.listSellerOrders({
        sellerId: sellerA,
        limit: 20,
      });

      expect(
        items.map((item) => [item.orderId, item.status, item.items.map((line) => line.sku)]),
      ).toEqual([
        [ids.heldA, 'on_hold', ['A-4']],
        [ids.both, 'confirmed', ['A-1']],
      ]);
      expect(items[1]).toMatchObject({
        region: 'us',
        currency: 'USD',
        createdAt: '2026-06-01T00:00:00.000Z',
      });
      expect(nextCursor).toBeNull();
    });

    it('page and filter by status', async () => {
      const pages = await allPages((cursor) =>
        queries.listSellerOrders({ sellerId: sellerB, limit: 2, cursor }),
      );
      expect(pages.flat()).toEqual([ids.heldA, ids.onlyB, ids.both]);

      const confirmed = await queries.listSellerOrders({
        sellerId: sellerB,
        status: 'confirmed',
        limit: 20,
      });
      expect(confirmed.items.map((item) => item.orderId)).toEqual([ids.onlyB, ids.both]);
    });

    it('see a status change of an order they are in', async () => {
      await recorder.record(
        ids.heldA,
        2,
        [draftOf(step(ids.heldA, 3, 'approved'))],
        await recorder.load(ids.heldA),
      );
      recorded.find((order) => order.orderId === ids.heldA)!.status = 'confirmed';

      const { items } = await queries.listSellerOrders({ sellerId: sellerA, limit: 1 });
      expect(items[0]).toMatchObject({ orderId: ids.heldA, status: 'confirmed' });
    });
  });

  // Last: every order of this file is recorded by now, and the admins' list answers them all.
  describe('admins, with no filter', () => {
    it('list every order of every status newest first, page by page', async () => {
      const pages = await allPages((cursor) => queries.listOrdersForAdmin({ limit: 4, cursor }));

      expect(pages.flat()).toEqual(newestFirst(recorded));
      expect(pages.slice(0, -1).every((page) => page.length === 4)).toBe(true);
    });

    it('refuse a cursor of another list', async () => {
      const { nextCursor } = await queries.listOrdersForAdmin({ limit: 1 });

      await expect(
        queries.listOrdersForAdmin({ status: 'confirmed', limit: 1, cursor: nextCursor! }),
      ).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
    });
  });
});
