import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import {
  CartItemAdded,
  type CartCaller,
  type CartView,
  type ClearOrderedItems,
  type Region,
  type RequestOf,
  type ResponseOf,
} from '@mercato/contracts';
import { InjectConfig } from '@mercato/config';
import { MessageBus } from '@mercato/messaging';
import { cartLimits, type CartLimits } from '../cart.config';
import type { Cart } from '../carts/cart.model';
import { CartStore } from '../carts/cart-store';
import { CartErrorCode, CartException } from './cart.exception';
import {
  addUnits,
  alreadyMerged,
  clearOrdered,
  couponCode,
  findLine,
  MAX_COUPONS,
  mergeLines,
  moveToRegion,
  removeLine,
  sameSku,
  setQuantity,
  withCoupon,
  withoutCoupon,
  type AddedUnits,
} from './cart.rules';
import { cartView } from './cart.view';
import { CartFacts } from './cart-facts';

/**
 * Saves tried per call: each conflict means another change of the same cart landed in between,
 * which one shopper's clicks rarely do more than once.
 */
const SAVE_ATTEMPTS = 5;

/** What one change of a cart produced: the cart to save, and the units it added. */
interface Change {
  cart: Cart;
  added?: AddedUnits[];
}

const notFound = () =>
  new CartException(CartErrorCode.CartNotFound, 'No such cart (unknown, expired or not yours)');

/** 16 random bytes: 22 url-safe characters, not guessable, so a guest's id is their key. */
const newCartId = (): string => randomBytes(16).toString('base64url');

const busy = (cartId: string) =>
  new CartException(CartErrorCode.CartBusy, `Cart ${cartId} kept changing; try again`);

/**
 * The cart: finds the caller's cart, applies a change with the rules of `cart.rules.ts`, saves
 * it by compare-and-set (re-reading and re-applying on a conflict), and answers it priced by
 * catalog now.
 */
@Injectable()
export class CartService {
  private readonly logger = new Logger(CartService.name);
  private readonly limits: CartLimits;

  constructor(
    private readonly store: CartStore,
    private readonly facts: CartFacts,
    private readonly bus: MessageBus,
    @InjectConfig() config: object,
  ) {
    this.limits = cartLimits(config);
  }

  get(caller: CartCaller, region: Region): Promise<CartView> {
    return this.change(caller, region, (cart) => ({ cart }));
  }

  async addItem(
    caller: CartCaller,
    region: Region,
    sku: string,
    quantity: number,
  ): Promise<CartView> {
    const priced = await this.facts.quote({ lines: [{ sku, quantity }], coupons: [] }, region);
    const line = priced.lines[0];
    if (!line) {
      throw new CartException(CartErrorCode.SkuNotSold, `${sku} is not sold in region ${region}`);
    }
    // The quote spells the SKU as catalog does, which inventory and the cart's line then use.
    const available = (await this.facts.availability([line.sku], region))(line.sku);
    const facts = {
      sku: line.sku,
      productId: line.productId,
      listPrice: line.listPrice,
      available,
    };
    return this.change(caller, region, (cart) => {
      const result = addUnits(cart, facts, quantity, this.limits, new Date());
      return { cart: result.cart, added: [result.added] };
    });
  }

  setItemQuantity(
    caller: CartCaller,
    region: Region,
    sku: string,
    quantity: number,
  ): Promise<CartView> {
    return this.change(caller, region, async (cart) => {
      const line = findLine(cart, sku);
      // Stock matters only for an increase: lowering a quantity never asks inventory.
      const available =
        line && quantity > line.quantity
          ? (await this.facts.availability([line.sku], region))(line.sku)
          : undefined;
      const result = setQuantity(cart, sku, quantity, available, this.limits);
      return { cart: result.cart, added: result.added ? [result.added] : [] };
    });
  }

  removeItem(caller: CartCaller, region: Region, sku: string): Promise<CartView> {
    return this.change(caller, region, (cart) =>
      findLine(cart, sku) ? { cart: removeLine(cart, sku) } : { cart },
    );
  }

