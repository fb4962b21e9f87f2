import { Test, type TestingModule } from '@nestjs/testing';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { register } from 'prom-client';
import { CacheModule } from '@mercato/cache';
import { ConfigModule } from '@mercato/config';
import {
  CartItemAdded,
  GetShopperHistory,
  InteractionReceived,
  OrderChanged,
  ShopperIdentified,
  shopperKeyOf,
  type EventData,
  type InteractionInput,
  type Shopper,
} from '@mercato/contracts';
import { MessageBus, MessagingModule } from '@mercato/messaging';
import { TableNames } from '@mercato/persistence';
import { startTestDynamo, type TestDynamo } from '@mercato/testing';
import { INTERACTIONS_DROPPED_METRIC, INTERACTIONS_METRIC } from './interaction-metrics';
import { InteractionRateRepository } from './interaction-rate.repository';
import { InteractionsHandlers } from './interactions.handlers';
import { InteractionsRepository } from './interactions.repository';
import { InteractionsService } from './interactions.service';
import { INTERACTIONS_TABLE, INTERACTIONS_TABLES } from './interactions.tables';

const CAP = 5;
/** A minute every test's events happen in (receivedAt a few seconds after occurredAt). */
const T0 = Date.parse('2026-12-07T15:30:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

describe('the interaction stream (on dynalite, over the bus)', () => {
  let dynamo: TestDynamo;
  let moduleRef: TestingModule;
  let bus: MessageBus;
  let n = 0;
  /** Shoppers no other test has touched (the table is shared by the tests). */
  let customer: Shopper;
  let device: Shopper;
  let otherDevice: Shopper;

  beforeAll(async () => {
    dynamo = await startTestDynamo(INTERACTIONS_TABLES);
  });
  afterAll(() => dynamo.close());

  beforeEach(async () => {
    n++;
    customer = { kind: 'customer', id: `c-${n}` };
    device = { kind: 'device', id: `d-${n}` };
    otherDevice = { kind: 'device', id: `d-${n}-other` };
    moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({ RECOMMENDATION_MAX_EVENTS_PER_MINUTE: CAP }),
        MessagingModule.forRoot({ MERCATO_BUS: 'memory', BUS_MAX_ATTEMPTS: 1 }),
        CacheModule.forRoot({ MERCATO_CACHE: 'memory' }),
      ],
      providers: [
        { provide: DynamoDBDocumentClient, useValue: dynamo.doc },
        { provide: TableNames, useValue: dynamo.tables },
        InteractionsRepository,
        InteractionRateRepository,
        InteractionsService,
        InteractionsHandlers,
      ],
    })
      .setLogger({ log: () => undefined, warn: () => undefined, error: () => undefined })
      .compile();
    await moduleRef.init();
    bus = moduleRef.get(MessageBus);
  });
  afterEach(() => moduleRef.close());

  const interaction = (
    shopper: Shopper,
    eventId: string,
    second: number,
    input: Partial<InteractionInput> = {},
  ): EventData<typeof InteractionReceived> => ({
    type: 'page_view',
    productId: `p-${eventId}`,
    ...input,
    eventId: `${shopper.id}-${eventId}`,
    shopper,
    region: 'us',
    occurredAt: input.occurredAt ?? at(second),
    receivedAt: at(second + 1),
  });

  const deliver = async (...events: EventData<typeof InteractionReceived>[]) => {
    for (const data of events) {
      await bus.publish(InteractionReceived, data, { key: shopperKeyOf(data.shopper) });
    }
    await bus.drain();
  };

  const signIn = async (of: Shopper, as: Shopper, second: number) => {
    await bus.publish(
      ShopperIdentified,
      { deviceId: of.id, customerId: as.id, occurredAt: at(second) },
      { key: shopperKeyOf(of) },
    );
    await bus.drain();
  };

  const history = async (shopper: Shopper, limit = 50) =>
    (await bus.request(GetShopperHistory, { shopper, limit })).items;
  const idsOf = async (shopper: Shopper, limit?: number) =>
    (await history(shopper, limit)).map((item) => item.eventId);

  const counted = async (metric: string, labels: Record<string, string>): Promise<number> => {
    const values = (await register.getSingleMetric(metric)!.get()).values;
    const value = values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
    return value?.value ?? 0;
  };

  it('stores a redelivered event once, and counts it once', async () => {
    const before = await counted(INTERACTIONS_METRIC, { type: 'search', source: 'client' });
    const search = interaction(device, 'e1', 0, {
      type: 'search',
      productId: undefined,
      query: 'headphones',
      resultCount: 12,
    });
    await deliver(search, search);
    await deliver(search);
    expect(await history(device)).toEqual([
      {
        eventId: search.eventId,
        type: 'search',
        query: 'headphones',
        resultCount: 12,
        occurredAt: search.occurredAt,
        region: 'us',
        source: 'client',
      },
    ]);
    expect(await counted(INTERACTIONS_METRIC, { type: 'search', source: 'client' })).toBe(
      before + 1,
    );
  });

  it('answers a history newest first by when things happened, not when they arrived', async () => {
    await deliver(
      interaction(device, 'b', 20),
      interaction(device, 'a', 10),
      // 15:30:30 in UTC, written with an offset: sorts by the instant, not the text.
      interaction(device, 'c', 0, { occurredAt: '2026-12-07T16:30:30.000+01:00' }),
    );
    expect(await idsOf(device)).toEqual([`${device.id}-c`, `${device.id}-b`, `${device.id}-a`]);
  });

  it("includes in a customer's history a linked device's anonymous events before the sign-in", async () => {
    await deliver(interaction(device, 'anon-1', 0), interaction(device, 'anon-2', 10));
    await signIn(device, customer, 20);
    await deliver(interaction(customer, 'own', 30));
    expect(await idsOf(customer)).toEqual([
      `${customer.id}-own`,
      `${device.id}-anon-2`,
      `${device.id}-anon-1`,
    ]);
  });

  it("leaves out what a shared device did anonymously after the customer's last sign-in on it", async () => {
    await deliver(interaction(device, 'before', 0));
    await signIn(device, customer, 10);
    await deliver(interaction(device, 'someone-else', 20));
    expect(await idsOf(customer)).toEqual([`${device.id}-before`]);
    // Signing in again there attaches what the device did in between.
    await signIn(device, customer, 30);
    await signIn(device, customer, 15); // an older sign-in, late: changes nothing
    expect(await idsOf(customer)).toEqual([`${device.id}-someone-else`, `${device.id}-before`]);
  });

  it("merges every linked device's history into the customer's, and each link is idempotent", async () => {
    await deliver(interaction(device, 'phone', 0), interaction(otherDevice, 'laptop', 5));
    await signIn(device, customer, 20);
    await signIn(device, customer, 20);
    await signIn(otherDevice, customer, 25);
    expect(await idsOf(customer)).toEqual([`${otherDevice.id}-laptop`, `${device.id}-phone`]);
  });

  it("never shows a device the customer's history, nor another device's", async () => {
    await deliver(interaction(device, 'anon', 0), interaction(otherDevice, 'other', 1));
    await signIn(device, customer, 10);
    await signIn(otherDevice, customer, 10);
    await deliver(interaction(customer, 'own', 20));
    expect(await idsOf(device)).toEqual([`${device.id}-anon`]);
    expect(await idsOf(otherDevice)).toEqual([`${otherDevice.id}-other`]);
  });

  it('answers at most `limit` items, the newest, for a customer across their devices too', async () => {
    await deliver(
      interaction(device, 'd1', 0),
      interaction(device, 'd2', 2),
      interaction(customer, 'c1', 1),
      interaction(customer, 'c2', 3),
    );
    await signIn(device, customer, 30);
    expect(await idsOf(device, 1)).toEqual([`${device.id}-d2`]);
    expect(await idsOf(customer, 3)).toEqual([
      `${customer.id}-c2`,
      `${device.id}-d2`,
      `${customer.id}-c1`,
    ]);
  });

  it('drops a shopper’s events beyond the cap of a minute, counts them, and stores again the next minute', async () => {
    const before = await counted(INTERACTIONS_DROPPED_METRIC, { reason: 'rate' });
    const flood = Array.from({ length: CAP + 3 }, (_, i) => interaction(device, `f${i}`, i));
    await deliver(...flood);
    expect(await idsOf(device)).toHaveLength(CAP);
    expect(await counted(INTERACTIONS_DROPPED_METRIC, { reason: 'rate' })).toBe(before + 3);
    // Another shopper in the same minute is not held back.
    await deliver(interaction(otherDevice, 'calm', 30));
    expect(await idsOf(otherDevice)).toEqual([`${otherDevice.id}-calm`]);
    // The cap counts by the server's receipt time: a bot back-dating its events is still capped.
    await deliver(interaction(device, 'back-dated', 10, { occurredAt: at(-3_600) }));
    expect(await idsOf(device)).toHaveLength(CAP);
    await deliver(interaction(device, 'next-minute', 60));
    expect((await idsOf(device))[0]).toBe(`${device.id}-next-minute`);
  });

  const cartAdd = (customerId?: string): EventData<typeof CartItemAdded> => ({
    eventId: `cart-event-${n}`,
    cartId: `cart-${n}`,
    ...(customerId ? { customerId } : {}),
    sku: 'SKU-1',
    productId: 'p-cart',
    quantity: 2,
    region: 'eu',
    unitPrice: { amount: 1_000, currency: 'EUR' },
    occurredAt: at(0),
  });

  it("makes a customer's cart add an add_to_cart interaction, once; a guest's is skipped", async () => {
    const added = cartAdd(customer.id);
    await bus.publish(CartItemAdded, added, { key: added.cartId });
    await bus.publish(CartItemAdded, added, { key: added.cartId });
    await bus.publish(CartItemAdded, { ...cartAdd(), eventId: `guest-${n}` }, { key: 'g' });
    await bus.drain();
    expect(await history(customer)).toEqual([
      {
        eventId: `cart:${added.eventId}`,
        type: 'add_to_cart',
        productId: 'p-cart',
        quantity: 2,
        occurredAt: added.occurredAt,
        region: 'eu',
        source: 'cart',
      },
    ]);
  });

  const order = (
    type: 'placed' | 'confirmed' | 'held' | 'approved' | 'cancelled',
    version: number,
    lines: [sku: string, quantity: number][] = [],
  ): EventData<typeof OrderChanged> => ({
    orderId: `o-${n}`,
    version,
    type,
    occurredAt: at(version),
    customerId: customer.id,
    region: 'us',
    status: type === 'cancelled' ? 'cancelled' : type === 'placed' ? 'pending' : 'confirmed',
    ...(lines.length
      ? {
          lines: lines.map(([sku, quantity]) => ({
            sku,
            productId: `p-${sku}`,
            quantity,
            lineTotal: { amount: 500 * quantity, currency: 'USD' as const },
          })),
          total: { amount: 500, currency: 'USD' as const },
        }
      : {}),
  });

  const deliverOrders = async (...events: EventData<typeof OrderChanged>[]) => {
    for (const data of events) await bus.publish(OrderChanged, data, { key: data.orderId });
    await bus.drain();
  };

  it('makes a confirmed order one purchase per SKU, once on redelivery', async () => {
    const lines: [string, number][] = [
      ['A', 2],
      ['B', 1],
      ['A', 1],
    ];
    const confirmed = order('confirmed', 2, lines);
    await deliverOrders(order('placed', 1, lines), confirmed, confirmed);
    await deliverOrders(confirmed, order('cancelled', 3));
    const items = await history(customer);
    expect(
      items.map(({ eventId, productId, quantity, type, source }) => ({
        eventId,
        productId,
        quantity,
        type,
        source,
      })),
    ).toEqual(
      expect.arrayContaining([
        {
          eventId: `order:o-${n}:2:A`,
          productId: 'p-A',
          quantity: 3,
          type: 'purchase',
          source: 'order',
        },
        {
          eventId: `order:o-${n}:2:B`,
          productId: 'p-B',
          quantity: 1,
          type: 'purchase',
          source: 'order',
        },
      ]),
    );
    expect(items).toHaveLength(2);
  });

  it('makes an order approved after a hold purchases, once', async () => {
    const lines: [string, number][] = [['A', 1]];
    const approved = order('approved', 3, lines);
    await deliverOrders(order('placed', 1, lines), order('held', 2), approved, approved);
    expect(await history(customer)).toEqual([
      expect.objectContaining({ eventId: `order:o-${n}:3:A`, type: 'purchase' }),
    ]);
  });

  it('stores each interaction with a TTL of INTERACTION_RETENTION_DAYS (180) after it happened', async () => {
    await deliver(interaction(device, 'ttl', 0));
    const { Items } = await dynamo.doc.send(
      new QueryCommand({
        TableName: dynamo.tables.of(INTERACTIONS_TABLE),
        KeyConditionExpression: 'shopperKey = :key',
        ExpressionAttributeValues: { ':key': shopperKeyOf(device) },
      }),
    );
    expect(Items).toEqual([
      expect.objectContaining({
        at: `${at(0)}#${device.id}-ttl`,
        expiresAt: Math.floor(T0 / 1000) + 180 * 86_400,
      }),
    ]);
  });
});
