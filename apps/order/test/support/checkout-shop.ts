import {
  ClearOrderedItems,
  CommitReservation,
  GetAvailability,
  GetCart,
  RedeemCoupon,
  ReleaseCoupon,
  ReleaseReservation,
  REGION_WAREHOUSES,
  ReserveStock,
  RestockStock,
  ReturnStock,
  WAREHOUSES,
  type CartView,
  type CouponRedemption,
  type RequestContract,
  type RequestOf,
  type ResponseOf,
  type WarehouseId,
} from '@mercato/contracts';
import type { MessageBus } from '@mercato/messaging';

/*
 * The services checkout talks to, as small in-memory fakes answering on a bus (in test/support,
 * so never built): the cart app's GetCart and ClearOrderedItems, inventory's availability and
 * reservations over a stock that enforces it per warehouse (a hold is never split), its restocks
 * and returned units (resellable back on sale, damaged written off), catalog's coupon redemptions
 * and releases. Every request is recorded,
 * and `failNext` makes a contract's next call throw once (a crash of that step).
 */

export interface ShopLine {
  sku: string;
  quantity: number;
  /** Unit price in cents (USD). */
  unitPrice: number;
  discount?: number;
}

interface Hold {
  sku: string;
  warehouseId: WarehouseId;
  quantity: number;
  state: 'held' | 'committed' | 'released';
  ttlSeconds?: number;
}

const usd = (amount: number) => ({ amount, currency: 'USD' as const });

export class CheckoutShop {
  /** Every request handled, in order: `[type, payload]`. */
  readonly calls: { type: string; payload: Record<string, unknown> }[] = [];
  readonly carts = new Map<string, CartView>();
  /** Units available to reserve, per SKU and warehouse. */
  readonly available = new Map<string, Map<WarehouseId, number>>();
  readonly holds = new Map<string, Hold>();
  /** What RedeemCoupon answers per code (default `redeemed`). */
  readonly couponAnswers = new Map<string, CouponRedemption>();
  /** Coupon uses by `code|orderId`. */
  readonly redemptions = new Set<string>();
  readonly clearedOrders = new Set<string>();
  /** Damaged returned units written off, per SKU and warehouse. */
  readonly writtenOff = new Map<string, Map<WarehouseId, number>>();
  /** Stock operations applied (as inventory, a repeated `operationId` changes nothing). */
  private readonly operations = new Set<string>();
  private readonly failing = new Set<string>();