  applyCoupon(caller: CartCaller, region: Region, code: string): Promise<CartView> {
    return this.change(caller, region, async (cart) => {
      const next = withCoupon(cart, code);
      if (next.coupons.length > MAX_COUPONS) {
        throw new CartException(
          CartErrorCode.CouponInvalid,
          `A cart holds at most ${MAX_COUPONS} coupons`,
          { code: couponCode(code), reason: 'not_applicable' },
        );
      }
      const quote = await this.facts.quote(next, region, caller.customerId);
      const wanted = couponCode(code);
      const status = quote.coupons.find((c) => c.code === wanted)?.status ?? 'unknown';
      if (status !== 'applied') {
        throw new CartException(CartErrorCode.CouponInvalid, `Coupon ${wanted} is ${status}`, {
          code: wanted,
          reason: status,
        });
      }
      return { cart: next };
    });
  }

  removeCoupon(caller: CartCaller, region: Region, code: string): Promise<CartView> {
    return this.change(caller, region, (cart) => {
      const next = withoutCoupon(cart, code);
      return next.coupons.length === cart.coupons.length ? { cart } : { cart: next };
    });
  }

  /** At login: the same merge a customer's call with a guest cart id does. */
  merge(customerId: string, guestCartId: string, region: Region): Promise<CartView> {
    return this.get({ customerId, cartId: guestCartId }, region);
  }

  async clearOrdered(
    request: RequestOf<typeof ClearOrderedItems>,
  ): Promise<ResponseOf<typeof ClearOrderedItems>> {
    for (let attempt = 1; attempt <= SAVE_ATTEMPTS; attempt++) {
      const cart = await this.store.findByCustomer(request.customerId);
      if (!cart) return { status: 'no_cart' };
      const result = clearOrdered(cart, request.orderId, request.items, request.coupons);
      if (result.status === 'already_cleared') return result;
      const saved = await this.store.save(result.cart);
      if (saved.outcome === 'saved') return { status: 'cleared' };
      if (saved.outcome === 'not-found') return { status: 'no_cart' };
    }
    throw busy(`of customer ${request.customerId}`);
  }

  /**
   * Reads the caller's cart, moves it to `region` if it is elsewhere, applies `apply` and saves
   * when anything changed; a conflict starts over from a fresh read. Then announces the added
   * units and answers the cart priced.
   */
  private async change(
    caller: CartCaller,
    region: Region,
    apply: (cart: Cart) => Change | Promise<Change>,
  ): Promise<CartView> {
    let who = caller;
    for (let attempt = 1; attempt <= SAVE_ATTEMPTS; attempt++) {
      const read = await this.cartOf(who, region);
      // A retry must find the same cart: a new guest's cart now has an id, a merge is done.
      who = read.owner.kind === 'guest' ? { cartId: read.cartId } : { customerId: who.customerId };
      const { cart: next, added = [] } = await apply(await this.inRegion(read, region));
      let cart = read;
      if (next !== read) {
        const saved = await this.store.save(next);
        if (saved.outcome === 'conflict') continue;
        if (saved.outcome === 'not-found') {
          if (read.owner.kind === 'guest') throw notFound();
          continue;
        }
        cart = saved.cart;
      }
      await this.announce(cart, added);
      return cartView(cart, await this.facts.quote(cart, region, caller.customerId));
    }
    throw busy(caller.cartId ?? caller.customerId ?? 'new');
  }

  /**
   * The caller's cart: a customer's own (created on first use; a guest cart id they send is
   * merged into it first, another customer's is ignored), a guest's by id, or a new guest cart.
   */
  private async cartOf(caller: CartCaller, region: Region): Promise<Cart> {
    if (caller.customerId !== undefined) {
      if (caller.cartId !== undefined) {
        const sent = await this.store.get(caller.cartId);
        if (sent?.owner.kind === 'guest') await this.mergeInto(caller.customerId, sent, region);
      }
      return this.customerCart(caller.customerId, region);
    }
    if (caller.cartId !== undefined) {
      const cart = await this.store.get(caller.cartId);
      if (!cart || cart.owner.kind !== 'guest') throw notFound();
      return cart;
    }
    for (let attempt = 1; attempt <= SAVE_ATTEMPTS; attempt++) {
      const created = await this.store.create({
        cartId: newCartId(),
        owner: { kind: 'guest' },
        region,
      });
      if (created.outcome === 'created') return created.cart;
    }
    throw busy('new');
  }

