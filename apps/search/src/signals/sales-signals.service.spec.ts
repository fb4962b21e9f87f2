import { Test, type TestingModule } from '@nestjs/testing';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConfigModule } from '@mercato/config';
import { OrderChanged, type EventData } from '@mercato/contracts';
import { MessageBus, MessagingModule } from '@mercato/messaging';
import { TableNames } from '@mercato/persistence';
import { startTestDynamo, type TestDynamo } from '@mercato/testing';
import { SearchIndexer } from '../products/search-indexer.service';
import { SearchClock } from '../search.clock';
import { SalesRecorder } from './sales-recorder.service';
import { addDays } from './sales-signals.rules';
import { SalesSignals } from './sales-signals.service';
import { SalesHandlers } from './sales.handlers';
import { SalesRepository } from './sales.repository';
import { SALES_TABLES } from './sales.tables';

const CONFIRMED_AT = '2026-12-07T15:30:00.000Z';

/** A clock the test sets to a day. */
class FixedClock extends SearchClock {
  at = Date.parse(CONFIRMED_AT);
  override now(): number {
    return this.at;
  }
  laterBy(days: number): void {
    this.at = Date.parse(`${addDays(CONFIRMED_AT.slice(0, 10), days)}T12:00:00.000Z`);
  }
}

