import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectConfig } from '@mercato/config';
import {
  GetAvailability,
  GetCart,
  RedeemCoupon,
  ReserveStock,
  type CartView,
  type OrderView,
  type PlaceOrder,
  type RequestOf,
} from '@mercato/contracts';
import { MessageBus, RemoteError } from '@mercato/messaging';
import { FraudScreening } from '../fraud/fraud-screening.service';
import { warehousesNearest } from '../fulfillment/nearest-warehouses';
import { planShipments, type ShipmentPlan } from '../fulfillment/shipment-plan';
import { IdempotencyStore, type IdempotencyToken } from '../idempotency/idempotency.store';
import { requestHashOf } from '../idempotency/request-hash';
import { OrderRecorder } from '../orders/order-recorder';
import { OrdersRepository } from '../orders/orders.repository';
import type { OrderState } from '../orders/order-state';
import type { OrderLine, OrderReservation } from '../orders/order.events';
import { PaymentProvider } from '../payments/payment-provider';
import { addressProblems } from './address.rules';
import { CheckoutSteps, needsPayment, reservationIdOf, type StepDraft } from './checkout-steps';
import { CheckoutClock } from './checkout.clock';
import {
  REVIEW_RESERVATION_TTL_SECONDS,
  checkoutSettings,
  type CheckoutSettings,
} from './checkout.config';
import { CheckoutErrorCode, CheckoutException, refusalBody, refusalOf } from './checkout.exception';
import { CheckoutsRepository, checkoutIdOf } from './checkouts.repository';
import { orderViewOf } from '../order-queries/order-views';
import { compensationsOf } from './recovery.rules';
import { customerHistoryOf, HISTORY_ORDERS } from './customer-history';

export type PlaceOrderRequest = RequestOf<typeof PlaceOrder>;

/** One saga run: its open-checkout item and the lease this run holds on it. */
interface Run {
  checkoutId: string;
  owner: string;
  request: PlaceOrderRequest;
  /** Until when this run holds the saga (as last written). */
  leaseUntil: number;
}

/**
 * Checkout: places an order from the customer's priced cart as a saga (docs/checkout.md).
 * Every step's remote call is idempotent and every step is recorded on the order before the
 * next, so a crash anywhere leaves a history the recovery job (`CheckoutRecovery`) finishes or
 * undoes. The Idempotency-Key makes the whole request once-only: a retry answers the first
 * outcome, refusals included.
 */
@Injectable()
export class CheckoutService {
  private readonly logger = new Logger(CheckoutService.name);
  private readonly settings: CheckoutSettings;

  constructor(
    private readonly idempotency: IdempotencyStore,
    private readonly checkouts: CheckoutsRepository,
    private readonly recorder: OrderRecorder,
    private readonly steps: CheckoutSteps,
    private readonly fraud: FraudScreening,
    private readonly payments: PaymentProvider,
    private readonly bus: MessageBus,
    private readonly clock: CheckoutClock,
    private readonly orders: OrdersRepository,
    @InjectConfig() config: object,
  ) {
    this.settings = checkoutSettings(config);
  }

