import { randomUUID } from 'node:crypto';
import {
  ContractViolation,
  ProductChanged,
  RestockStock,
  StockChanged,
  TransferStock,
  type SkuStock,
} from '@mercato/contracts';
import { OUTBOX_ATTRIBUTES } from '@mercato/persistence';
import { startTestDynamo, type TestDynamo } from '@mercato/testing';
import {
  startInventoryTestApp,
  stockedSku,
  storedItem,
  type InventoryTestApp,
} from '../../test/support/inventory-test-app';
import { INVENTORY_TABLES } from './inventory.tables';

let dynamo: TestDynamo;
let app: InventoryTestApp;

beforeAll(async () => {
  dynamo = await startTestDynamo(INVENTORY_TABLES);
  app = await startInventoryTestApp(dynamo, { INVENTORY_OUTBOX_GRACE_MS: 0 });
}, 60_000);

afterAll(async () => {
  await app?.close();
  await dynamo?.close();
});

const inWarehouse = (stock: SkuStock, warehouseId: string) =>
  stock.warehouses.find((w) => w.warehouseId === warehouseId)!;

describe('restock, transfer and return', () => {
  it('restocks once per operation id', async () => {
    const sku = await stockedSku(app, {});
    const command = { operationId: 'po-1', sku, warehouseId: 'us-east' as const, quantity: 7 };
    const first = await app.stock.restock(command);
    const again = await app.bus.request(RestockStock, command);
    expect(inWarehouse(first, 'us-east')).toMatchObject({ onHand: 7, available: 7 });
    expect(again.stock).toEqual(first);
  });

  it('transfers once, conserving units, and refuses same-warehouse or short transfers', async () => {
    const sku = await stockedSku(app, { 'us-east': 5 });
    const command = {
      operationId: 't-1',
      sku,
      fromWarehouseId: 'us-east' as const,
      toWarehouseId: 'ap-south' as const,
      quantity: 3,
    };
    const first = await app.stock.transfer(command);
    const again = await app.stock.transfer(command);
    expect(again).toEqual(first);
    expect(inWarehouse(first, 'us-east')).toMatchObject({ onHand: 2, available: 2 });
    expect(inWarehouse(first, 'ap-south')).toMatchObject({ onHand: 3, available: 3 });

    await expect(
      app.bus.request(TransferStock, { ...command, operationId: 't-2', quantity: 3 }),
    ).rejects.toMatchObject({ status: 409, code: 'INSUFFICIENT_STOCK' });
    await expect(
      app.bus.request(TransferStock, { ...command, operationId: 't-3', toWarehouseId: 'us-east' }),
    ).rejects.toMatchObject({ status: 400, code: 'SAME_WAREHOUSE' });
    expect((await storedItem(dynamo, sku)).version).toBe(first.version);
  });

  it('does not move reserved units', async () => {
    const sku = await stockedSku(app, { 'us-east': 3 });
    await app.reservations.reserve({ reservationId: 'h', sku, quantity: 2, region: 'us' });
    await expect(
      app.stock.transfer({
        operationId: 't-4',
        sku,
        fromWarehouseId: 'us-east',
        toWarehouseId: 'eu-west',
        quantity: 2,
      }),
    ).rejects.toMatchObject({ code: 'INSUFFICIENT_STOCK' });
  });

  it('returns resellable units to sale and counts damaged ones as written off, once each', async () => {
    const sku = await stockedSku(app, { 'eu-west': 1 });
    const resellable = {
      operationId: 'ret-1',
      sku,
      warehouseId: 'eu-west' as const,
      quantity: 2,
      condition: 'resellable' as const,
    };
    const damaged = {
      ...resellable,
      operationId: 'ret-2',
      quantity: 1,
      condition: 'damaged' as const,
    };
    await app.stock.returnUnits(resellable);
    await app.stock.returnUnits(damaged);
    await app.stock.returnUnits(resellable);
    const stock = await app.stock.returnUnits(damaged);
    expect(inWarehouse(stock, 'eu-west')).toEqual({
      warehouseId: 'eu-west',
      onHand: 3,
      reserved: 0,
      available: 3,
      writtenOff: 1,
    });
  });

  it('rejects an operation id reused for a different command, and unknown SKUs', async () => {
    const sku = await stockedSku(app, {});
    await app.stock.restock({ operationId: 'dup', sku, warehouseId: 'us-east', quantity: 1 });
    await expect(
      app.stock.restock({ operationId: 'dup', sku, warehouseId: 'us-east', quantity: 2 }),
    ).rejects.toMatchObject({ status: 409, code: 'OPERATION_CONFLICT' });
    await expect(
      app.bus.request(RestockStock, {
        operationId: 'x',
        sku: 'NOPE',
        warehouseId: 'us-east',
        quantity: 1,
      }),
    ).rejects.toMatchObject({ status: 404, code: 'UNKNOWN_SKU' });
  });

  it('rejects unknown warehouses and bad quantities at the contract edge, changing nothing', async () => {
    const sku = await stockedSku(app, { 'us-east': 1 });
    const base = { operationId: 'bad', sku, warehouseId: 'us-east', quantity: 1 };
    for (const bad of [
      { ...base, warehouseId: 'mars-1' },
      { ...base, quantity: -3 },
      { ...base, quantity: 0.5 },
    ]) {
      // The sender's bus refuses it; a sender that skipped validation gets 400 CONTRACT_VIOLATION.
      await expect(app.bus.request(RestockStock, bad as never)).rejects.toBeInstanceOf(
        ContractViolation,
      );
    }
    expect((await storedItem(dynamo, sku)).warehouses['us-east'].onHand).toBe(1);
  });
});