  private async customerCart(customerId: string, region: Region): Promise<Cart> {
    for (let attempt = 1; attempt <= SAVE_ATTEMPTS; attempt++) {
      const found = await this.store.findByCustomer(customerId);
      if (found) return found;
      const created = await this.store.create({
        cartId: newCartId(),
        owner: { kind: 'customer', customerId },
        region,
      });
      if (created.outcome === 'created') return created.cart;
      // Another call created it meanwhile: read it again.
    }
    throw busy(`of customer ${customerId}`);
  }

  /**
   * Adds a guest cart into the customer's, then deletes it. The guest cart id is recorded in the
   * same save, so a merge repeated after dying before the delete adds nothing twice.
   */
  private async mergeInto(customerId: string, guest: Cart, region: Region): Promise<void> {
    let merged = false;
    for (let attempt = 1; attempt <= SAVE_ATTEMPTS && !merged; attempt++) {
      const target = await this.inRegion(await this.customerCart(customerId, region), region);
      if (alreadyMerged(target, guest.cartId)) {
        merged = true;
        break;
      }
      const skus = guest.lines.map((line) => line.sku);
      const available = skus.length ? await this.facts.availability(skus, region) : () => 0;
      const quote = await this.facts.quote({ lines: guest.lines, coupons: [] }, region);
      const candidates = guest.lines.map((line) => ({
        line,
        available: available(line.sku),
        listPrice: quote.lines.find((q) => sameSku(q.sku, line.sku))?.listPrice,
      }));
      const result = mergeLines(target, guest.cartId, candidates, this.limits);
      const cart = await this.withGuestCoupons(result.cart, guest.coupons, region, customerId);
      const saved = await this.store.save(cart);
      if (saved.outcome !== 'saved') continue;
      merged = true;
      await this.announce(saved.cart, result.added);
    }
    // Deleted only once merged: a cart kept busy keeps its guest cart for the next attempt.
    if (!merged) throw busy(guest.cartId);
    await this.store.delete(guest.cartId);
  }

  /** The guest's coupons that still apply to the merged cart, added to it. */
  private async withGuestCoupons(
    cart: Cart,
    codes: readonly string[],
    region: Region,
    customerId: string,
  ): Promise<Cart> {
    const fresh = codes
      .filter((code) => !cart.coupons.includes(code))
      .slice(0, Math.max(0, MAX_COUPONS - cart.coupons.length));
    if (fresh.length === 0) return cart;
    const quote = await this.facts.quote(
      { lines: cart.lines, coupons: [...cart.coupons, ...fresh] },
      region,
      customerId,
    );
    const kept = fresh.filter(
      (code) => quote.coupons.find((c) => c.code === code)?.status === 'applied',
    );
    return { ...cart, coupons: [...cart.coupons, ...kept] };
  }

  /** The cart as in `region`: moved there, each line's price-when-added in the new currency. */
  private async inRegion(cart: Cart, region: Region): Promise<Cart> {
    if (cart.region === region) return cart;
    if (cart.lines.length === 0) return { ...cart, region };
    const quote = await this.facts.quote({ lines: cart.lines, coupons: [] }, region);
    return moveToRegion(
      cart,
      region,
      (sku) => quote.lines.find((q) => sameSku(q.sku, sku))?.listPrice,
    );
  }

  /** Publishes `CartItemAdded` per addition; the cart is saved already, so a failure is logged. */
  private async announce(cart: Cart, added: readonly AddedUnits[]): Promise<void> {
    const customerId = cart.owner.kind === 'customer' ? cart.owner.customerId : undefined;
    for (const units of added) {
      try {
        await this.bus.publish(
          CartItemAdded,
          {
            eventId: randomUUID(),
            cartId: cart.cartId,
            ...(customerId ? { customerId } : {}),
            sku: units.sku,
            productId: units.productId,
            quantity: units.quantity,
            region: cart.region as Region,
            unitPrice: units.unitPrice,
            occurredAt: new Date().toISOString(),
          },
          { key: customerId ?? cart.cartId },
        );
      } catch (error) {
        this.logger.warn(
          `CartItemAdded for ${units.sku} in cart ${cart.cartId} not published: ${(error as Error).message}`,
        );
      }
    }
  }
}
