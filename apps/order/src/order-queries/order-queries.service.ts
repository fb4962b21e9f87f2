import { Injectable } from '@nestjs/common';
import type {
  GetCustomerOrder,
  GetOrderForAdmin,
  GetOrderHistory,
  ListCustomerOrders,
  ListOrdersForAdmin,
  ListSellerOrders,
  RequestOf,
  ResponseOf,
} from '@mercato/contracts';
import { FraudDecisions } from '../fraud/fraud-decisions';
import { PaymentProvider } from '../payments/payment-provider';
import { OrderRecorder } from '../orders/order-recorder';
import { foldEvents, type OrderState } from '../orders/order-state';
import { wasPlaced } from '../orders/order-visibility';
import { ORDER_STATUSES, type OrderEvent, type OrderStatus } from '../orders/order.events';
import { OrderNotFound } from '../orders/orders.exception';
import { OrdersRepository, type OrderPage } from '../orders/orders.repository';
import { SellerOrdersRepository } from '../orders/seller-orders.repository';
import {
  adminOrderViewOf,
  historyEntryOf,
  orderSummaryViewOf,
  orderViewOf,
  sellerOrderViewOf,
  type AdminOrderView,
} from './order-views';

type Page = ResponseOf<typeof ListCustomerOrders>;

const EMPTY_PAGE: Page = { items: [], nextCursor: null };

/** True for a status an order can have today (the lifecycle's statuses come with issue 20). */
const isOrderStatus = (status: string): status is OrderStatus =>
  (ORDER_STATUSES as readonly string[]).includes(status);

const pageOf = ({ orders, nextCursor }: OrderPage): Page => ({
  items: orders.map(orderSummaryViewOf),
  nextCursor: nextCursor ?? null,
});

/**
 * The order reads: a customer's own orders (only those that were placed, and only theirs: any
 * other answers ORDER_NOT_FOUND, the same as an unknown id, so ids cannot be probed), every
 * order for admins, and the sellers' lines of the orders holding their products. Details and
 * trails are folded from the order's events; lists read the projections.
 */
@Injectable()
export class OrderQueriesService {
  constructor(
    private readonly recorder: OrderRecorder,
    private readonly orders: OrdersRepository,
    private readonly sellerOrders: SellerOrdersRepository,
    private readonly fraudDecisions: FraudDecisions,
    private readonly payments: PaymentProvider,
  ) {}

  async listCustomerOrders(
    request: RequestOf<typeof ListCustomerOrders>,
  ): Promise<ResponseOf<typeof ListCustomerOrders>> {
    const { customerId, status, limit, cursor } = request;
    if (status && !isOrderStatus(status)) return EMPTY_PAGE;
    return pageOf(await this.orders.listForCustomer(customerId, { status, limit, cursor }));
  }

  async getCustomerOrder(
    request: RequestOf<typeof GetCustomerOrder>,
  ): Promise<ResponseOf<typeof GetCustomerOrder>> {
    const state = this.customersOrder(
      request.customerId,
      request.orderId,
      await this.recorder.load(request.orderId),
    );
    return orderViewOf(state);
  }

  /** The trail oldest first: the customer's own (checked and trimmed), or any order's for admins. */
  async getOrderHistory(
    request: RequestOf<typeof GetOrderHistory>,
  ): Promise<ResponseOf<typeof GetOrderHistory>> {
    const { orderId, customerId } = request;
    const history = await this.recorder.history(orderId);
    if (customerId !== undefined) this.customersOrder(customerId, orderId, foldEvents(history));
    else if (history.length === 0) throw new OrderNotFound(orderId);
    const audience = customerId === undefined ? 'admin' : 'customer';
    return { orderId, items: history.map((event) => historyEntryOf(event, audience)) };
  }

  /** Every order of a customer, or of a status across customers, newest first (admins). */
  async listOrdersForAdmin(
    request: RequestOf<typeof ListOrdersForAdmin>,
  ): Promise<ResponseOf<typeof ListOrdersForAdmin>> {
    const { customerId, status, limit, cursor } = request;
    if (status && !isOrderStatus(status)) return EMPTY_PAGE;
    if (customerId !== undefined) {
      return pageOf(await this.orders.listByCustomer(customerId, { status, limit, cursor }));
    }
    return pageOf(await this.listAcrossCustomers(status, limit, cursor));
  }

  async getOrderForAdmin(
    request: RequestOf<typeof GetOrderForAdmin>,
  ): Promise<ResponseOf<typeof GetOrderForAdmin>> {
    const history = await this.recorder.history(request.orderId);
    const state = foldEvents(history);
    if (!state) throw new OrderNotFound(request.orderId);
    return this.adminViewOf(state, history);
  }

  /** The admins' view of an order already loaded (checkout's review answers it too). */
  async adminViewOf(state: OrderState, history: readonly OrderEvent[]): Promise<AdminOrderView> {
    const [fraud, payment, ledger] = await Promise.all([
      this.fraudDecisions.find(state.orderId),
      state.paymentId === undefined ? undefined : this.payments.get(state.paymentId),
      state.paymentId === undefined ? undefined : this.payments.ledger(state.paymentId),
    ]);
    return adminOrderViewOf(state, history, fraud, payment, ledger ?? []);
  }

  async listSellerOrders(
    request: RequestOf<typeof ListSellerOrders>,
  ): Promise<ResponseOf<typeof ListSellerOrders>> {
    const { sellerId, status, limit, cursor } = request;
    if (status && !isOrderStatus(status)) return { items: [], nextCursor: null };
    const page = await this.sellerOrders.listForSeller(sellerId, { status, limit, cursor });
    return { items: page.orders.map(sellerOrderViewOf), nextCursor: page.nextCursor ?? null };
  }

  private listAcrossCustomers(
    status: OrderStatus | undefined,
    limit: number,
    cursor: string | undefined,
  ): Promise<OrderPage> {
    return status
      ? this.orders.listByStatus(status, { limit, cursor })
      : this.orders.listAll({ limit, cursor });
  }

  /** The order if `customerId` placed it and it was placed; anything else is not found. */
  private customersOrder(
    customerId: string,
    orderId: string,
    state: OrderState | undefined,
  ): OrderState {
    if (!state || state.customerId !== customerId || !wasPlaced(state.status)) {
      throw new OrderNotFound(orderId);
    }
    return state;
  }
}
