import { ContractViolation, defineEvent, defineRequest, type Envelope } from '@mercato/contracts';
import {
  MessageBus,
  RemoteError,
  RequestTimeoutError,
  type DeadLetter,
  type RetryPolicy,
} from '@mercato/messaging';
import { Correlation } from '@mercato/observability';
import { z } from 'zod';

/**
 * The retry policy a bus under test must be built with: the suite counts attempts against it.
 * A short backoff keeps the suite fast.
 */
export const CONTRACT_RETRY_POLICY: RetryPolicy = { maxAttempts: 3, backoffMs: 2 };

/** Fresh contracts per test, so adapters with durable topics (Kafka) see no earlier test's messages. */
function testContracts() {
  const run = Array.from({ length: 8 }, () =>
    String.fromCharCode(97 + Math.floor(Math.random() * 26)),
  ).join('');
  const ThingHappened = defineEvent({
    type: `test.thing${run}.happened`,
    version: 1,
    owner: 'catalog',
    schema: z.object({ thingId: z.string(), seq: z.number().int().nonnegative() }),
  });
  const ThingFollowed = defineEvent({
    type: `test.thing${run}.followed`,
    version: 1,
    owner: 'catalog',
    schema: z.object({ thingId: z.string() }),
  });
  const AddNumbers = defineRequest({
    type: `test.thing${run}.add`,
    version: 1,
    owner: 'catalog',
    request: z.object({ a: z.number(), b: z.number() }),
    response: z.object({ sum: z.number() }),
  });
  const NobodyAnswers = defineRequest({
    type: `test.thing${run}.unanswered`,
    version: 1,
    owner: 'catalog',
    request: z.object({}),
    response: z.object({}),
  });
  return { ThingHappened, ThingFollowed, AddNumbers, NobodyAnswers };
}

/** Lets other handlers run for a few turns of the event loop, so deliveries interleave. */
async function yieldRandomly(): Promise<void> {
  for (let i = Math.floor(Math.random() * 4); i > 0; i--)
    await new Promise((resolve) => setImmediate(resolve));
}

const failure = (message: string, status: number, code: string) =>
  Object.assign(new Error(message), { status, code });

/**
 * The behaviour every MessageBus adapter keeps. `makeBus` returns a new bus, not yet started,
 * built with CONTRACT_RETRY_POLICY; the suite starts and closes it.
 */
