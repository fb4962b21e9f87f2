import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { CommitReservation, ReserveStock } from '@mercato/contracts';
import { RemoteError } from '@mercato/messaging';
import pLimit from 'p-limit';
import { startTestDynamo, type TestDynamo } from '@mercato/testing';
import { InventoryErrorCode } from '../inventory.exception';
import {
  rawStoredItem,
  startInventoryTestApp,
  stockedSku,
  storedItem,
  totals,
  type InventoryTestApp,
} from '../../test/support/inventory-test-app';
import {
  INVENTORY_SWEEP_ATTRIBUTES,
  INVENTORY_TABLE,
  INVENTORY_TABLES,
} from '../stock/inventory.tables';

const RETENTION_MS = 60_000;
let dynamo: TestDynamo;
/** Two replicas of the inventory service on one table. */
let a: InventoryTestApp;
let b: InventoryTestApp;

beforeAll(async () => {
  dynamo = await startTestDynamo(INVENTORY_TABLES);
  const config = { INVENTORY_OPERATION_RETENTION_MS: RETENTION_MS };
  a = await startInventoryTestApp(dynamo, config);
  b = await startInventoryTestApp(dynamo, config);
}, 60_000);

afterAll(async () => {
  await a?.close();
  await b?.close();
  await dynamo?.close();
});

const reserveOne = (app: InventoryTestApp, sku: string, n: number, region = 'us' as const) =>
  app.reservations.reserve({ reservationId: `r-${sku}-${n}`, sku, quantity: 1, region });

