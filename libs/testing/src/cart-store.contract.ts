import { randomBytes } from 'node:crypto';

/*
 * libs never import an app, so the suite states the shape of the cart store it checks; the cart
 * app's `CartStore` (apps/cart/src/carts/cart-store.ts) satisfies it structurally.
 */
type ContractOwner = { kind: 'guest' } | { kind: 'customer'; customerId: string };

interface ContractCartLine {
  sku: string;
  productId: string;
  quantity: number;
  unitPriceWhenAdded: { amount: number; currency: string };
  addedAt: string;
}

export interface ContractCart {
  cartId: string;
  owner: ContractOwner;
  region: string;
  lines: ContractCartLine[];
  coupons: string[];
  /** The merges and orders a cart remembers (optional: carts stored before them lack them). */
  mergedCartIds?: string[];
  clearedOrderIds?: string[];
  version: number;
  updatedAt: string;
  expiresAt: string;
}

type ContractNewCart = Pick<ContractCart, 'cartId' | 'owner' | 'region'> &
  Partial<Pick<ContractCart, 'lines' | 'coupons'>>;

export interface ContractCartStore {
  get(cartId: string): Promise<ContractCart | undefined>;
  findByCustomer(customerId: string): Promise<ContractCart | undefined>;
  create(
    draft: ContractNewCart,
  ): Promise<
    | { outcome: 'created'; cart: ContractCart }
    | { outcome: 'duplicate-cart-id' }
    | { outcome: 'customer-has-cart'; cartId: string }
  >;
  save(
    cart: ContractCart,
  ): Promise<
    | { outcome: 'saved'; cart: ContractCart }
    | { outcome: 'conflict'; cartId: string }
    | { outcome: 'not-found'; cartId: string }
  >;
  delete(cartId: string): Promise<void>;
  init(): Promise<void>;
  close(): Promise<void>;
}

/** One store under test, in its own namespace (key prefix or table prefix) of a shared engine. */
export interface CartStoreUnderTest {
  store: ContractCartStore;
  /** Overwrites what is stored for `cartId` with data that is not a cart, as the adapter keeps it. */
  corrupt(cartId: string): Promise<void>;
  /** Releases what `makeStore` opened beyond the store itself (connections, tables). */
  dispose?(): Promise<void>;
}

export interface CartStoreContractOptions {
  /** The idle times the store was built with (milliseconds). */
  idle: { guestMs: number; customerMs: number };
  /**
   * Moves the clock the store was built with forward. Without it the expiry cases wait for real
   * time, polling, so `idle` must then be short (a second or two).
   */
  advanceClock?: (ms: number) => void;
}

const line = (sku: string, quantity = 1): ContractCartLine => ({
  sku,
  productId: `product-${sku}`,
  quantity,
  unitPriceWhenAdded: { amount: 1999, currency: 'EUR' },
  addedAt: '2026-01-01T00:00:00.000Z',
});

/**
 * The behaviour every CartStore adapter keeps (see the port's class comment). `makeStore(ns)`
 * returns a store, not yet initialised, whose data lives under namespace `ns`; the suite
 * initialises and closes it. Every test uses fresh ids, so a shared engine carries nothing from
 * one test to the next.
 */
