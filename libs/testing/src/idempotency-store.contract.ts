import { randomBytes } from 'node:crypto';

/** A response as a store keeps it. */
interface StoredResponse {
  status: number;
  body: unknown;
}

/**
 * The shape of an idempotency store (the order app's `IdempotencyStore` port), stated here
 * because a library never imports an app; `Token` is the adapter's claim token.
 */
export interface IdempotencyStoreUnderTest<Token> {
  begin(
    scope: string,
    key: string,
    requestHash: string,
  ): Promise<
    | { kind: 'started'; token: Token }
    | { kind: 'replay'; response: StoredResponse }
    | { kind: 'in_progress' }
    | { kind: 'mismatch' }
  >;
  complete(token: Token, response: StoredResponse): Promise<'completed' | 'lost'>;
  abandon(token: Token): Promise<void>;
}

export interface IdempotencyStoreContractOptions {
  /** The lease the store was built with, in milliseconds. */
  leaseMs: number;
  /** The retention the store was built with, in milliseconds. */
  retentionMs: number;
  /** Moves the clock the store was built with forward. */
  advanceClock: (ms: number) => void;
}

/**
 * The behaviour every IdempotencyStore adapter keeps (see the port's class comment). `makeStore`
 * returns a store on a clock the suite moves with `advanceClock`; every test uses its own random
 * scope, so a shared table carries nothing from one test to the next.
 */
export function idempotencyStoreContract<Token>(
  name: string,
  makeStore: () => Promise<IdempotencyStoreUnderTest<Token>>,
  options: IdempotencyStoreContractOptions,
): void {
  describe(`IdempotencyStore contract: ${name}`, () => {
    let store: IdempotencyStoreUnderTest<Token>;
    let scope: string;
    const created: StoredResponse = { status: 201, body: { orderId: 'o-1', status: 'confirmed' } };

    async function started(key: string, hash: string, inScope = scope): Promise<Token> {
      const outcome = await store.begin(inScope, key, hash);
      if (outcome.kind !== 'started') throw new Error(`expected started, got ${outcome.kind}`);
      return outcome.token;
    }

    beforeEach(async () => {
      store = await makeStore();
      scope = `customer-${randomBytes(6).toString('hex')}`;
    });

    it('starts the first request with a key, then replays its response to the same body', async () => {
      await store.complete(await started('k', 'hash-a'), created);

      expect(await store.begin(scope, 'k', 'hash-a')).toEqual({
        kind: 'replay',
        response: created,
      });
      expect(await store.begin(scope, 'k', 'hash-a')).toEqual({
        kind: 'replay',
        response: created,
      });
    });

    it('replays an error response as first answered (status and body)', async () => {
      const declined = {
        status: 402,
        body: { code: 'PAYMENT_DECLINED', detail: 'Karte abgelehnt 💳' },
      };
      await store.complete(await started('k', 'hash-a'), declined);

      expect(await store.begin(scope, 'k', 'hash-a')).toEqual({
        kind: 'replay',
        response: declined,
      });
    });

    it('answers mismatch to the same key with another body, running or done', async () => {
      const token = await started('k', 'hash-a');
      expect(await store.begin(scope, 'k', 'hash-b')).toEqual({ kind: 'mismatch' });

      await store.complete(token, created);
      expect(await store.begin(scope, 'k', 'hash-b')).toEqual({ kind: 'mismatch' });
    });

    it('answers in_progress while the first request with the key runs', async () => {
      await started('k', 'hash-a');

      expect(await store.begin(scope, 'k', 'hash-a')).toEqual({ kind: 'in_progress' });
    });

    it('starts exactly one of 20 concurrent begins with one key; the others are in progress', async () => {
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, () => store.begin(scope, 'k', 'hash-a')),
      );

      const kinds = outcomes.map((outcome) => outcome.kind);
      expect(kinds.filter((kind) => kind === 'started')).toHaveLength(1);
      expect(kinds.filter((kind) => kind === 'in_progress')).toHaveLength(19);
    });

    it('frees the key on abandon: the next request starts, with any body', async () => {
      await store.abandon(await started('k', 'hash-a'));

      await store.abandon(await started('k', 'hash-b'));
      expect((await store.begin(scope, 'k', 'hash-a')).kind).toBe('started');
    });

    it('lets the same body take a key over once the holder’s lease ran out, not before', async () => {
      const first = await started('k', 'hash-a');
      options.advanceClock(options.leaseMs - 1);
      expect(await store.begin(scope, 'k', 'hash-a')).toEqual({ kind: 'in_progress' });

      options.advanceClock(2);
      const taker = await started('k', 'hash-a');
      expect(await store.begin(scope, 'k', 'hash-a')).toEqual({ kind: 'in_progress' });

      const takerResponse = { status: 201, body: { orderId: 'o-2' } };
      expect(await store.complete(first, created)).toBe('lost');
      expect(await store.complete(taker, takerResponse)).toBe('completed');
      expect(await store.begin(scope, 'k', 'hash-a')).toEqual({
        kind: 'replay',
        response: takerResponse,
      });
    });

    it('keeps a key bound to its body after the lease ran out: another body is a mismatch', async () => {
      await started('k', 'hash-a');
      options.advanceClock(options.leaseMs + 1);

      expect(await store.begin(scope, 'k', 'hash-b')).toEqual({ kind: 'mismatch' });
    });

    it('ignores an abandon from a holder whose claim was taken over', async () => {
      const first = await started('k', 'hash-a');
      options.advanceClock(options.leaseMs + 1);
      await started('k', 'hash-a');

      await store.abandon(first);
      expect(await store.begin(scope, 'k', 'hash-a')).toEqual({ kind: 'in_progress' });
    });

    it('remembers a key for the retention period, then forgets it', async () => {
      await store.complete(await started('k', 'hash-a'), created);
      options.advanceClock(options.retentionMs - 1);
      expect(await store.begin(scope, 'k', 'hash-a')).toEqual({
        kind: 'replay',
        response: created,
      });

      options.advanceClock(2);
      expect((await store.begin(scope, 'k', 'hash-b')).kind).toBe('started');
    });

    it('scopes keys: one customer’s key never matches another’s', async () => {
      const other = `${scope}-other`;
      await store.complete(await started('k', 'hash-a'), created);

      expect((await store.begin(other, 'k', 'hash-b')).kind).toBe('started');
      expect(await store.begin(scope, 'k', 'hash-a')).toEqual({
        kind: 'replay',
        response: created,
      });
    });
  });
}