describe('reserve under contention', () => {
  it('50 concurrent reservations of 1 unit against 10 available reserve exactly 10', async () => {
    const sku = await stockedSku(a, { 'us-east': 10 });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, n) => reserveOne(n % 2 ? a : b, sku, n)),
    );
    expect(results.filter((r) => r.status === 'reserved')).toHaveLength(10);
    expect(results.filter((r) => r.status === 'insufficient')).toHaveLength(40);
    const item = await storedItem(dynamo, sku);
    expect(item.warehouses['us-east']).toMatchObject({ onHand: 10, reserved: 10, available: 0 });
    expect(Object.values(item.ops).filter((o) => o.kind === 'hold')).toHaveLength(10);
  });

  it('fills nearest-first across warehouses and never drives any warehouse negative', async () => {
    const sku = await stockedSku(a, { 'us-east': 4, 'eu-west': 3, 'ap-south': 3 });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, n) => reserveOne(n % 2 ? a : b, sku, n)),
    );
    const reserved = results.filter((r) => r.status === 'reserved');
    expect(reserved).toHaveLength(10);
    const item = await storedItem(dynamo, sku);
    for (const w of Object.values(item.warehouses)) {
      expect(w.available).toBe(0);
      expect(w.reserved).toBe(w.onHand);
    }
  });

  it('conserves units when transfers between two warehouses run during the reservations', async () => {
    const sku = await stockedSku(a, { 'us-east': 6, 'eu-west': 4 });
    const transfers = Array.from({ length: 20 }, (_, n) =>
      (n % 2 ? a : b).stock
        .transfer({
          operationId: `t-${sku}-${n}`,
          sku,
          fromWarehouseId: n % 2 ? 'us-east' : 'eu-west',
          toWarehouseId: n % 2 ? 'eu-west' : 'us-east',
          quantity: 1 + (n % 3),
        })
        .then(
          () => 'moved',
          (error: { code?: string }) => error.code,
        ),
    );
    const reservations = Array.from({ length: 50 }, (_, n) => reserveOne(n % 2 ? a : b, sku, n));
    const [moved, results] = await Promise.all([Promise.all(transfers), Promise.all(reservations)]);
    expect(new Set(moved).size).toBeLessThanOrEqual(2);
    moved.forEach((m) => expect(['moved', InventoryErrorCode.InsufficientStock]).toContain(m));
    expect(results.filter((r) => r.status === 'reserved')).toHaveLength(10);
    const item = await storedItem(dynamo, sku);
    expect(totals(item)).toEqual({ onHand: 10, reserved: 10, available: 0 });
    for (const w of Object.values(item.warehouses)) expect(w.available).toBeGreaterThanOrEqual(0);
  });

  it('answers the same reservation again for the same id, holding the units once', async () => {
    const sku = await stockedSku(a, { 'eu-west': 5 });
    const command = { reservationId: 'same', sku, quantity: 2, region: 'eu' as const };
    const first = await a.reservations.reserve(command);
    const [again, fromOtherReplica] = await Promise.all([
      a.reservations.reserve(command),
      b.reservations.reserve(command),
    ]);
    expect(first).toMatchObject({ status: 'reserved', warehouseId: 'eu-west', quantity: 2 });
    for (const answer of [again, fromOtherReplica]) {
      expect({ ...answer, stock: undefined }).toEqual({ ...first, stock: undefined });
    }
    expect((await storedItem(dynamo, sku)).warehouses['eu-west'].reserved).toBe(2);
  });

  it('answers insufficient with the most one warehouse can hold, and changes nothing', async () => {
    const sku = await stockedSku(a, { 'us-east': 2, 'eu-west': 3 });
    const result = await a.reservations.reserve({
      reservationId: 'too-many',
      sku,
      quantity: 4,
      region: 'us',
    });
    expect(result).toMatchObject({ status: 'insufficient', sku, available: 3 });
    expect(totals(await storedItem(dynamo, sku))).toEqual({ onHand: 5, reserved: 0, available: 5 });
  });

  it('rejects an unknown SKU with 404 UNKNOWN_SKU and a bad quantity at the bus edge', async () => {
    const unknown = a.bus.request(ReserveStock, {
      reservationId: 'x',
      sku: 'NO-SUCH-SKU',
      quantity: 1,
      region: 'us',
    });
    await expect(unknown).rejects.toMatchObject({ status: 404, code: 'UNKNOWN_SKU' });
    const sku = await stockedSku(a, { 'us-east': 5 });
    for (const quantity of [0, -1, 1.5]) {
      const bad = a.bus.request(ReserveStock, { reservationId: 'x', sku, quantity, region: 'us' });
      await expect(bad).rejects.toBeInstanceOf(Error);
    }
    expect(totals(await storedItem(dynamo, sku)).reserved).toBe(0);
  });

  it('500 reservations over 50 SKUs from two replicas all succeed and account exactly', async () => {
    const skus = await Promise.all(
      Array.from({ length: 50 }, () => stockedSku(a, { 'us-east': 20 })),
    );
    // Bounded in flight, as the Kafka consumers bound it (one handler per partition); the
    // throughput figure is bench:inventory's job, not a timed unit test's.
    const inFlight = pLimit(32);
    const results = await Promise.all(
      Array.from({ length: 500 }, (_, n) =>
        inFlight(() => reserveOne(n % 2 ? a : b, skus[n % 50], n)),
      ),
    );
    expect(results.every((r) => r.status === 'reserved')).toBe(true);
    for (const sku of skus) {
      expect((await storedItem(dynamo, sku)).warehouses['us-east']).toMatchObject({
        onHand: 20,
        reserved: 10,
        available: 10,
      });
    }
  }, 60_000);
});

describe('a reservation that names the warehouses to try', () => {
  it("holds in the first one that can fill, ahead of the region's nearest, read or unread", async () => {
    const sku = await stockedSku(a, { 'us-east': 5, 'ap-south': 5 });
    const planned = { sku, quantity: 2, region: 'us' as const };
    const warehouseIds = ['ap-south' as const, 'us-east' as const];

    // b has not read the SKU (its first attempt is the unread write), a has it cached.
    const unread = await b.bus.request(ReserveStock, {
      ...planned,
      reservationId: 'p1',
      warehouseIds,
    });
    const read = await a.reservations.reserve({ ...planned, reservationId: 'p2', warehouseIds });

    expect(unread).toMatchObject({ status: 'reserved', warehouseId: 'ap-south' });
    expect(read).toMatchObject({ status: 'reserved', warehouseId: 'ap-south' });
    expect((await storedItem(dynamo, sku)).warehouses['us-east'].reserved).toBe(0);
  });

  it('passes over a named warehouse that cannot fill to the next one named', async () => {
    const sku = await stockedSku(a, { 'us-east': 5, 'eu-west': 1, 'ap-south': 3 });
    const result = await a.reservations.reserve({
      reservationId: 'p3',
      sku,
      quantity: 2,
      region: 'us',
      warehouseIds: ['eu-west', 'ap-south'],
    });

    expect(result).toMatchObject({ status: 'reserved', warehouseId: 'ap-south' });
  });

  it('never holds outside the named warehouses: refuses with the most one of them can hold', async () => {
    const sku = await stockedSku(a, { 'us-east': 5, 'eu-west': 1 });
    const result = await a.reservations.reserve({
      reservationId: 'p4',
      sku,
      quantity: 2,
      region: 'us',
      warehouseIds: ['eu-west', 'ap-south'],
    });

    expect(result).toMatchObject({ status: 'insufficient', available: 1 });
    expect(totals(await storedItem(dynamo, sku)).reserved).toBe(0);
  });
});