describe('sales signals from order events (on dynalite, over the bus)', () => {
  let dynamo: TestDynamo;
  let moduleRef: TestingModule;
  let bus: MessageBus;
  let signals: SalesSignals;
  let clock: FixedClock;
  let scheduleReindex: jest.Mock;
  let n = 0;
  /** Products and orders no other test has touched (the table is shared by the tests). */
  let p1: string;
  let p2: string;
  let orderId: string;

  beforeAll(async () => {
    dynamo = await startTestDynamo(SALES_TABLES);
  });
  afterAll(() => dynamo.close());

  beforeEach(async () => {
    n++;
    [p1, p2, orderId] = [`p-${n}-a`, `p-${n}-b`, `o-${n}`];
    clock = new FixedClock();
    scheduleReindex = jest.fn();
    moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({}),
        MessagingModule.forRoot({ MERCATO_BUS: 'memory', BUS_MAX_ATTEMPTS: 1 }),
      ],
      providers: [
        { provide: DynamoDBDocumentClient, useValue: dynamo.doc },
        { provide: TableNames, useValue: dynamo.tables },
        { provide: SearchClock, useValue: clock },
        { provide: SearchIndexer, useValue: { scheduleReindex } },
        SalesRepository,
        SalesSignals,
        SalesRecorder,
        SalesHandlers,
      ],
    })
      .setLogger({ log: () => undefined, warn: () => undefined, error: () => undefined })
      .compile();
    await moduleRef.init();
    bus = moduleRef.get(MessageBus);
    signals = moduleRef.get(SalesSignals);
  });
  afterEach(() => moduleRef.close());

  const event = (
    type: 'placed' | 'confirmed' | 'approved' | 'cancelled',
    lines: [productId: string, quantity: number][],
    id = orderId,
  ): EventData<typeof OrderChanged> => ({
    orderId: id,
    version: { placed: 1, confirmed: 2, approved: 3, cancelled: 4 }[type],
    type,
    occurredAt: CONFIRMED_AT,
    customerId: 'c-1',
    region: 'us',
    status: {
      placed: 'pending',
      confirmed: 'confirmed',
      approved: 'confirmed',
      cancelled: 'cancelled',
    }[type] as 'pending' | 'confirmed' | 'cancelled',
    ...(type === 'cancelled'
      ? {}
      : {
          lines: lines.map(([productId, quantity]) => ({
            sku: `${productId}-SKU`,
            productId,
            quantity,
            lineTotal: { amount: 1_000 * quantity, currency: 'USD' as const },
          })),
          total: { amount: 1_000, currency: 'USD' as const },
        }),
  });

  const deliver = async (...events: EventData<typeof OrderChanged>[]) => {
    for (const data of events) await bus.publish(OrderChanged, data, { key: data.orderId });
    await bus.drain();
  };

  it('a confirmed order raises the popularity and velocity of each of its products', async () => {
    await deliver(
      event('confirmed', [
        [p1, 2],
        [p2, 1],
      ]),
    );
    const one = await signals.signalsOf(p1);
    expect(one.popularity).toBe(2);
    expect(one.salesVelocity).toBeGreaterThan(0);
    expect(await signals.signalsOf(p2)).toMatchObject({ popularity: 1 });
    expect(one.salesVelocity).toBeGreaterThan((await signals.signalsOf(p2)).salesVelocity);
  });

  it('counts an order the fraud review held and then approved', async () => {
    await deliver(event('approved', [[p1, 2]]));
    expect(await signals.signalsOf(p1)).toMatchObject({ popularity: 2 });
  });

  it('adds up the orders of a product, and its lines of several SKUs within one order', async () => {
    await deliver(
      event('confirmed', [
        [p1, 2],
        [p1, 3],
      ]),
      event('confirmed', [[p1, 4]], `${orderId}-second`),
    );
    expect(await signals.signalsOf(p1)).toMatchObject({ popularity: 9 });
  });

  it('counts a redelivered event once', async () => {
    const confirmed = event('confirmed', [
      [p1, 2],
      [p2, 1],
    ]);
    await deliver(confirmed, confirmed);
    await deliver(confirmed);
    expect((await signals.signalsOfMany([p1, p2])).get(p1)).toMatchObject({ popularity: 2 });
    expect((await signals.signalsOfMany([p1, p2])).get(p2)).toMatchObject({ popularity: 1 });
  });

  it('completes an order whose first delivery died after counting some of its products', async () => {
    // What the first delivery left: p1 counted, p2 not yet.
    await moduleRef
      .get(SalesRepository)
      .recordOrder(p1, CONFIRMED_AT.slice(0, 10), { orderId, units: 2, expiresAt: 0 });
    await deliver(
      event('confirmed', [
        [p1, 2],
        [p2, 1],
      ]),
    );
    expect(await signals.signalsOf(p1)).toMatchObject({ popularity: 2 });
    expect(await signals.signalsOf(p2)).toMatchObject({ popularity: 1 });
  });

  it('changes nothing for a placed or a cancelled order', async () => {
    await deliver(event('placed', [[p1, 2]]), event('cancelled', []));
    expect(await signals.signalsOf(p1)).toEqual({ popularity: 0, salesVelocity: 0 });
    expect(scheduleReindex).not.toHaveBeenCalled();
  });

  it('schedules a re-index of each product sold, on a redelivery too', async () => {
    const confirmed = event('confirmed', [
      [p1, 2],
      [p2, 1],
      [p1, 1],
    ]);
    await deliver(confirmed);
    expect(scheduleReindex.mock.calls).toEqual([[p1], [p2]]);
    scheduleReindex.mockClear();
    // The delivery that counted the order may have died before scheduling.
    await deliver(confirmed);
    expect(scheduleReindex.mock.calls).toEqual([[p1], [p2]]);
  });

  it('lets velocity fall day by day without sales, and popularity go after 90 days', async () => {
    await deliver(event('confirmed', [[p1, 10]]));
    const on = async (days: number) => {
      clock.laterBy(days);
      return signals.signalsOf(p1);
    };
    const today = await on(0);
    const weekLater = await on(7);
    expect(weekLater.popularity).toBe(10);
    expect(weekLater.salesVelocity).toBeCloseTo(today.salesVelocity / 2, 2);
    expect(await on(14)).toEqual({ popularity: 10, salesVelocity: 0 });
    expect(await on(89)).toEqual({ popularity: 10, salesVelocity: 0 });
    expect(await on(90)).toEqual({ popularity: 0, salesVelocity: 0 });
  });

  it('answers many products at once, products without sales at zero', async () => {
    await deliver(event('confirmed', [[p1, 3]]));
    expect(await signals.signalsOfMany([p1, p2, p1])).toEqual(
      new Map([
        [p1, await signals.signalsOf(p1)],
        [p2, { popularity: 0, salesVelocity: 0 }],
      ]),
    );
  });
});