  async place(request: PlaceOrderRequest): Promise<OrderView> {
    const claimed = await this.claim(request);
    if ('replay' in claimed) return claimed.replay;
    const { token } = claimed;
    const checkoutId = checkoutIdOf(request.customerId, request.idempotencyKey);
    // A saga of this key is still open (its request died, or outlived the key's lease): that
    // saga answers the key, so this request adopts the key's claim for it and waits.
    const existing = await this.checkouts.get(checkoutId);
    // The key's saga ended while this request took the key over: its answer is the key's.
    if (existing?.outcome) return this.answerClosed(token, existing.outcome);
    if (existing) return this.waitForOpenSaga(checkoutId, token);
    let cart: CartView;
    try {
      cart = await this.readCart(request);
    } catch (error) {
      if (error instanceof CheckoutException) {
        await this.idempotency.complete(token, { status: error.status, body: refusalBody(error) });
      } else {
        await this.idempotency.abandon(token);
      }
      throw error;
    }
    const run: Run = {
      checkoutId,
      owner: randomUUID(),
      request,
      leaseUntil: this.clock.now() + this.settings.ORDER_CHECKOUT_LEASE_MS,
    };
    const orderId = `ord_${randomUUID().replaceAll('-', '')}`;
    const opened = await this.checkouts.open({
      checkoutId,
      orderId,
      customerId: request.customerId,
      idempotencyKey: request.idempotencyKey,
      claimId: token.claimId,
      paymentToken: request.paymentToken,
      openedAt: this.clock.iso(),
      leaseUntil: run.leaseUntil,
      owner: run.owner,
    });
    if (!opened) return this.waitForOpenSaga(checkoutId, token);
    try {
      const order = await this.run(run, orderId, cart);
      const view = orderViewOf(order);
      await this.settle(run, token, { status: 201, body: view });
      return view;
    } catch (error) {
      if (error instanceof CheckoutException) {
        await this.settle(run, token, { status: error.status, body: refusalBody(error) });
      } else {
        // Left for recovery, at once: it finishes or undoes what this run started.
        this.logger.warn(`checkout ${orderId} stopped: ${(error as Error).message}`);
        await this.checkouts.release(checkoutId, run.owner, this.clock.now()).catch(() => false);
      }
      throw error;
    }
  }

  /** Claims the key, or answers the key's first outcome (or refuses) without running. */
  private async claim(
    request: PlaceOrderRequest,
  ): Promise<{ token: IdempotencyToken } | { replay: OrderView }> {
    // The origin (IP, device) may change between a request and its retry: not part of "same".
    // `customerSince` is the gateway's fact about the account, not part of the client's body.
    const { origin: _origin, customerSince: _since, ...body } = request;
    const begun = await this.idempotency.begin(
      request.customerId,
      request.idempotencyKey,
      requestHashOf(body),
    );
    switch (begun.kind) {
      case 'started':
        return { token: begun.token };
      case 'replay': {
        const refusal = refusalOf(begun.response.body);
        if (refusal) throw refusal;
        // A success: the view as first answered (not the order now).
        return { replay: begun.response.body as OrderView };
      }
      case 'in_progress':
        throw inProgress();
      case 'mismatch':
        throw new CheckoutException(
          CheckoutErrorCode.IdempotencyKeyReused,
          'This Idempotency-Key was used with another request; use a new key for a new order',
        );
    }
  }

  /** Stores a closed saga's answer under this request's claim and answers it. */
  private async answerClosed(
    token: IdempotencyToken,
    outcome: { status: number; body: unknown },
  ): Promise<OrderView> {
    await this.idempotency.complete(token, outcome);
    const refusal = refusalOf(outcome.body);
    if (refusal) throw refusal;
    return outcome.body as OrderView;
  }

  private async waitForOpenSaga(checkoutId: string, token: IdempotencyToken): Promise<never> {
    await this.checkouts.adoptClaim(checkoutId, token.claimId);
    throw inProgress();
  }

  /** The address rules and the cart's checks: refusals before anything is held. */
  private async readCart(request: PlaceOrderRequest): Promise<CartView> {
    const problems = addressProblems(request.shippingAddress, request.region);
    if (problems.length > 0) {
      throw new CheckoutException(
        CheckoutErrorCode.InvalidAddress,
        'The shipping address cannot be used',
        { errors: problems },
      );
    }
    const cart = await this.bus
      .request(
        GetCart,
        { caller: { customerId: request.customerId }, region: request.region },
        { key: request.customerId },
      )
      // A customer who never had a cart has an empty one.
      .catch((error: unknown) => {
        if (error instanceof RemoteError && error.code === 'CART_NOT_FOUND') return undefined;
        throw error;
      });
    if (!cart || cart.items.length === 0) {
      throw new CheckoutException(CheckoutErrorCode.CartEmpty, 'The cart is empty');
    }
    if (cart.unavailableItems.length > 0) {
      throw new CheckoutException(
        CheckoutErrorCode.CartUnavailableItems,
        'Some items in the cart cannot be bought now; remove them first',
        { details: { items: cart.unavailableItems } },
      );
    }
    const coupon = cart.coupons.find((c) => c.status !== 'applied');
    if (coupon) {
      throw new CheckoutException(
        CheckoutErrorCode.CouponInvalid,
        `Coupon ${coupon.code} cannot be used (${coupon.status}); remove it first`,
        { details: { code: coupon.code, reason: coupon.status } },
      );
    }
    return cart;
  }

