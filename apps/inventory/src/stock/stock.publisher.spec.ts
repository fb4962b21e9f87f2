import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { StockChanged } from '@mercato/contracts';
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
  app = await startInventoryTestApp(dynamo);
}, 60_000);

afterAll(async () => {
  await app?.close();
  await dynamo?.close();
});

/** Counts the outbox clears (`REMOVE outboxShard…`) this app sends while `work` runs. */
async function clearsDuring(work: () => Promise<unknown>): Promise<number> {
  const doc = app.moduleRef.get(DynamoDBDocumentClient);
  const send = jest.spyOn(doc, 'send');
  try {
    await work();
    await app.settle();
    return send.mock.calls.filter(
      ([command]) =>
        command instanceof UpdateCommand &&
        String(command.input.UpdateExpression).startsWith(`REMOVE #outboxShard`),
    ).length;
  } finally {
    send.mockRestore();
  }
}

describe('StockPublisher', () => {
  it('clears the outbox mark once for a burst of overlapping writes of one SKU', async () => {
    const sku = await stockedSku(app, { 'us-east': 100 });
    await app.settle();

    const clears = await clearsDuring(() =>
      Promise.all(
        Array.from({ length: 20 }, (_, n) =>
          app.reservations.reserve({
            reservationId: `r-${sku}-${n}`,
            sku,
            quantity: 1,
            region: 'us',
          }),
        ),
      ),
    );

    expect(clears).toBe(1);
    const stored = await storedItem(dynamo, sku);
    expect(stored).not.toHaveProperty(OUTBOX_ATTRIBUTES.shard);
    expect(stored).not.toHaveProperty(OUTBOX_ATTRIBUTES.since);
  });

  it('announces a burst of writes of one SKU with a few events, the last one of the newest version', async () => {
    const sku = await stockedSku(app, { 'us-east': 100 });
    await app.settle();
    const publish = jest.spyOn(app.bus, 'publish');

    for (let n = 0; n < 10; n++) {
      await Promise.all(
        [0, 1].map((k) =>
          app.reservations.reserve({
            reservationId: `b-${sku}-${n}-${k}`,
            sku,
            quantity: 1,
            region: 'us',
          }),
        ),
      );
    }
    await app.settle();

    const events = publish.mock.calls.filter(([contract]) => contract === StockChanged);
    publish.mockRestore();
    expect(events.length).toBeGreaterThanOrEqual(1);
    expect(events.length).toBeLessThan(6); // 20 writes in well under half a second
    const stored = await storedItem(dynamo, sku);
    expect(events.at(-1)?.[1]).toEqual({
      sku,
      productId: stored.productId,
      version: stored.version,
    });
  });

  it('leaves no mark behind after writes that follow each other', async () => {
    const sku = await stockedSku(app, { 'us-east': 10 });
    for (let n = 0; n < 5; n++) {
      await app.reservations.reserve({
        reservationId: `s-${sku}-${n}`,
        sku,
        quantity: 1,
        region: 'us',
      });
    }
    await app.settle();

    expect(await storedItem(dynamo, sku)).not.toHaveProperty(OUTBOX_ATTRIBUTES.shard);
  });
});
