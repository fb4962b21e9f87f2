import { defineEvent, deadLetterTopic } from '@mercato/contracts';
import { CONTRACT_RETRY_POLICY, eventBusContract } from '@mercato/testing';
import { Counter, register } from 'prom-client';
import { z } from 'zod';
import { silentBusLogger } from './bus-support';
import { InMemoryMessageBus } from './in-memory-message-bus';
import type { DeadLetter } from './message-bus';

const makeBus = (): InMemoryMessageBus =>
  new InMemoryMessageBus({
    partitions: 3,
    retry: CONTRACT_RETRY_POLICY,
    requestTimeoutMs: 1_000,
    logger: silentBusLogger,
  });

eventBusContract('in-memory', async () => makeBus());

describe('InMemoryMessageBus', () => {
  const ThingHappened = defineEvent({
    type: 'test.memory.happened',
    version: 1,
    owner: 'catalog',
    schema: z.object({ thingId: z.string(), tags: z.array(z.string()) }),
  });
  let bus: InMemoryMessageBus;

  beforeEach(() => {
    bus = makeBus();
  });

  afterEach(async () => {
    await bus.close();
  });

  function deferred(): { promise: Promise<void>; resolve: () => void } {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    return { promise, resolve };
  }

  it('never calls a handler inside publish: delivery happens on a later turn', async () => {
    const handler = jest.fn(async () => undefined);
    bus.subscribe(ThingHappened, 'watcher', handler);
    await bus.start();

    await bus.publish(ThingHappened, { thingId: 't-1', tags: [] }, { key: 't-1' });
    expect(handler).not.toHaveBeenCalled();

    await bus.drain();
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('hands handlers a JSON copy of the payload, never the publisher object', async () => {
    const received: unknown[] = [];
    bus.subscribe(ThingHappened, 'watcher', async (data) => {
      received.push(data);
    });
    await bus.start();
    const payload = { thingId: 't-1', tags: ['new'], extra: 'stripped by the contract' };

    await bus.publish(ThingHappened, payload, { key: 't-1' });
    payload.tags.push('mutated after publish');
    await bus.drain();

    expect(received).toEqual([{ thingId: 't-1', tags: ['new'] }]);
    expect(received[0]).not.toBe(payload);
  });

  it('dead-letters a received message that is not JSON or breaks its contract, without calling the handler', async () => {
    const handler = jest.fn(async () => undefined);
    const deadLetters: DeadLetter[] = [];
    bus.subscribe(ThingHappened, 'watcher', handler);
    bus.onDeadLetter(ThingHappened.topic, 'ops', async (letter) => {
      deadLetters.push(letter);
    });
    await bus.start();
    const valid = await bus.publish(ThingHappened, { thingId: 't-1', tags: [] }, { key: 't-1' });

    bus.publishRaw(ThingHappened.topic, 't-1', '{not json');
    bus.publishRaw(
      ThingHappened.topic,
      't-1',
      JSON.stringify({ ...valid, id: 'bad-data', data: { thingId: 7 } }),
    );
    await bus.drain();

    expect(handler).toHaveBeenCalledTimes(1);
    expect(deadLetters).toEqual([
      expect.objectContaining({
        group: 'watcher',
        attempts: 1,
        reason: expect.stringContaining('not JSON'),
        message: '{not json',
      }),
      expect.objectContaining({
        group: 'watcher',
        attempts: 1,
        reason: expect.stringContaining('thingId'),
        message: expect.objectContaining({ id: 'bad-data' }),
      }),
    ]);
    expect(deadLetterTopic(ThingHappened.topic)).toBe(`${ThingHappened.topic}.dlq`);
  });

  it('delivers messages published before start once it starts', async () => {
    const seen: string[] = [];
    bus.subscribe(ThingHappened, 'watcher', async ({ thingId }) => {
      seen.push(thingId);
    });

    await bus.publish(ThingHappened, { thingId: 'early', tags: [] }, { key: 'early' });
    await bus.start();
    await bus.drain();

    expect(seen).toEqual(['early']);
  });

  it('lets a group subscribe after start; it reads from the earliest retained message', async () => {
    await bus.start();
    await bus.publish(ThingHappened, { thingId: 'before', tags: [] }, { key: 'k' });
    const seen: string[] = [];

    bus.subscribe(ThingHappened, 'late', async ({ thingId }) => {
      seen.push(thingId);
    });
    await bus.publish(ThingHappened, { thingId: 'after', tags: [] }, { key: 'k' });
    await bus.drain();

    expect(seen).toEqual(['before', 'after']);
  });

  it('refuses a second handler for the same topic in the same group', () => {
    bus.subscribe(ThingHappened, 'watcher', async () => undefined);

    expect(() => bus.subscribe(ThingHappened, 'watcher', async () => undefined)).toThrow(
      /already has a handler/,
    );
  });

  it('close() waits for the in-flight handler, then refuses new messages', async () => {
    const started = deferred();
    const release = deferred();
    let finished = false;
    bus.subscribe(ThingHappened, 'slow', async () => {
      started.resolve();
      await release.promise;
      finished = true;
    });
    await bus.start();
    await bus.publish(ThingHappened, { thingId: 't-1', tags: [] }, { key: 't-1' });
    await started.promise;

    let closed = false;
    const closing = bus.close().then(() => (closed = true));
    await Promise.resolve();
    expect(closed).toBe(false);
    release.resolve();
    await closing;

    expect(finished).toBe(true);
    await expect(
      bus.publish(ThingHappened, { thingId: 't-2', tags: [] }, { key: 't-2' }),
    ).rejects.toThrow(/closed/);
  });

  it('drain() refuses a bus that was never started', async () => {
    await expect(bus.drain()).rejects.toThrow(/started/);
  });

  it('reports health: down before start, up once started, down after close', async () => {
    expect(await bus.health()).toMatchObject({ up: false });
    await bus.start();
    expect(await bus.health()).toMatchObject({ up: true });
    await bus.close();
    expect(await bus.health()).toMatchObject({ up: false });
  });

  it('maps a key to the same partition every time, and spreads keys over all partitions', () => {
    const partitions = Array.from({ length: 100 }, (_, i) => bus.partitionOf(`product-${i}`));

    expect(partitions.every((p) => p >= 0 && p < 3)).toBe(true);
    expect(new Set(partitions).size).toBe(3);
    expect(bus.partitionOf('product-1')).toBe(makeBus().partitionOf('product-1'));
  });

  it('counts handled, retried and dead-lettered deliveries in prom-client metrics', async () => {
    const counter = register.getSingleMetric('mercato_bus_messages_total') as Counter;
    const count = async (outcome: string) =>
      (await counter.get()).values
        .filter(
          (v) =>
            v.labels.topic === ThingHappened.topic &&
            v.labels.group === 'metered' &&
            v.labels.outcome === outcome,
        )
        .reduce((sum, v) => sum + v.value, 0);
    const before = {
      handled: await count('handled'),
      retried: await count('retried'),
      dead: await count('dead_lettered'),
    };
    bus.subscribe(ThingHappened, 'metered', async ({ thingId }) => {
      if (thingId === 'poison') throw new Error('poison');
    });
    await bus.start();

    await bus.publish(ThingHappened, { thingId: 'fine', tags: [] }, { key: 'a' });
    await bus.publish(ThingHappened, { thingId: 'poison', tags: [] }, { key: 'b' });
    await bus.drain();

    const { maxAttempts } = CONTRACT_RETRY_POLICY;
    expect(await count('handled')).toBe(before.handled + 1);
    expect(await count('retried')).toBe(before.retried + maxAttempts - 1);
    expect(await count('dead_lettered')).toBe(before.dead + 1);
  });
});