  /** Registers the answers; call before the bus starts. */
  register(bus: MessageBus): void {
    this.answer(bus, GetCart, async ({ caller }) => {
      const cart = this.carts.get(caller.customerId ?? '');
      if (!cart) throw Object.assign(new Error('no cart'), { status: 404, code: 'CART_NOT_FOUND' });
      return cart;
    });
    this.answer(bus, GetAvailability, async ({ skus, region }) => ({
      items: skus.map((sku) => {
        const warehouses = REGION_WAREHOUSES[region].map((warehouseId) => ({
          warehouseId,
          available: this.availableIn(sku, warehouseId),
        }));
        return { sku, available: this.availableOf(sku), warehouses };
      }),
    }));
    this.answer(bus, ReserveStock, async (request) => {
      const { reservationId, sku, quantity, ttlSeconds } = request;
      const tried = request.warehouseIds ?? REGION_WAREHOUSES[request.region];
      const stock = this.stockOf(sku);
      let hold = this.holds.get(reservationId);
      if (!hold) {
        const warehouseId = tried.find((w) => this.availableIn(sku, w) >= quantity);
        if (!warehouseId) {
          const available = Math.max(...tried.map((w) => this.availableIn(sku, w)));
          return { status: 'insufficient' as const, sku, available, stock };
        }
        this.put(sku, warehouseId, -quantity);
        hold = { sku, warehouseId, quantity, state: 'held', ttlSeconds };
        this.holds.set(reservationId, hold);
      }
      return {
        status: 'reserved' as const,
        reservationId,
        sku,
        warehouseId: hold.warehouseId,
        quantity,
        expiresAt: new Date(Date.now() + 900_000).toISOString(),
        stock: this.stockOf(sku),
      };
    });
    this.answer(bus, CommitReservation, async ({ reservationId, sku }) => {
      const hold = this.holds.get(reservationId);
      if (!hold || hold.state === 'released') {
        throw Object.assign(new Error('no hold'), { status: 404, code: 'RESERVATION_NOT_FOUND' });
      }
      hold.state = 'committed';
      return { status: 'committed' as const, reservationId, sku, stock: this.stockOf(sku) };
    });
    this.answer(bus, ReleaseReservation, async ({ reservationId, sku }) => {
      const hold = this.holds.get(reservationId);
      // As inventory answers: a reservation it never made is not found.
      if (!hold) throw notFound(`no reservation ${reservationId} of ${sku}`);
      if (hold?.state === 'held') {
        hold.state = 'released';
        this.put(sku, hold.warehouseId, hold.quantity);
      }
      return { status: 'released' as const, reservationId, sku, stock: this.stockOf(sku) };
    });
    this.answer(bus, RestockStock, async ({ operationId, sku, warehouseId, quantity }) => {
      if (this.once(operationId)) this.put(sku, warehouseId, quantity);
      return { operationId, stock: this.stockOf(sku) };
    });
    this.answer(bus, ReturnStock, async (request) => {
      const { operationId, sku, warehouseId, quantity, condition } = request;
      if (this.once(operationId)) {
        if (condition === 'resellable') this.put(sku, warehouseId, quantity);
        else this.writeOff(sku, warehouseId, quantity);
      }
      return { operationId, stock: this.stockOf(sku) };
    });
    this.answer(bus, RedeemCoupon, async ({ code, orderId }) => {
      const status = this.couponAnswers.get(code) ?? 'redeemed';
      if (status === 'redeemed') this.redemptions.add(`${code}|${orderId}`);
      return { status };
    });
    this.answer(bus, ReleaseCoupon, async ({ code, orderId }) => {
      const had = this.redemptions.delete(`${code}|${orderId}`);
      return { status: had ? ('released' as const) : ('not_redeemed' as const) };
    });
    this.answer(bus, ClearOrderedItems, async ({ orderId }) => {
      const first = !this.clearedOrders.has(orderId);
      this.clearedOrders.add(orderId);
      return { status: first ? ('cleared' as const) : ('already_cleared' as const) };
    });
  }