  /**
   * The saga from `placed` on; answers the order confirmed or on hold, or throws a refusal.
   * Steps with no remote call between them are recorded in one append (placed with its fraud
   * decision; the authorisation with the confirmation; the stock commit with the cleared cart):
   * measured on the stack, each append costs five DynamoDB calls and a publish, and the saga
   * made seven of them.
   */
  private async run(run: Run, orderId: string, cart: CartView): Promise<OrderState> {
    const { request } = run;
    const total = cart.total;
    // Screened before the order is recorded, so the decision goes into the same append; a
    // saga that dies in between leaves a decision of an order that never was, nothing else.
    const { orders: past } = await this.orders.listForCustomer(request.customerId, {
      limit: HISTORY_ORDERS,
    });
    const decision = await this.fraud.screen({
      orderId,
      customer: {
        id: request.customerId,
        // Without the gateway's date the account counts as established (docs/checkout.md).
        createdAt: new Date(request.customerSince ?? 0),
        ...customerHistoryOf(past, total.currency),
      },
      order: { amount: total.amount, currency: total.currency, region: cart.region },
      shippingCountry: request.shippingAddress.country,
      ...(request.billingCountry === undefined ? {} : { billingCountry: request.billingCountry }),
      ...(request.origin.deviceId === undefined ? {} : { deviceId: request.origin.deviceId }),
      // Without an IP, the customer stands in, so one unknown IP is not shared by everyone.
      ip: request.origin.ip ?? `unknown:${request.customerId}`,
      at: new Date(this.clock.now()),
    });
    const assessed: StepDraft = {
      type: 'fraud_assessed',
      data: {
        outcome: decision.decision,
        score: decision.score,
        reasons: decision.reasons.map((reason) => reason.detail),
      },
    };
    if (decision.decision === 'deny') {
      await this.placed(run, orderId, cart, [
        assessed,
        { type: 'failed', reason: 'fraud', data: { reason: 'fraud' } },
      ]);
      throw new CheckoutException(CheckoutErrorCode.FraudRejected, 'The order cannot be placed');
    }
    let order = await this.placed(run, orderId, cart, [assessed]);
    const review = decision.decision === 'review';

    await this.hold(run);
    order = await this.reserve(order, review);

    await this.hold(run);
    order = await this.redeemCoupons(order);

    await this.hold(run);
    // Held orders keep their stock holds (a day) until the admin decides.
    order = await this.authorize(
      order,
      request.paymentToken,
      review
        ? { type: 'put_on_hold', reason: 'fraud_review', data: { reason: 'fraud_review' } }
        : { type: 'confirmed', data: {} },
    );

    await this.hold(run);
    if (review) {
      await this.steps.clearCart(order);
      return this.steps.record(order, [{ type: 'cart_cleared', data: {} }]);
    }
    const [reservationIds] = await Promise.all([
      this.steps.commitStock(order),
      this.steps.clearCart(order),
    ]);
    return this.steps.record(order, [
      { type: 'stock_committed', data: { reservationIds } },
      { type: 'cart_cleared', data: {} },
    ]);
  }