describe('answers of writes that ask DynamoDB only for what they changed', () => {
  it('reports every warehouse exactly even when the replica decided on a stale item', async () => {
    const sku = await stockedSku(a, { 'us-east': 5, 'eu-west': 1 });
    await reserveOne(a, sku, 1); // a now caches the item
    await b.stock.restock({ operationId: `rs-${sku}`, sku, warehouseId: 'eu-west', quantity: 7 });
    await b.reservations.reserve({ reservationId: `r-${sku}-b`, sku, quantity: 1, region: 'eu' });

    const answer = await reserveOne(a, sku, 2);

    const stored = await storedItem(dynamo, sku);
    expect(answer.status).toBe('reserved');
    expect(answer.status === 'reserved' && answer.stock.version).toBe(stored.version);
    const byWarehouse = Object.fromEntries(
      answer.stock.warehouses.map((w) => [w.warehouseId, [w.onHand, w.reserved, w.available]]),
    );
    expect(byWarehouse).toEqual({
      'us-east': [5, 2, 3],
      'eu-west': [8, 1, 7],
      'ap-south': [0, 0, 0],
    });
  });

  it('commits a hold placed by another replica after this one cached the item', async () => {
    const sku = await stockedSku(a, { 'us-east': 3 });
    await reserveOne(a, sku, 1);
    await reserveOne(b, sku, 2); // a's cached item knows nothing of this hold
    await reserveOne(a, sku, 3);

    const committed = await a.reservations.commit({ reservationId: `r-${sku}-2`, sku });

    expect(committed.status).toBe('committed');
    expect(totals(await storedItem(dynamo, sku))).toEqual({ onHand: 2, reserved: 2, available: 0 });
  });
});

describe('stored holds', () => {
  it('stores each hold as one string, so a hot item grows by one attribute per hold', async () => {
    const sku = await stockedSku(a, { 'us-east': 5 });
    await reserveOne(a, sku, 1);

    const stored = (await rawStoredItem(dynamo, sku)).ops[`r-${sku}-1`];

    expect(stored).toMatch(/^hold\|us-east\|1\|\d+\|held\|\d+$/);
  });

  it('commits, releases and expires holds stored as maps by earlier versions', async () => {
    const sku = await stockedSku(a, { 'us-east': 5 });
    // A hold of today's kind first: it sets the item's sweep time to its expiry, in 1 s.
    await a.reservations.reserve({
      reservationId: 'new-x',
      sku,
      quantity: 1,
      region: 'us',
      ttlSeconds: 1,
    });
    const now = a.clock.now();
    const legacy = (id: string, expiresAt: number) => ({
      kind: 'hold',
      warehouseId: 'us-east',
      quantity: 1,
      expiresAt,
      status: 'held',
      at: now,
    });
    await dynamo.doc.send(
      new UpdateCommand({
        TableName: dynamo.tables.of(INVENTORY_TABLE),
        Key: { sku },
        UpdateExpression:
          'SET ops.#c = :c, ops.#r = :r, ops.#x = :x, warehouses.#w.reserved = warehouses.#w.reserved + :three, warehouses.#w.available = warehouses.#w.available - :three, version = version + :one',
        ExpressionAttributeNames: { '#c': 'old-c', '#r': 'old-r', '#x': 'old-x', '#w': 'us-east' },
        ExpressionAttributeValues: {
          ':c': legacy('old-c', now + 60_000),
          ':r': legacy('old-r', now + 60_000),
          ':x': legacy('old-x', now + 1_000),
          ':three': 3,
          ':one': 1,
        },
      }),
    );
    a.stock.forget([sku]);

    await a.reservations.commit({ reservationId: 'old-c', sku });
    await a.reservations.release({ reservationId: 'old-r', sku });
    a.clock.advance(2_000);
    expect(await a.reservations.sweep()).toBe(2);

    const item = await storedItem(dynamo, sku);
    expect(item.warehouses['us-east']).toMatchObject({ onHand: 4, reserved: 0, available: 4 });
    expect(item.ops['old-c']).toMatchObject({ status: 'committed' });
    expect(item.ops['old-r']).toMatchObject({ status: 'released' });
    expect(item.ops['old-x']).toMatchObject({ status: 'expired' });
    expect(item.ops['new-x']).toMatchObject({ status: 'expired' });
    // A second commit still answers committed, and changes nothing.
    await a.reservations.commit({ reservationId: 'old-c', sku });
    expect((await storedItem(dynamo, sku)).warehouses['us-east'].onHand).toBe(4);
  });
});