  /** Gives `customerId` a priced us cart of `lines` with `coupons` applied. */
  cart(customerId: string, lines: ShopLine[], coupons: string[] = []): void {
    const items = lines.map((line) => {
      const discount = line.discount ?? 0;
      return {
        sku: line.sku,
        productId: `product-${line.sku}`,
        variantId: `variant-${line.sku}`,
        title: `Product ${line.sku}`,
        attributes: {},
        imageUrl: null,
        quantity: line.quantity,
        unitPrice: usd(line.unitPrice),
        lineTotal: usd(line.quantity * line.unitPrice - discount),
        discount: usd(discount),
        discounts: [],
        priceChanged: false,
        unitPriceWhenAdded: usd(line.unitPrice),
      };
    });
    const subtotal = lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
    const discount = lines.reduce((sum, line) => sum + (line.discount ?? 0), 0);
    this.carts.set(customerId, {
      cartId: `cart-${customerId}`.replace(/[^A-Za-z0-9_-]/g, '-').padEnd(8, '0'),
      region: 'us',
      currency: 'USD',
      items,
      unavailableItems: [],
      coupons: coupons.map((code) => ({ code, status: 'applied', promotionId: `promo-${code}` })),
      subtotal: usd(subtotal),
      discount: usd(discount),
      total: usd(subtotal - discount),
      itemCount: lines.reduce((sum, line) => sum + line.quantity, 0),
      version: 1,
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
  }

  /** Stocks `sku` with `units` in us-east only. */
  stock(sku: string, units: number): void {
    this.stockIn(sku, { 'us-east': units });
  }

  /** Stocks `sku` with the given units per warehouse (the others have none). */
  stockIn(sku: string, units: Partial<Record<WarehouseId, number>>): void {
    this.available.set(sku, new Map(Object.entries(units) as [WarehouseId, number][]));
  }

  /** Units of `sku` available in every warehouse together. */
  availableOf(sku: string): number {
    return WAREHOUSES.reduce((sum, w) => sum + this.availableIn(sku, w), 0);
  }

  /** The warehouse each of an order's holds is in, by SKU. */
  warehousesOf(orderId: string): Record<string, WarehouseId> {
    return Object.fromEntries(
      [...this.holds.entries()]
        .filter(([id]) => id.startsWith(`${orderId}:`))
        .map(([, hold]) => [hold.sku, hold.warehouseId]),
    );
  }

  /** The next request of `contract` fails (once), as if its step crashed. */
  failNext(contract: RequestContract): void {
    this.failing.add(contract.type);
  }

  callsOf(contract: RequestContract): Record<string, unknown>[] {
    return this.calls.filter((call) => call.type === contract.type).map((call) => call.payload);
  }

  /** Units held (not committed, not released) for an order. */
  heldFor(orderId: string): string[] {
    return [...this.holds.entries()]
      .filter(([id, hold]) => id.startsWith(`${orderId}:`) && hold.state === 'held')
      .map(([id]) => id);
  }

  /** Damaged units of `sku` written off in `warehouseId`. */
  writtenOffIn(sku: string, warehouseId: WarehouseId): number {
    return this.writtenOff.get(sku)?.get(warehouseId) ?? 0;
  }

  private once(operationId: string): boolean {
    if (this.operations.has(operationId)) return false;
    this.operations.add(operationId);
    return true;
  }

  private writeOff(sku: string, warehouseId: WarehouseId, units: number): void {
    const counts = this.writtenOff.get(sku) ?? new Map<WarehouseId, number>();
    counts.set(warehouseId, this.writtenOffIn(sku, warehouseId) + units);
    this.writtenOff.set(sku, counts);
  }

  private availableIn(sku: string, warehouseId: WarehouseId): number {
    return this.available.get(sku)?.get(warehouseId) ?? 0;
  }

  private put(sku: string, warehouseId: WarehouseId, units: number): void {
    const stock = this.available.get(sku) ?? new Map<WarehouseId, number>();
    stock.set(warehouseId, this.availableIn(sku, warehouseId) + units);
    this.available.set(sku, stock);
  }

  private stockOf(sku: string) {
    return {
      sku,
      version: 1,
      warehouses: WAREHOUSES.map((warehouseId) => {
        const available = this.availableIn(sku, warehouseId);
        const reserved = [...this.holds.values()]
          .filter((h) => h.sku === sku && h.warehouseId === warehouseId && h.state === 'held')
          .reduce((sum, h) => sum + h.quantity, 0);
        const writtenOff = this.writtenOffIn(sku, warehouseId);
        return { warehouseId, onHand: available + reserved, reserved, available, writtenOff };
      }),
    };
  }

  private answer<C extends RequestContract>(
    bus: MessageBus,
    contract: C,
    handler: (payload: RequestOf<C>) => Promise<ResponseOf<C>>,
  ): void {
    bus.answer(contract, async (payload) => {
      this.calls.push({ type: contract.type, payload: payload as Record<string, unknown> });
      if (this.failing.delete(contract.type)) throw new Error(`${contract.type} crashed`);
      return handler(payload);
    });
  }
}

/** Inventory's refusal of a reservation it does not know, as it crosses the bus. */
function notFound(message: string): Error {
  return Object.assign(new Error(message), { status: 404, code: 'RESERVATION_NOT_FOUND' });
}