describe('ProductChanged', () => {
  it('creates zero-stock items for new SKUs, once, keeping existing stock', async () => {
    const known = await stockedSku(app, { 'us-east': 4 });
    const fresh = `SKU-${randomUUID().slice(0, 8)}`;
    const event = {
      productId: 'P-new',
      revision: 2,
      sellerId: 'seller-9',
      variants: [
        { variantId: 'V1', sku: fresh },
        { variantId: 'V2', sku: known },
      ],
    };
    await app.bus.publish(ProductChanged, event, { key: 'P-new' });
    await app.bus.publish(ProductChanged, event, { key: 'P-new' });
    await app.bus.drain();
    expect(await storedItem(dynamo, fresh)).toMatchObject({
      sku: fresh,
      productId: 'P-new',
      variantId: 'V1',
      sellerId: 'seller-9',
      version: 1,
      ops: {},
      warehouses: {
        'us-east': { onHand: 0, reserved: 0, available: 0, writtenOff: 0 },
        'eu-west': { onHand: 0, reserved: 0, available: 0, writtenOff: 0 },
        'ap-south': { onHand: 0, reserved: 0, available: 0, writtenOff: 0 },
      },
    });
    expect((await storedItem(dynamo, known)).warehouses['us-east'].onHand).toBe(4);
    expect(await app.stock.availability([fresh], 'us')).toEqual([
      expect.objectContaining({ sku: fresh, available: 0 }),
    ]);
  });
});

describe('StockChanged through the outbox', () => {
  it('publishes each change with the SKU as key and clears the mark', async () => {
    // An earlier test's SKU may still have its trailing StockChanged due (ADR 0004's 100 ms
    // interval): let it go before watching, so the last publish seen is this test's.
    await app.settle();
    const publish = jest.spyOn(app.bus, 'publish');
    const sku = await stockedSku(app, { 'us-east': 1 });
    await app.settle(); // events go out after the command answers
    const item = await storedItem(dynamo, sku);
    expect(publish).toHaveBeenLastCalledWith(
      StockChanged,
      { sku, productId: item.productId, version: item.version },
      { key: sku },
    );
    expect(item[OUTBOX_ATTRIBUTES.shard as keyof typeof item]).toBeUndefined();
    publish.mockRestore();
  });

  it('coalesces the clear of many concurrent writes to one SKU and leaves no mark', async () => {
    const sku = await stockedSku(app, {});
    await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        app.stock.restock({ operationId: `c${n}`, sku, warehouseId: 'us-east', quantity: 1 }),
      ),
    );
    await app.settle();
    const item = await storedItem(dynamo, sku);
    expect(item.warehouses['us-east'].onHand).toBe(20);
    expect(item[OUTBOX_ATTRIBUTES.shard as keyof typeof item]).toBeUndefined();
  });

  it('leaves the change to the relay when publishing fails, and the relay publishes it', async () => {
    const sku = await stockedSku(app, {});
    const publish = jest.spyOn(app.bus, 'publish');
    publish.mockRejectedValueOnce(new Error('broker unreachable'));
    const stock = await app.stock.restock({
      operationId: 'lost-event',
      sku,
      warehouseId: 'ap-south',
      quantity: 3,
    });
    expect(inWarehouse(stock, 'ap-south').onHand).toBe(3);
    const marked = await storedItem(dynamo, sku);
    expect(marked[OUTBOX_ATTRIBUTES.shard as keyof typeof marked]).toBeDefined();

    publish.mockClear();
    expect(await app.jobs.relay.runOnce()).toBeGreaterThanOrEqual(1);
    expect(publish).toHaveBeenCalledWith(
      StockChanged,
      { sku, productId: marked.productId, version: marked.version },
      { key: sku },
    );
    const cleared = await storedItem(dynamo, sku);
    expect(cleared[OUTBOX_ATTRIBUTES.shard as keyof typeof cleared]).toBeUndefined();
    expect(cleared.version).toBe(marked.version);
    publish.mockRestore();
  });
});