  private placed(
    run: Run,
    orderId: string,
    cart: CartView,
    then: readonly StepDraft[],
  ): Promise<OrderState> {
    const { request } = run;
    const money = (amount: number) => ({ amount, currency: cart.currency });
    const lines: OrderLine[] = cart.items.map((item) => ({
      sku: item.sku,
      productId: item.productId,
      ...(item.sellerId === undefined ? {} : { sellerId: item.sellerId }),
      title: item.title,
      quantity: item.quantity,
      unitPrice: item.unitPrice,
      discount: item.discount,
      lineTotal: item.lineTotal,
    }));
    return this.recorder.record(orderId, 0, [
      {
        type: 'placed',
        occurredAt: this.clock.iso(),
        actor: { kind: 'customer', id: request.customerId },
        data: {
          customerId: request.customerId,
          region: cart.region,
          currency: cart.currency,
          lines,
          // No shipping costs or tax yet (docs/checkout.md): the total is the cart's.
          totals: {
            subtotal: cart.subtotal,
            discount: cart.discount,
            shipping: money(0),
            tax: money(0),
            total: cart.total,
          },
          shippingAddress: request.shippingAddress,
          coupons: cart.coupons.map((coupon) => coupon.code),
          idempotencyKey: request.idempotencyKey,
        },
      },
      ...then.map((draft) => this.steps.stamp(draft)),
    ]);
  }

  /**
   * Holds every line at once, each in the warehouse the shipment plan gives it; any line short
   * undoes them all and refuses (409).
   */
  private async reserve(order: OrderState, review: boolean): Promise<OrderState> {
    const ttlSeconds = review
      ? REVIEW_RESERVATION_TTL_SECONDS
      : this.settings.ORDER_RESERVATION_TTL_SECONDS;
    const plan = await this.planShipments(order);
    const replies = await Promise.allSettled(
      order.lines.map((line) =>
        this.bus.request(
          ReserveStock,
          {
            reservationId: reservationIdOf(order.orderId, line.sku),
            sku: line.sku,
            quantity: line.quantity,
            region: order.region,
            ttlSeconds,
            warehouseIds: plan.get(line.sku),
          },
          // Keyed by reservation id (the contract's advice): its release follows it in order.
          { key: reservationIdOf(order.orderId, line.sku) },
        ),
      ),
    );
    const reservations: OrderReservation[] = [];
    const short: { sku: string; requested: number; available: number }[] = [];
    let failure: unknown;
    replies.forEach((reply, i) => {
      const line = order.lines[i];
      if (reply.status === 'rejected') failure ??= reply.reason;
      else if (reply.value.status === 'reserved') {
        const { reservationId, sku, quantity, warehouseId } = reply.value;
        reservations.push({ reservationId, sku, quantity, warehouseId });
      } else {
        short.push({ sku: line.sku, requested: line.quantity, available: reply.value.available });
      }
    });
    let after = order;
    if (reservations.length > 0) {
      after = await this.steps.record(after, [{ type: 'stock_reserved', data: { reservations } }]);
    }
    // A call that failed may still have reserved: recovery releases every line's id.
    if (failure !== undefined) throw failure;
    if (short.length > 0) {
      await this.fail(after, 'out_of_stock');
      throw new CheckoutException(
        CheckoutErrorCode.OutOfStock,
        `Not enough stock of ${short.map((item) => item.sku).join(', ')}`,
        { details: { items: short } },
      );
    }
    return after;
  }

  /**
   * The warehouses each line's reservation tries, so that the order ships from as few places as
   * it can, nearest the address first (docs/checkout.md, "Which warehouses hold the stock"). The plan only orders
   * the tries: without stock figures every line tries the nearest first, as reservations always
   * did, so a failed availability read costs a split shipment at worst, never the checkout.
   */
  private async planShipments(order: OrderState): Promise<ShipmentPlan> {
    const nearest = warehousesNearest(order.shippingAddress, order.region);
    const stock = await this.bus
      .request(GetAvailability, { skus: order.lines.map((line) => line.sku), region: order.region })
      .then(
        (reply) => reply.items,
        (error: unknown) => {
          this.logger.warn(
            `availability of order ${order.orderId} unread, reserving nearest-first: ${(error as Error).message}`,
          );
          return [];
        },
      );
    return planShipments(order.lines, stock, nearest);
  }