export function cartStoreContract(
  name: string,
  makeStore: (namespace: string) => Promise<CartStoreUnderTest>,
  options: CartStoreContractOptions,
): void {
  describe(`CartStore contract: ${name}`, () => {
    let subject: CartStoreUnderTest;
    let store: ContractCartStore;
    let namespace: string;
    const opened: CartStoreUnderTest[] = [];
    const id = (what: string): string => `${what}-${randomBytes(6).toString('hex')}`;

    async function open(ns: string): Promise<CartStoreUnderTest> {
      const made = await makeStore(ns);
      await made.store.init();
      opened.push(made);
      return made;
    }

    async function created(draft: ContractNewCart): Promise<ContractCart> {
      const result = await store.create(draft);
      if (result.outcome !== 'created') throw new Error(`create answered ${result.outcome}`);
      return result.cart;
    }

    /** Lets `idleMs` (plus a margin) pass: the clock is moved when it can be, else real time. */
    async function letTimePass(ms: number): Promise<void> {
      if (options.advanceClock) options.advanceClock(ms);
      else await new Promise((resolve) => setTimeout(resolve, ms));
    }

    /** Waits until `gone()` holds after the idle time: moved clock, or real time polled. */
    async function expire(idleMs: number, gone: () => Promise<boolean>): Promise<void> {
      if (options.advanceClock) {
        options.advanceClock(idleMs + 1);
        expect(await gone()).toBe(true);
        return;
      }
      const deadline = Date.now() + idleMs + 2_000;
      while (!(await gone())) {
        if (Date.now() > deadline)
          throw new Error(`cart did not expire within ${idleMs + 2_000} ms`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    }

    beforeEach(async () => {
      namespace = `contract-${randomBytes(4).toString('hex')}-`;
      subject = await open(namespace);
      store = subject.store;
    });

    afterEach(async () => {
      for (const made of opened.splice(0)) {
        await made.store.close();
        await made.dispose?.();
      }
    });

    describe('create and get', () => {
      it('reads an unknown cart id as undefined', async () => {
        expect(await store.get(id('nothing'))).toBeUndefined();
      });

      it('stores a new cart as version 1 and reads back exactly what create answered', async () => {
        const cartId = id('cart');
        const cart = await created({
          cartId,
          owner: { kind: 'guest' },
          region: 'EU',
          lines: [line('SKU-1', 2)],
          coupons: ['WELCOME'],
        });

        expect(cart).toMatchObject({ cartId, version: 1, region: 'EU', coupons: ['WELCOME'] });
        expect(Date.parse(cart.expiresAt) - Date.parse(cart.updatedAt)).toBe(options.idle.guestMs);
        expect(await store.get(cartId)).toEqual(cart);
      });

      it('refuses a second cart with an id in use, leaving the first untouched', async () => {
        const cartId = id('cart');
        const first = await created({ cartId, owner: { kind: 'guest' }, region: 'EU' });

        expect(await store.create({ cartId, owner: { kind: 'guest' }, region: 'US' })).toEqual({
          outcome: 'duplicate-cart-id',
        });
        expect(await store.get(cartId)).toEqual(first);
      });
    });

    describe('customer index', () => {
      it("finds a customer's cart by customer id, and nothing for a customer without one", async () => {
        const customerId = id('customer');
        const cart = await created({
          cartId: id('cart'),
          owner: { kind: 'customer', customerId },
          region: 'EU',
        });

        expect(await store.findByCustomer(customerId)).toEqual(cart);
        expect(await store.findByCustomer(id('customer'))).toBeUndefined();
        expect(Date.parse(cart.expiresAt) - Date.parse(cart.updatedAt)).toBe(
          options.idle.customerMs,
        );
      });

      it('keeps one live cart per customer: a second create names the first', async () => {
        const customerId = id('customer');
        const owner = { kind: 'customer' as const, customerId };
        const first = await created({ cartId: id('cart'), owner, region: 'EU' });
        const secondId = id('cart');

        expect(await store.create({ cartId: secondId, owner, region: 'EU' })).toEqual({
          outcome: 'customer-has-cart',
          cartId: first.cartId,
        });
        expect(await store.get(secondId)).toBeUndefined();
        expect(await store.findByCustomer(customerId)).toEqual(first);
      });

      it('gives a customer a new cart once the old one is deleted', async () => {
        const customerId = id('customer');
        const owner = { kind: 'customer' as const, customerId };
        const old = await created({ cartId: id('cart'), owner, region: 'EU' });
        await store.delete(old.cartId);

        expect(await store.findByCustomer(customerId)).toBeUndefined();
        const fresh = await created({ cartId: id('cart'), owner, region: 'EU' });
        expect(await store.findByCustomer(customerId)).toEqual(fresh);
      });
    });

    describe('optimistic concurrency', () => {
      it('saves as the next version, touched now, and reads back what save answered', async () => {
        const cart = await created({ cartId: id('cart'), owner: { kind: 'guest' }, region: 'EU' });
        const result = await store.save({ ...cart, lines: [line('SKU-2', 3)] });

        expect(result.outcome).toBe('saved');
        if (result.outcome !== 'saved') return;
        expect(result.cart).toMatchObject({ version: 2, lines: [line('SKU-2', 3)] });
        expect(await store.get(cart.cartId)).toEqual(result.cart);
      });

      it('keeps the merged cart ids and cleared order ids a save stores', async () => {
        const customerId = id('customer');
        const cart = await created({
          cartId: id('cart'),
          owner: { kind: 'customer', customerId },
          region: 'EU',
        });
        const result = await store.save({
          ...cart,
          mergedCartIds: ['guest-cart-1'],
          clearedOrderIds: ['order-1', 'order-2'],
        });

        expect(result.outcome).toBe('saved');
        expect(await store.findByCustomer(customerId)).toMatchObject({
          mergedCartIds: ['guest-cart-1'],
          clearedOrderIds: ['order-1', 'order-2'],
        });
      });

      it('lets exactly one of two saves from the same version win; the other is a conflict', async () => {
        const cart = await created({ cartId: id('cart'), owner: { kind: 'guest' }, region: 'EU' });
        const results = await Promise.all([
          store.save({ ...cart, coupons: ['A'] }),
          store.save({ ...cart, coupons: ['B'] }),
        ]);

        const outcomes = results.map((result) => result.outcome).sort();
        expect(outcomes).toEqual(['conflict', 'saved']);
        const winner = results.find((result) => result.outcome === 'saved');
        expect(await store.get(cart.cartId)).toEqual(winner && 'cart' in winner && winner.cart);
      });

      it('ends 20 concurrent increments, each retrying on conflict, at the exact sum', async () => {
        const customerId = id('customer');
        const cart = await created({
          cartId: id('cart'),
          owner: { kind: 'customer', customerId },
          region: 'EU',
          lines: [line('SKU-N', 1)],
        });
        const increment = async (): Promise<void> => {
          for (let attempt = 0; attempt < 200; attempt++) {
            const current = (await store.get(cart.cartId))!;
            const [first] = current.lines;
            const result = await store.save({
              ...current,
              lines: [{ ...first, quantity: first.quantity + 1 }],
            });
            if (result.outcome === 'saved') return;
            expect(result.outcome).toBe('conflict');
          }
          throw new Error('an increment did not get through in 200 attempts');
        };
        await Promise.all(Array.from({ length: 20 }, increment));

        const final = await store.findByCustomer(customerId);
        expect(final?.lines[0].quantity).toBe(21);
        expect(final?.version).toBe(21);
      });

      it('answers not-found for a save of a deleted cart, and does not bring it back', async () => {
        const cart = await created({ cartId: id('cart'), owner: { kind: 'guest' }, region: 'EU' });
        await store.delete(cart.cartId);

        expect(await store.save(cart)).toEqual({ outcome: 'not-found', cartId: cart.cartId });
        expect(await store.get(cart.cartId)).toBeUndefined();
      });

      it('rejects a save that changes the owner', async () => {
        const cart = await created({ cartId: id('cart'), owner: { kind: 'guest' }, region: 'EU' });

        await expect(
          store.save({ ...cart, owner: { kind: 'customer', customerId: id('customer') } }),
        ).rejects.toThrow(cart.cartId);
      });
    });

    describe('delete', () => {
      it('removes a cart and its customer index, and ignores an unknown id', async () => {
        const customerId = id('customer');
        const cart = await created({
          cartId: id('cart'),
          owner: { kind: 'customer', customerId },
          region: 'EU',
        });
        await store.delete(cart.cartId);
        await store.delete(id('never-created'));

        expect(await store.get(cart.cartId)).toBeUndefined();
        expect(await store.findByCustomer(customerId)).toBeUndefined();
      });
    });

    describe('idle expiry', () => {
      it('expires a guest cart after the guest idle time, while a customer cart lives on', async () => {
        const guest = await created({
          cartId: id('guest'),
          owner: { kind: 'guest' },
          region: 'EU',
        });
        const customerId = id('customer');
        const customer = await created({
          cartId: id('cart'),
          owner: { kind: 'customer', customerId },
          region: 'EU',
        });

        await expire(
          options.idle.guestMs,
          async () => (await store.get(guest.cartId)) === undefined,
        );
        expect(await store.get(customer.cartId)).toEqual(customer);
        expect(await store.findByCustomer(customerId)).toEqual(customer);
        expect(await store.save(guest)).toEqual({ outcome: 'not-found', cartId: guest.cartId });
      });

      it('expires a customer cart and its index after the customer idle time', async () => {
        const customerId = id('customer');
        const owner = { kind: 'customer' as const, customerId };
        const cart = await created({ cartId: id('cart'), owner, region: 'EU' });

        await expire(
          options.idle.customerMs,
          async () => (await store.findByCustomer(customerId)) === undefined,
        );
        expect(await store.get(cart.cartId)).toBeUndefined();
        const next = await created({ cartId: id('cart'), owner, region: 'EU' });
        expect(await store.findByCustomer(customerId)).toEqual(next);
      });

      it('pushes expiry back at every save: a cart in use does not expire', async () => {
        let cart = await created({ cartId: id('cart'), owner: { kind: 'guest' }, region: 'EU' });
        const step = Math.floor(options.idle.guestMs * 0.6);
        for (let round = 0; round < 2; round++) {
          await letTimePass(step);
          const result = await store.save(cart);
          if (result.outcome !== 'saved') throw new Error(`save answered ${result.outcome}`);
          cart = result.cart;
        }

        expect(await store.get(cart.cartId)).toEqual(cart);
      });
    });

    describe('stored data', () => {
      it('rejects a corrupt stored cart with an error naming it', async () => {
        const cart = await created({ cartId: id('cart'), owner: { kind: 'guest' }, region: 'EU' });
        await subject.corrupt(cart.cartId);

        await expect(store.get(cart.cartId)).rejects.toThrow(cart.cartId);
      });

      it('keeps stores in different namespaces apart', async () => {
        const other = await open(`${namespace}other-`);
        const customerId = id('customer');
        const owner = { kind: 'customer' as const, customerId };
        const cartId = id('cart');
        const mine = await created({ cartId, owner, region: 'EU' });

        expect(await other.store.get(cartId)).toBeUndefined();
        expect(await other.store.findByCustomer(customerId)).toBeUndefined();
        const theirs = await other.store.create({ cartId, owner, region: 'US' });
        expect(theirs.outcome).toBe('created');
        expect(await store.get(cartId)).toEqual(mine);
      });
    });
  });
}