describe('commit and release', () => {
  it('commits once: a second commit answers committed and decrements nothing', async () => {
    const sku = await stockedSku(a, { 'us-east': 5 });
    await a.reservations.reserve({ reservationId: 'c1', sku, quantity: 2, region: 'us' });
    const first = await a.reservations.commit({ reservationId: 'c1', sku });
    const second = await b.reservations.commit({ reservationId: 'c1', sku });
    expect(first.status).toBe('committed');
    expect(second.status).toBe('committed');
    expect((await storedItem(dynamo, sku)).warehouses['us-east']).toMatchObject({
      onHand: 3,
      reserved: 0,
      available: 3,
    });
  });

  it('commits once when the same commit races on two replicas', async () => {
    const sku = await stockedSku(a, { 'us-east': 5 });
    await a.reservations.reserve({ reservationId: 'c2', sku, quantity: 2, region: 'us' });
    await Promise.all([
      a.reservations.commit({ reservationId: 'c2', sku }),
      b.reservations.commit({ reservationId: 'c2', sku }),
      a.reservations.commit({ reservationId: 'c2', sku }),
    ]);
    expect((await storedItem(dynamo, sku)).warehouses['us-east'].onHand).toBe(3);
  });

  it('404s a commit of an unknown reservation', async () => {
    const sku = await stockedSku(a, { 'us-east': 5 });
    await expect(
      a.bus.request(CommitReservation, { reservationId: 'nope', sku }),
    ).rejects.toMatchObject({ status: 404, code: 'RESERVATION_NOT_FOUND' });
  });

  it('releases idempotently, and a released hold cannot be committed', async () => {
    const sku = await stockedSku(a, { 'us-east': 5 });
    await a.reservations.reserve({ reservationId: 'r1', sku, quantity: 3, region: 'us' });
    await a.reservations.release({ reservationId: 'r1', sku });
    const again = await b.reservations.release({ reservationId: 'r1', sku });
    expect(again.status).toBe('released');
    expect((await storedItem(dynamo, sku)).warehouses['us-east']).toMatchObject({
      onHand: 5,
      reserved: 0,
      available: 5,
    });
    const commit = a.bus.request(CommitReservation, { reservationId: 'r1', sku });
    await expect(commit).rejects.toBeInstanceOf(RemoteError);
    await expect(commit).rejects.toMatchObject({ status: 409, code: 'RESERVATION_NOT_HELD' });
    await expect(
      a.reservations.reserve({ reservationId: 'r1', sku, quantity: 3, region: 'us' }),
    ).rejects.toMatchObject({ code: 'RESERVATION_NOT_HELD' });
  });

  it('refuses to release a committed hold (undoing a sale is a return)', async () => {
    const sku = await stockedSku(a, { 'us-east': 5 });
    await a.reservations.reserve({ reservationId: 'r2', sku, quantity: 1, region: 'us' });
    await a.reservations.commit({ reservationId: 'r2', sku });
    await expect(a.reservations.release({ reservationId: 'r2', sku })).rejects.toMatchObject({
      status: 409,
      code: 'RESERVATION_NOT_HELD',
    });
  });

  it('rejects a reservation id reused with another quantity', async () => {
    const sku = await stockedSku(a, { 'us-east': 5 });
    await a.reservations.reserve({ reservationId: 'r3', sku, quantity: 1, region: 'us' });
    await expect(
      a.reservations.reserve({ reservationId: 'r3', sku, quantity: 2, region: 'us' }),
    ).rejects.toMatchObject({ status: 409, code: 'OPERATION_CONFLICT' });
  });
});