  private async redeemCoupons(order: OrderState): Promise<OrderState> {
    if (order.coupons.length === 0) return order;
    const replies = await Promise.all(
      order.coupons.map((code) =>
        this.bus.request(
          RedeemCoupon,
          { code, customerId: order.customerId, orderId: order.orderId },
          { key: code },
        ),
      ),
    );
    const redeemed = order.coupons.filter((_, i) => replies[i].status === 'redeemed');
    let after = order;
    if (redeemed.length > 0) {
      after = await this.steps.record(after, [
        { type: 'coupons_redeemed', data: { codes: redeemed } },
      ]);
    }
    const refused = replies.findIndex((reply) => reply.status !== 'redeemed');
    if (refused >= 0) {
      const code = order.coupons[refused];
      const reason = replies[refused].status;
      await this.fail(after, 'coupon_invalid');
      throw new CheckoutException(
        CheckoutErrorCode.CouponInvalid,
        `Coupon ${code} cannot be used (${reason})`,
        { details: { code, reason } },
      );
    }
    return after;
  }

  /** Authorises the total and records it with `then` (the confirmation or the hold). */
  private async authorize(order: OrderState, token: string, then: StepDraft): Promise<OrderState> {
    // Nothing to charge (a 100 % coupon): no authorisation, which the provider would refuse.
    if (!needsPayment(order)) return this.steps.record(order, [then]);
    const result = await this.payments.authorize({
      // The order id: a repeat of this step (or recovery) gets the same authorisation back.
      idempotencyKey: order.orderId,
      token,
      amount: order.totals.total,
      orderId: order.orderId,
      customerId: order.customerId,
    });
    if (result.outcome === 'declined') {
      // Declined: nothing is held on the card, so only stock and coupons are given back.
      await this.fail(order, 'payment_declined', { voidPayment: false });
      throw new CheckoutException(CheckoutErrorCode.PaymentDeclined, result.reason, {
        details: { reason: result.code },
      });
    }
    const { paymentId, amount, brand, last4, expiresAt } = result;
    return this.steps.record(order, [
      { type: 'payment_authorized', data: { paymentId, amount, brand, last4, expiresAt } },
      then,
    ]);
  }

  /** Undoes what the order holds and records `failed` with the compensations. */
  private fail(
    order: OrderState,
    reason: string,
    overrides: { voidPayment?: boolean } = {},
  ): Promise<OrderState> {
    return this.steps.undo(order, reason, { ...compensationsOf(order), ...overrides }, [
      { type: 'failed', reason, data: { reason } },
    ]);
  }

  /**
   * Extends this run's lease before a step once half of it is gone; a run whose saga was taken
   * over must stop. With more than half left nobody can have taken it (recovery takes only
   * expired leases), so the write is skipped: a checkout takes well under a second, the lease
   * 30 s.
   */
  private async hold(run: Run): Promise<void> {
    const now = this.clock.now();
    const lease = this.settings.ORDER_CHECKOUT_LEASE_MS;
    if (run.leaseUntil - now > lease / 2) return;
    const until = now + lease;
    if (!(await this.checkouts.renew(run.checkoutId, run.owner, until))) {
      throw new Error(`checkout ${run.checkoutId} was taken over by recovery`);
    }
    run.leaseUntil = until;
  }

  /**
   * Stores the outcome for the key and closes the saga. The key's claim is read from the open
   * checkout: a retry that took the key over meanwhile recorded its claim there.
   */
  private async settle(
    run: Run,
    token: IdempotencyToken,
    response: { status: number; body: unknown },
  ): Promise<void> {
    const open = await this.checkouts.get(run.checkoutId);
    const holder = open?.owner === run.owner ? { ...token, claimId: open.claimId } : token;
    await this.idempotency.complete(holder, response);
    await this.checkouts.finish(run.checkoutId, run.owner, response, this.clock.now());
  }
}

const inProgress = () =>
  new CheckoutException(
    CheckoutErrorCode.IdempotencyInProgress,
    'A request with this Idempotency-Key is still being processed; retry later with the same key',
  );
