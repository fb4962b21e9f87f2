import { randomUUID } from 'node:crypto';

/*
 * The port lives in the order app (apps/order/src/orders/order-event-store.ts), and a library
 * never imports an app, so the suite states the shape it drives. An adapter's spec passing its
 * store here is what checks, at compile time, that the port still has this shape.
 */
interface EventDraft {
  type: string;
  occurredAt: string;
  actor: { kind: 'customer' | 'admin' | 'system'; id?: string };
  reason?: string;
  data: Record<string, unknown>;
}
interface StoredEvent extends EventDraft {
  orderId: string;
  version: number;
}

/** The `OrderEventStore` port as this suite drives it. */
export interface OrderEventStoreUnderContract {
  append(
    orderId: string,
    expectedVersion: number,
    drafts: readonly EventDraft[],
  ): Promise<StoredEvent[]>;
  read(orderId: string): Promise<StoredEvent[]>;
  readFrom(orderId: string, fromVersion: number): Promise<StoredEvent[]>;
}

/**
 * A draft every adapter stores: the store keeps history and does not judge transitions (that is
 * the domain's fold), so one event type with a numbered reason tells the drafts apart.
 */
const draft = (label: string): EventDraft => ({
  type: 'put_on_hold',
  occurredAt: new Date(Date.UTC(2026, 0, 1)).toISOString(),
  actor: { kind: 'system', id: 'contract' },
  reason: label,
  data: { reason: label },
});
const drafts = (...labels: string[]): EventDraft[] => labels.map(draft);
const labelsOf = (events: readonly StoredEvent[]): (string | undefined)[] =>
  events.map((event) => event.reason);
const versionsOf = (events: readonly StoredEvent[]): number[] =>
  events.map((event) => event.version);

/**
 * The behaviour every `OrderEventStore` adapter keeps (see the port's class comment): versions
 * given from the expected version on, optimistic concurrency (`ORDER_VERSION_CONFLICT`), one
 * append visible whole or not at all, reads in version order. `makeStore` may share a store
 * between tests: each test uses fresh order ids.
 */
export function orderEventStoreContract(
  name: string,
  makeStore: () => Promise<OrderEventStoreUnderContract>,
): void {
  describe(`OrderEventStore contract: ${name}`, () => {
    let store: OrderEventStoreUnderContract;
    let orderId: string;

    beforeEach(async () => {
      store = await makeStore();
      orderId = `order-${randomUUID()}`;
    });

    it('reads back what was appended, with the order id and versions from 1', async () => {
      const appended = await store.append(orderId, 0, drafts('a', 'b'));

      expect(appended).toEqual([
        { ...draft('a'), orderId, version: 1 },
        { ...draft('b'), orderId, version: 2 },
      ]);
      expect(await store.read(orderId)).toEqual(appended);
    });

    it('answers no events for an order it never saw', async () => {
      expect(await store.read(orderId)).toEqual([]);
      expect(await store.readFrom(orderId, 1)).toEqual([]);
    });

    it('keeps version order across appends of one and several events', async () => {
      await store.append(orderId, 0, drafts('1'));
      await store.append(orderId, 1, drafts('2', '3', '4'));
      await store.append(orderId, 4, drafts('5'));
      await store.append(orderId, 5, drafts('6', '7'));

      const events = await store.read(orderId);
      expect(versionsOf(events)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(labelsOf(events)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    });

    it('keeps orders apart', async () => {
      const other = `order-${randomUUID()}`;
      await store.append(orderId, 0, drafts('mine'));
      await store.append(other, 0, drafts('theirs', 'theirs too'));

      expect(labelsOf(await store.read(orderId))).toEqual(['mine']);
      expect(versionsOf(await store.read(other))).toEqual([1, 2]);
    });

    it('reads from a version on, also from inside an append of several events', async () => {
      await store.append(orderId, 0, drafts('1', '2'));
      await store.append(orderId, 2, drafts('3', '4', '5'));
      await store.append(orderId, 5, drafts('6'));

      expect(versionsOf(await store.readFrom(orderId, 1))).toEqual([1, 2, 3, 4, 5, 6]);
      expect(versionsOf(await store.readFrom(orderId, 3))).toEqual([3, 4, 5, 6]);
      expect(versionsOf(await store.readFrom(orderId, 4))).toEqual([4, 5, 6]);
      expect(versionsOf(await store.readFrom(orderId, 6))).toEqual([6]);
      expect(await store.readFrom(orderId, 7)).toEqual([]);
    });

    it('refuses an append at a version the order is past, and stores none of it', async () => {
      await store.append(orderId, 0, drafts('1', '2', '3'));

      for (const stale of [0, 1, 2]) {
        await expect(store.append(orderId, stale, drafts('late', 'later'))).rejects.toMatchObject({
          code: 'ORDER_VERSION_CONFLICT',
        });
      }
      expect(labelsOf(await store.read(orderId))).toEqual(['1', '2', '3']);
    });

    it('refuses an append beyond the order version (a gap), and stores none of it', async () => {
      await store.append(orderId, 0, drafts('1'));

      await expect(store.append(orderId, 2, drafts('gap'))).rejects.toMatchObject({
        code: 'ORDER_VERSION_CONFLICT',
      });
      await expect(
        store.append(`order-${randomUUID()}`, 1, drafts('no order')),
      ).rejects.toMatchObject({ code: 'ORDER_VERSION_CONFLICT' });
      expect(labelsOf(await store.read(orderId))).toEqual(['1']);
    });

    it('stores exactly one of 20 concurrent appends at one version, whole', async () => {
      await store.append(orderId, 0, drafts('placed'));

      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          store.append(orderId, 1, drafts(`writer ${i} a`, `writer ${i} b`, `writer ${i} c`)),
        ),
      );

      const stored = results.filter((result) => result.status === 'fulfilled');
      expect(stored).toHaveLength(1);
      for (const result of results) {
        if (result.status === 'rejected') {
          expect(result.reason).toMatchObject({ code: 'ORDER_VERSION_CONFLICT' });
        }
      }
      const winner = (stored[0] as PromiseFulfilledResult<StoredEvent[]>).value;
      const events = await store.read(orderId);
      expect(versionsOf(events)).toEqual([1, 2, 3, 4]);
      expect(events.slice(1)).toEqual(winner);
      const writers = new Set(events.slice(1).map((event) => event.reason!.split(' ')[1]));
      expect(writers.size).toBe(1);
    });

    it('lets a reader racing appends see each append whole or not at all', async () => {
      await store.append(orderId, 0, drafts('placed'));
      const seen: number[][] = [];
      let version = 1;
      const appends = (async () => {
        for (let round = 0; round < 5; round++) {
          await store.append(orderId, version, drafts('x', 'y', 'z'));
          version += 3;
        }
      })();
      const reads = (async () => {
        for (let read = 0; read < 15; read++) seen.push(versionsOf(await store.read(orderId)));
      })();
      await Promise.all([appends, reads]);

      for (const versions of seen) {
        expect((versions.length - 1) % 3).toBe(0);
        expect(versions).toEqual(versions.map((_, i) => i + 1));
      }
      expect(versionsOf(await store.read(orderId))).toHaveLength(16);
    });

    it('refuses a draft the event schema refuses, and stores nothing', async () => {
      const broken = { ...draft('x'), data: {} };

      await expect(store.append(orderId, 0, [draft('ok'), broken])).rejects.toThrow();
      expect(await store.read(orderId)).toEqual([]);
    });
  });
}
