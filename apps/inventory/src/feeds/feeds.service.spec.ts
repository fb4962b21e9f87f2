import { randomUUID } from 'node:crypto';
import { ApplyStockFeed } from '@mercato/contracts';
import { startTestDynamo, type TestDynamo } from '@mercato/testing';
import {
  startInventoryTestApp,
  stockedSku,
  storedItem,
  type InventoryTestApp,
} from '../../test/support/inventory-test-app';
import { INVENTORY_TABLES } from '../stock/inventory.tables';

let dynamo: TestDynamo;
let app: InventoryTestApp;

beforeAll(async () => {
  dynamo = await startTestDynamo(INVENTORY_TABLES);
  app = await startInventoryTestApp(dynamo);
}, 60_000);

afterAll(async () => {
  await app?.close();
  await dynamo?.close();
});

const feed = (feedId: string, rows: unknown[], sellerId?: string, offset = 0) =>
  app.bus.request(ApplyStockFeed, { feedId, sellerId, rows, offset });

describe('stock feeds', () => {
  it('applies valid rows absolutely and rejects each bad row with its reason', async () => {
    const sku = await stockedSku(app, { 'us-east': 2 }, 'seller-1');
    const other = await stockedSku(app, { 'us-east': 2 }, 'seller-2');
    await app.reservations.reserve({ reservationId: 'h', sku, quantity: 2, region: 'us' });
    const { results } = await feed(
      'f-1',
      [
        { sku, warehouseId: 'eu-west', onHand: 12 },
        { sku, warehouseId: 'eu-west', onHand: -1 },
        { sku, warehouseId: 'eu-west', onHand: 1.5 },
        { sku, warehouseId: 'moon-base', onHand: 1 },
        { sku: 'UNKNOWN-SKU', warehouseId: 'us-east', onHand: 1 },
        { sku: other, warehouseId: 'us-east', onHand: 9 },
        { sku, warehouseId: 'us-east', onHand: 1 },
        'not a row',
        { sku, warehouseId: 'us-east', onHand: 5 },
      ],
      'seller-1',
      1_000,
    );
    expect(results).toEqual([
      { row: 1000, sku, warehouseId: 'eu-west', status: 'applied' },
      {
        row: 1001,
        sku,
        warehouseId: 'eu-west',
        status: 'rejected',
        reason: expect.stringMatching(/negative/),
      },
      {
        row: 1002,
        sku,
        warehouseId: 'eu-west',
        status: 'rejected',
        reason: expect.stringMatching(/whole number/),
      },
      { row: 1003, sku, status: 'rejected', reason: 'unknown warehouse "moon-base"' },
      {
        row: 1004,
        sku: 'UNKNOWN-SKU',
        warehouseId: 'us-east',
        status: 'rejected',
        reason: 'unknown SKU UNKNOWN-SKU',
      },
      {
        row: 1005,
        sku: other,
        warehouseId: 'us-east',
        status: 'rejected',
        reason: expect.stringMatching(/another seller/),
      },
      {
        row: 1006,
        sku,
        warehouseId: 'us-east',
        status: 'rejected',
        reason: expect.stringMatching(/below the 2 unit\(s\) currently reserved/),
      },
      { row: 1007, status: 'rejected', reason: expect.stringMatching(/must be an object/) },
      { row: 1008, sku, warehouseId: 'us-east', status: 'applied' },
    ]);
    const item = await storedItem(dynamo, sku);
    expect(item.warehouses['eu-west']).toMatchObject({ onHand: 12, reserved: 0, available: 12 });
    expect(item.warehouses['us-east']).toMatchObject({ onHand: 5, reserved: 2, available: 3 });
    expect((await storedItem(dynamo, other)).warehouses['us-east'].onHand).toBe(2);
  });

  it('changes nothing when the same feed is sent again: all unchanged, same version', async () => {
    const sku = await stockedSku(app, { 'us-east': 1 });
    const rows = [
      { sku, warehouseId: 'us-east', onHand: 4 },
      { sku, warehouseId: 'ap-south', onHand: 6 },
    ];
    await feed('f-2', rows);
    await app.settle(); // the first feed's events (a SKU's trailing one follows within 100 ms)
    const before = await storedItem(dynamo, sku);
    const publish = jest.spyOn(app.bus, 'publish');
    const { results } = await feed('f-2', rows);
    const { results: asNewFeed } = await feed('f-3', rows);
    expect([...results, ...asNewFeed].map((r) => r.status)).toEqual(Array(4).fill('unchanged'));
    expect((await storedItem(dynamo, sku)).version).toBe(before.version);
    expect(publish).not.toHaveBeenCalled();
    publish.mockRestore();
  });

  it('reconciliation applies a row once its SKU exists, and never undoes a later sale', async () => {
    const sku = `LATE-${randomUUID().slice(0, 8)}`;
    const { results } = await feed(
      'f-late',
      [{ sku, warehouseId: 'us-east', onHand: 10 }],
      'seller-7',
    );
    expect(results[0]).toMatchObject({ status: 'rejected', reason: `unknown SKU ${sku}` });
    expect(await app.feeds.reconcile()).toMatchObject({ applied: 0 });

    // The product event arrives later.
    await app.stock.createForProduct({
      productId: 'P-late',
      revision: 1,
      sellerId: 'seller-7',
      variants: [{ variantId: 'V1', sku }],
    });
    expect(await app.feeds.reconcile()).toMatchObject({ applied: 1 });
    expect((await storedItem(dynamo, sku)).warehouses['us-east']).toMatchObject({
      onHand: 10,
      available: 10,
    });

    // A sale after that must stay sold.
    await app.reservations.reserve({ reservationId: 'sale', sku, quantity: 3, region: 'us' });
    await app.reservations.commit({ reservationId: 'sale', sku });
    await app.feeds.reconcile();
    expect((await storedItem(dynamo, sku)).warehouses['us-east']).toMatchObject({
      onHand: 7,
      available: 7,
    });
  });

  it('does not re-apply a stored row over a warehouse a newer feed has set', async () => {
    const sku = `LATE-${randomUUID().slice(0, 8)}`;
    await feed('old', [{ sku, warehouseId: 'eu-west', onHand: 50 }], 'seller-8');
    await app.stock.createForProduct({
      productId: 'P-8',
      revision: 1,
      sellerId: 'seller-8',
      variants: [{ variantId: 'V1', sku }],
    });
    // An admin feed (another source) sets the warehouse after the old seller feed arrived.
    app.clock.advance(1_000);
    await feed('admin-1', [{ sku, warehouseId: 'eu-west', onHand: 8 }]);
    await app.feeds.reconcile();
    expect((await storedItem(dynamo, sku)).warehouses['eu-west'].onHand).toBe(8);
  });

  it('stores only the latest feed of a source', async () => {
    const sku = `LATE-${randomUUID().slice(0, 8)}`;
    await feed('first', [{ sku, warehouseId: 'ap-south', onHand: 5 }], 'seller-9');
    await feed('second', [{ sku, warehouseId: 'ap-south', onHand: 3 }], 'seller-9');
    await app.stock.createForProduct({
      productId: 'P-9',
      revision: 1,
      sellerId: 'seller-9',
      variants: [{ variantId: 'V1', sku }],
    });
    await app.feeds.reconcile();
    expect((await storedItem(dynamo, sku)).warehouses['ap-south'].onHand).toBe(3);
  });
});