describe('expiry', () => {
  it('expires several holds of one warehouse in one sweep', async () => {
    const sku = await stockedSku(a, { 'us-east': 5 });
    for (const n of [1, 2, 3]) {
      await a.reservations.reserve({
        reservationId: `x-${sku}-${n}`,
        sku,
        quantity: 1,
        region: 'us',
        ttlSeconds: 1,
      });
    }
    a.clock.advance(2_000);

    expect(await a.reservations.sweep()).toBe(3);
    expect((await storedItem(dynamo, sku)).warehouses['us-east']).toMatchObject({
      reserved: 0,
      available: 5,
    });
  });

  it('returns the units of expired holds; commit after expiry is 409, release answers released', async () => {
    const sku = await stockedSku(a, { 'us-east': 5 });
    await a.reservations.reserve({
      reservationId: 'e1',
      sku,
      quantity: 2,
      region: 'us',
      ttlSeconds: 30,
    });
    await a.reservations.reserve({ reservationId: 'e2', sku, quantity: 1, region: 'us' });
    for (const app of [a, b]) app.clock.advance(31_000);
    // Expired but not yet swept: a commit already refuses it.
    await expect(a.reservations.commit({ reservationId: 'e1', sku })).rejects.toMatchObject({
      code: 'RESERVATION_NOT_HELD',
    });
    // Two sweepers at once: the units come back once.
    const [x, y] = await Promise.all([a.reservations.sweep(), b.reservations.sweep()]);
    expect(x + y).toBeGreaterThanOrEqual(1);
    const item = await storedItem(dynamo, sku);
    expect(item.warehouses['us-east']).toMatchObject({ onHand: 5, reserved: 1, available: 4 });
    expect(item.ops.e1).toMatchObject({ status: 'expired' });
    expect(item.ops.e2).toMatchObject({ status: 'held' });
    await expect(b.reservations.commit({ reservationId: 'e1', sku })).rejects.toMatchObject({
      status: 409,
      code: 'RESERVATION_NOT_HELD',
    });
    const released = await a.reservations.release({ reservationId: 'e1', sku });
    expect(released.stock.warehouses.find((w) => w.warehouseId === 'us-east')).toMatchObject({
      reserved: 1,
      available: 4,
    });
    // The other hold still commits.
    await a.reservations.commit({ reservationId: 'e2', sku });
    expect((await storedItem(dynamo, sku)).warehouses['us-east']).toMatchObject({
      onHand: 4,
      reserved: 0,
      available: 4,
    });
  });

  it('prunes finished records after the retention and leaves the sweep index', async () => {
    const sku = await stockedSku(a, { 'us-east': 5 });
    await a.reservations.reserve({ reservationId: 'p1', sku, quantity: 1, region: 'us' });
    await a.reservations.commit({ reservationId: 'p1', sku });
    let item = await storedItem(dynamo, sku);
    expect(item[INVENTORY_SWEEP_ATTRIBUTES.at]).toBeDefined();
    // Within the retention a retried commit still answers "committed".
    a.clock.advance(RETENTION_MS / 2);
    await expect(a.reservations.commit({ reservationId: 'p1', sku })).resolves.toMatchObject({
      status: 'committed',
    });
    a.clock.advance(RETENTION_MS);
    await a.reservations.sweep();
    item = await storedItem(dynamo, sku);
    expect(item.ops).toEqual({});
    expect(item[INVENTORY_SWEEP_ATTRIBUTES.at]).toBeUndefined();
    expect(item[INVENTORY_SWEEP_ATTRIBUTES.shard]).toBeUndefined();
    expect(item.warehouses['us-east']).toMatchObject({ onHand: 4, reserved: 0, available: 4 });
  });

  it('keeps sweepAt at the earliest deadline when a shorter hold follows a longer one', async () => {
    const sku = await stockedSku(a, { 'us-east': 5 });
    await a.reservations.reserve({
      reservationId: 'long',
      sku,
      quantity: 1,
      region: 'us',
      ttlSeconds: 3_000,
    });
    await b.reservations.reserve({
      reservationId: 'short',
      sku,
      quantity: 1,
      region: 'us',
      ttlSeconds: 10,
    });
    const item = await storedItem(dynamo, sku);
    const short = item.ops.short as { expiresAt: number };
    expect(item.sweepAt).toBeLessThanOrEqual(short.expiresAt);
  });
});
