import { randomUUID } from 'node:crypto';
import { startTestDynamo, type TestDynamo } from '@mercato/testing';
import { DynamoOrderEventStore } from './dynamo-order-event-store';
import {
  placedEvent,
  sellerLine,
  step,
  type StatusEventType,
} from '../../test/support/order-events';
import type { OrderEvent } from './order.events';
import { OrdersProjection } from './orders.projection';
import { OrdersRepository } from './orders.repository';
import { SellerOrdersRepository } from './seller-orders.repository';
import { ORDER_TABLES } from './orders.tables';

describe('OrdersProjection and OrdersRepository', () => {
  let dynamo: TestDynamo;
  let events: DynamoOrderEventStore;
  let orders: OrdersRepository;
  let projection: OrdersProjection;
  let sellerOrders: SellerOrdersRepository;

  beforeAll(async () => {
    dynamo = await startTestDynamo(ORDER_TABLES);
    events = new DynamoOrderEventStore(dynamo.doc, dynamo.tables);
    orders = new OrdersRepository(dynamo.doc, dynamo.tables);
    sellerOrders = new SellerOrdersRepository(dynamo.doc, dynamo.tables);
    projection = new OrdersProjection(events, orders, sellerOrders);
  });

  afterAll(async () => {
    await dynamo.close();
  });

  const newCustomer = () => `customer-${randomUUID()}`;

  /** An order's history: placed by `customerId` at `placedAt`, then `types` in turn. */
  function history(
    customerId: string,
    placedAt: string,
    ...types: StatusEventType[]
  ): OrderEvent[] {
    const orderId = `order-${randomUUID()}`;
    return [
      placedEvent(orderId, { customerId, occurredAt: placedAt }),
      ...types.map((type, i) => step(orderId, i + 2, type)),
    ];
  }

  /** Places an order in the event store (placed, then `types`) and refreshes its projection. */
  async function placeOrder(
    customerId: string,
    placedAt: string,
    ...types: StatusEventType[]
  ): Promise<string> {
    const all = history(customerId, placedAt, ...types);
    const orderId = all[0].orderId;
    await events.append(
      orderId,
      0,
      all.map(({ orderId: _order, version: _version, ...draft }) => draft),
    );
    expect(await projection.refresh(orderId)).toBe('written');
    return orderId;
  }

  describe('projecting', () => {
    it('writes the order item: keys, status, totals, lines summary, times and version', async () => {
      const customerId = newCustomer();
      const orderId = await placeOrder(customerId, '2026-02-01T09:30:00.000Z', 'put_on_hold');

      expect(await orders.getByOrderId(orderId)).toEqual({
        customerId,
        orderKey: `2026-02-01T09:30:00.000Z#${orderId}`,
        orderId,
        status: 'on_hold',
        statusKey: `on_hold#2026-02-01T09:30:00.000Z#${orderId}`,
        placedKey: `2026-02-01T09:30:00.000Z#${orderId}`,
        region: 'us',
        currency: 'USD',
        totals: expect.objectContaining({ total: { amount: 2_300, currency: 'USD' } }),
        lines: [
          {
            sku: 'SKU-1',
            productId: 'product-1',
            quantity: 2,
            lineTotal: { amount: 1_800, currency: 'USD' },
          },
          {
            sku: 'SKU-2',
            productId: 'product-2',
            quantity: 1,
            lineTotal: { amount: 500, currency: 'USD' },
          },
        ],
        placedAt: '2026-02-01T09:30:00.000Z',
        updatedAt: '2026-01-01T10:00:02.000Z',
        version: 2,
        reason: 'put_on_hold because',
      });
    });

    it('is idempotent: projecting the same history again writes nothing', async () => {
      const all = history(newCustomer(), '2026-02-01T00:00:00.000Z', 'confirmed');

      expect(await projection.project(all)).toBe('written');
      expect(await projection.project(all)).toBe('stale');
      expect((await orders.getByOrderId(all[0].orderId))!.status).toBe('confirmed');
    });

    it('never goes backwards: an older history after a newer one leaves the newer', async () => {
      const all = history(newCustomer(), '2026-02-01T00:00:00.000Z', 'put_on_hold', 'approved');

      expect(await projection.project(all)).toBe('written');
      expect(await projection.project(all.slice(0, 2))).toBe('stale');
      expect(await projection.project(all.slice(0, 1))).toBe('stale');
      expect(await orders.getByOrderId(all[0].orderId)).toMatchObject({
        status: 'confirmed',
        version: 3,
      });
    });

    it('ends at the newest version when projections of every prefix race', async () => {
      const all = history(newCustomer(), '2026-02-01T00:00:00.000Z', 'put_on_hold', 'rejected');

      await Promise.all(
        [3, 1, 2, 3, 2, 1].map((length) => projection.project(all.slice(0, length))),
      );

      expect(await orders.getByOrderId(all[0].orderId)).toMatchObject({
        status: 'cancelled',
        version: 3,
      });
    });

    it('writes each seller’s lines once the order was placed, never going backwards', async () => {
      const orderId = `order-${randomUUID()}`;
      const seller = `seller-${randomUUID()}`;
      const all: OrderEvent[] = [
        placedEvent(orderId, { lines: [sellerLine('A-1', seller, 2), sellerLine('B-1', 'other')] }),
        step(orderId, 2, 'put_on_hold'),
        step(orderId, 3, 'approved'),
      ];

      await projection.project(all.slice(0, 1));
      expect((await sellerOrders.listForSeller(seller, { limit: 10 })).orders).toEqual([]);
      await projection.project(all);
      await projection.project(all.slice(0, 2));

      const { orders: mine } = await sellerOrders.listForSeller(seller, { limit: 10 });
      expect(mine).toEqual([expect.objectContaining({ orderId, status: 'confirmed', version: 3 })]);
      expect(mine[0].lines.map((line) => line.sku)).toEqual(['A-1']);
    });

    it('answers no_events for an order without history', async () => {
      expect(await projection.refresh(`order-${randomUUID()}`)).toBe('no_events');
    });
  });

  describe('listing every order of a customer (admins)', () => {
    let customerId: string;
    /** Order ids by placing time, oldest first. */
    let placed: { id: string; status: string }[];

    beforeAll(async () => {
      customerId = newCustomer();
      placed = [];
      const plan: [string, StatusEventType[], string][] = [
        ['2026-03-01T00:00:00.000Z', ['confirmed'], 'confirmed'],
        ['2026-03-02T00:00:00.000Z', ['put_on_hold'], 'on_hold'],
        ['2026-03-03T00:00:00.000Z', ['confirmed'], 'confirmed'],
        ['2026-03-04T00:00:00.000Z', ['failed'], 'failed'],
        ['2026-03-05T00:00:00.000Z', ['confirmed'], 'confirmed'],
        ['2026-03-06T00:00:00.000Z', ['put_on_hold', 'approved'], 'confirmed'],
        ['2026-03-07T00:00:00.000Z', [], 'pending'],
      ];
      for (const [at, types, status] of plan) {
        placed.push({ id: await placeOrder(customerId, at, ...types), status });
      }
      // Another customer's orders never show up in this customer's lists.
      await placeOrder(newCustomer(), '2026-03-08T00:00:00.000Z', 'confirmed');
    });

    const newestFirst = (status?: string) =>
      placed
        .filter((order) => !status || order.status === status)
        .map((order) => order.id)
        .reverse();

    /** Every page of a listing, following the cursors. */
    async function allPages(limit: number, status?: 'confirmed' | 'on_hold') {
      const pages: string[][] = [];
      let cursor: string | undefined;
      do {
        const page = await orders.listByCustomer(customerId, { limit, status, cursor });
        pages.push(page.orders.map((order) => order.orderId));
        cursor = page.nextCursor;
      } while (cursor && pages.length < 20);
      return pages;
    }

    it('lists newest first', async () => {
      const page = await orders.listByCustomer(customerId, { limit: 100 });

      expect(page.orders.map((order) => order.orderId)).toEqual(newestFirst());
      expect(page.nextCursor).toBeUndefined();
    });

    it('pages with the cursor, every order once, in order', async () => {
      const pages = await allPages(3);

      expect(pages.slice(0, 3).map((page) => page.length)).toEqual([3, 3, 1]);
      expect(pages.flat()).toEqual(newestFirst());
    });

    it('filters by status, newest first, across pages', async () => {
      expect((await allPages(2, 'confirmed')).flat()).toEqual(newestFirst('confirmed'));
      expect((await allPages(10, 'on_hold')).flat()).toEqual(newestFirst('on_hold'));
      expect(newestFirst('confirmed')).toHaveLength(4);
    });

    it('refuses a cursor of another customer, another status or a forged one', async () => {
      const first = await orders.listByCustomer(customerId, { limit: 1 });
      const cursor = first.nextCursor!;

      await expect(
        orders.listByCustomer(newCustomer(), { limit: 1, cursor }),
      ).rejects.toMatchObject({ code: 'INVALID_CURSOR', status: 400 });
      await expect(
        orders.listByCustomer(customerId, { limit: 1, cursor, status: 'confirmed' }),
      ).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
      await expect(
        orders.listByCustomer(customerId, { limit: 1, cursor: 'not-a-cursor' }),
      ).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
    });

    it('answers an empty list for a customer without orders', async () => {
      expect(await orders.listByCustomer(newCustomer(), { limit: 10 })).toEqual({ orders: [] });
    });
  });

  describe('finding one order', () => {
    it('gets an order by id, and for its customer only', async () => {
      const customerId = newCustomer();
      const orderId = await placeOrder(customerId, '2026-04-01T00:00:00.000Z');

      expect(await orders.getByOrderId(orderId)).toMatchObject({ orderId, customerId });
      expect(await orders.getForCustomer(customerId, orderId)).toMatchObject({ orderId });
      expect(await orders.getForCustomer(newCustomer(), orderId)).toBeUndefined();
      expect(await orders.getForCustomer(customerId, `order-${randomUUID()}`)).toBeUndefined();
    });
  });
});