export function eventBusContract(name: string, makeBus: () => Promise<MessageBus>): void {
  describe(`MessageBus contract: ${name}`, () => {
    let bus: MessageBus;
    let contracts: ReturnType<typeof testContracts>;

    beforeEach(async () => {
      bus = await makeBus();
      contracts = testContracts();
    });

    afterEach(async () => {
      await bus.close();
    });

    describe('publish and subscribe', () => {
      it('delivers the published envelope, with every field, to a subscriber', async () => {
        const { ThingHappened } = contracts;
        const received: [unknown, Envelope][] = [];
        bus.subscribe(ThingHappened, 'watcher', async (data, envelope) => {
          received.push([data, envelope]);
        });
        await bus.start();

        const sent = await bus.publish(ThingHappened, { thingId: 't-1', seq: 7 }, { key: 't-1' });
        await bus.drain();

        expect(sent).toEqual({
          id: expect.any(String),
          type: ThingHappened.type,
          version: 1,
          occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          key: 't-1',
          correlationId: expect.any(String),
          causationId: null,
          data: { thingId: 't-1', seq: 7 },
        });
        expect(received).toEqual([[{ thingId: 't-1', seq: 7 }, sent]]);
      });

      it('rejects a payload that breaks the contract with ContractViolation and delivers nothing', async () => {
        const { ThingHappened } = contracts;
        const handler = jest.fn(async () => undefined);
        bus.subscribe(ThingHappened, 'watcher', handler);
        await bus.start();

        const publishing = bus.publish(ThingHappened, { thingId: 't-1', seq: 'seven' } as never, {
          key: 't-1',
        });

        await expect(publishing).rejects.toBeInstanceOf(ContractViolation);
        await expect(publishing).rejects.toMatchObject({
          direction: 'send',
          topic: ThingHappened.topic,
        });
        await bus.drain();
        expect(handler).not.toHaveBeenCalled();
      });

      it('keeps the order of messages with the same key, under many interleaved keys', async () => {
        const { ThingHappened } = contracts;
        const keys = ['a', 'b', 'c', 'd', 'e'];
        const perKey = 50;
        const seen = new Map<string, number[]>(keys.map((k) => [k, []]));
        const inFlight = new Set<string>();
        let overlapped = false;
        bus.subscribe(ThingHappened, 'orderly', async ({ thingId, seq }) => {
          overlapped ||= inFlight.has(thingId);
          inFlight.add(thingId);
          await yieldRandomly();
          seen.get(thingId)!.push(seq);
          inFlight.delete(thingId);
        });
        await bus.start();

        for (let seq = 0; seq < perKey; seq++) {
          for (const key of keys) await bus.publish(ThingHappened, { thingId: key, seq }, { key });
        }
        await bus.drain();

        const expected = Array.from({ length: perKey }, (_, i) => i);
        for (const key of keys) expect(seen.get(key)).toEqual(expected);
        expect(overlapped).toBe(false); // one key's messages one at a time
      });

      it("does not hold other keys' messages behind a slow handler of their partition", async () => {
        const { ThingHappened } = contracts;
        await bus.start();
        // Published before the group exists, so it finds them all at once (as after a backlog).
        // With 30 other keys, some share the slow key's partition whatever the partitioner.
        const others = Array.from({ length: 30 }, (_, i) => `other-${i}`);
        await bus.publish(ThingHappened, { thingId: 'slow', seq: 0 }, { key: 'slow' });
        for (const key of others)
          await bus.publish(ThingHappened, { thingId: key, seq: 0 }, { key });
        const handled = new Set<string>();
        let allOthersHandled!: () => void;
        const othersDone = new Promise<void>((resolve) => (allOthersHandled = resolve));
        let slowSawOthersDone = false;
        bus.subscribe(ThingHappened, 'unblocked', async ({ thingId }) => {
          if (thingId === 'slow') {
            // Waits for the others; a partition handled strictly in sequence never lets them run.
            slowSawOthersDone = await Promise.race([
              othersDone.then(() => true),
              new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5_000)),
            ]);
          } else if (handled.add(thingId).size === others.length) allOthersHandled();
        });

        await bus.drain();

        expect(handled.size).toBe(others.length);
        expect(slowSawOthersDone).toBe(true);
      });

      it('gives each consumer group every event exactly once', async () => {
        const { ThingHappened } = contracts;
        const byGroup: Record<string, string[]> = { search: [], recommendation: [] };
        for (const group of Object.keys(byGroup)) {
          bus.subscribe(ThingHappened, group, async (_data, envelope) => {
            byGroup[group].push(envelope.id);
          });
        }
        await bus.start();

        const published: string[] = [];
        for (let seq = 0; seq < 30; seq++) {
          const key = `thing-${seq % 7}`;
          published.push((await bus.publish(ThingHappened, { thingId: key, seq }, { key })).id);
        }
        await bus.drain();

        expect([...byGroup.search].sort()).toEqual([...published].sort());
        expect([...byGroup.recommendation].sort()).toEqual([...published].sort());
      });
    });

    describe('failures', () => {
      it('redelivers a message whose handler threw, until it succeeds', async () => {
        const { ThingHappened } = contracts;
        let attempts = 0;
        const handled: number[] = [];
        const deadLetters: DeadLetter[] = [];
        bus.subscribe(ThingHappened, 'flaky', async ({ seq }) => {
          attempts++;
          if (attempts <= 2) throw new Error(`transient failure ${attempts}`);
          handled.push(seq);
        });
        bus.onDeadLetter(ThingHappened.topic, 'ops', async (letter) => {
          deadLetters.push(letter);
        });
        await bus.start();

        await bus.publish(ThingHappened, { thingId: 't-1', seq: 1 }, { key: 't-1' });
        await bus.drain();

        expect(attempts).toBe(3);
        expect(handled).toEqual([1]);
        expect(deadLetters).toEqual([]);
      });

      it('dead-letters a message after maxAttempts with the reason, then moves on to the next of its key', async () => {
        const { ThingHappened } = contracts;
        const calls: number[] = [];
        const deadLetters: DeadLetter[] = [];
        bus.subscribe(ThingHappened, 'picky', async ({ seq }) => {
          calls.push(seq);
          if (seq === 1) throw new Error('cannot handle seq 1');
        });
        bus.onDeadLetter(ThingHappened.topic, 'ops', async (letter) => {
          deadLetters.push(letter);
        });
        await bus.start();

        const poison = await bus.publish(ThingHappened, { thingId: 't-1', seq: 1 }, { key: 't-1' });
        await bus.publish(ThingHappened, { thingId: 't-1', seq: 2 }, { key: 't-1' });
        await bus.drain();

        const { maxAttempts } = CONTRACT_RETRY_POLICY;
        expect(calls).toEqual([...Array<number>(maxAttempts).fill(1), 2]);
        expect(deadLetters).toEqual([
          {
            topic: ThingHappened.topic,
            group: 'picky',
            attempts: maxAttempts,
            reason: expect.stringContaining('cannot handle seq 1'),
            failedAt: expect.any(String),
            message: poison,
          },
        ]);
      });
    });

    describe('request and reply', () => {
      it('returns the typed response of the answering handler', async () => {
        const { AddNumbers } = contracts;
        bus.answer(AddNumbers, async ({ a, b }) => ({ sum: a + b }));
        await bus.start();

        const response = await bus.request(AddNumbers, { a: 2, b: 3 });

        expect(response).toEqual({ sum: 5 });
      });

      it("rejects with RemoteError carrying the handler error's status and code, without redelivery", async () => {
        const { AddNumbers } = contracts;
        const handler = jest.fn(async () => {
          throw failure('numbers too large', 422, 'TOO_LARGE');
        });
        bus.answer(AddNumbers, handler);
        await bus.start();

        const requesting = bus.request(AddNumbers, { a: 1e9, b: 1e9 });

        await expect(requesting).rejects.toBeInstanceOf(RemoteError);
        await expect(requesting).rejects.toMatchObject({
          topic: AddNumbers.topic,
          status: 422,
          code: 'TOO_LARGE',
          message: 'numbers too large',
        });
        await bus.drain();
        expect(handler).toHaveBeenCalledTimes(1);
      });

      it('hides an unexpected handler error behind a 500 INTERNAL RemoteError', async () => {
        const { AddNumbers } = contracts;
        bus.answer(AddNumbers, async () => {
          throw new TypeError('secret internals');
        });
        await bus.start();

        await expect(bus.request(AddNumbers, { a: 1, b: 1 })).rejects.toMatchObject({
          name: 'RemoteError',
          status: 500,
          code: 'INTERNAL',
          message: expect.not.stringContaining('secret'),
        });
      });

      it('answers a response that breaks the contract with a 500 RemoteError', async () => {
        const { AddNumbers } = contracts;
        bus.answer(AddNumbers, async () => ({ sum: 'five' }) as never);
        await bus.start();

        await expect(bus.request(AddNumbers, { a: 2, b: 3 })).rejects.toMatchObject({
          name: 'RemoteError',
          status: 500,
        });
      });

      it('rejects an invalid request payload with ContractViolation before sending', async () => {
        const { AddNumbers } = contracts;
        const handler = jest.fn(async () => ({ sum: 0 }));
        bus.answer(AddNumbers, handler);
        await bus.start();

        await expect(bus.request(AddNumbers, { a: 'two' } as never)).rejects.toBeInstanceOf(
          ContractViolation,
        );
        await bus.drain();
        expect(handler).not.toHaveBeenCalled();
      });

      it('rejects with RequestTimeoutError when nobody answers in time', async () => {
        const { NobodyAnswers } = contracts;
        await bus.start();

        const requesting = bus.request(NobodyAnswers, {}, { timeoutMs: 50 });

        await expect(requesting).rejects.toBeInstanceOf(RequestTimeoutError);
        await expect(requesting).rejects.toMatchObject({
          topic: NobodyAnswers.topic,
          timeoutMs: 50,
          status: 504,
        });
      });
    });

    describe('correlation', () => {
      it('carries the correlation id from the publisher scope into handlers, and names the cause', async () => {
        const { ThingHappened, ThingFollowed } = contracts;
        const seen: { correlationId?: string; envelope: Envelope }[] = [];
        bus.subscribe(ThingHappened, 'relay', async ({ thingId }, envelope) => {
          seen.push({ correlationId: Correlation.currentId(), envelope });
          await bus.publish(ThingFollowed, { thingId }, { key: thingId });
        });
        bus.subscribe(ThingFollowed, 'sink', async (_data, envelope) => {
          seen.push({ correlationId: Correlation.currentId(), envelope });
        });
        await bus.start();

        const first = await Correlation.run({ correlationId: 'corr-42', causationId: null }, () =>
          bus.publish(ThingHappened, { thingId: 't-1', seq: 1 }, { key: 't-1' }),
        );
        await bus.drain();

        expect(first.correlationId).toBe('corr-42');
        expect(seen).toHaveLength(2);
        const [handled, followed] = seen;
        expect(handled.correlationId).toBe('corr-42');
        expect(followed.correlationId).toBe('corr-42');
        expect(followed.envelope).toMatchObject({
          correlationId: 'corr-42',
          causationId: first.id,
        });
      });

      it('carries the correlation id of a request into the answering handler', async () => {
        const { AddNumbers } = contracts;
        let seenInHandler: string | undefined;
        bus.answer(AddNumbers, async ({ a, b }) => {
          seenInHandler = Correlation.currentId();
          return { sum: a + b };
        });
        await bus.start();

        await Correlation.run({ correlationId: 'corr-req', causationId: null }, () =>
          bus.request(AddNumbers, { a: 1, b: 2 }),
        );

        expect(seenInHandler).toBe('corr-req');
      });
    });
  });
}
