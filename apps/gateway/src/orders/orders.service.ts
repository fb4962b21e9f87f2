import { Injectable } from '@nestjs/common';
import {
  CancelOrder,
  GetCustomerOrder,
  GetOrderForAdmin,
  GetOrderHistory,
  ListCustomerOrders,
  ListOrdersForAdmin,
  ListSellerOrders,
  RequestReturn,
  ReviewHeldOrder,
  type RequestOf,
  type ResponseOf,
} from '@mercato/contracts';
import { MessageBus } from '@mercato/messaging';

/**
 * The gateway's side of the order service's reads, the fraud review, cancellation and returns:
 * one bus request per route. Requests about one order are keyed by its id, so they stay in order with its changes.
 */
@Injectable()
export class OrdersGatewayService {
  constructor(private readonly bus: MessageBus) {}

  listForCustomer(query: RequestOf<typeof ListCustomerOrders>, correlationId: string) {
    return this.bus.request(ListCustomerOrders, query, { key: query.customerId, correlationId });
  }

  getForCustomer(query: RequestOf<typeof GetCustomerOrder>, correlationId: string) {
    return this.bus.request(GetCustomerOrder, query, { key: query.orderId, correlationId });
  }

  history(
    query: RequestOf<typeof GetOrderHistory>,
    correlationId: string,
  ): Promise<ResponseOf<typeof GetOrderHistory>> {
    return this.bus.request(GetOrderHistory, query, { key: query.orderId, correlationId });
  }

  listForAdmin(query: RequestOf<typeof ListOrdersForAdmin>, correlationId: string) {
    return this.bus.request(ListOrdersForAdmin, query, { correlationId });
  }

  getForAdmin(orderId: string, correlationId: string) {
    return this.bus.request(GetOrderForAdmin, { orderId }, { key: orderId, correlationId });
  }

  review(command: RequestOf<typeof ReviewHeldOrder>, correlationId: string) {
    return this.bus.request(ReviewHeldOrder, command, { key: command.orderId, correlationId });
  }

  listForSeller(query: RequestOf<typeof ListSellerOrders>, correlationId: string) {
    return this.bus.request(ListSellerOrders, query, { key: query.sellerId, correlationId });
  }

  /** A customer's (with their `customerId`) or an admin's cancellation. */
  cancel(command: RequestOf<typeof CancelOrder>, correlationId: string) {
    return this.bus.request(CancelOrder, command, { key: command.orderId, correlationId });
  }

  requestReturn(command: RequestOf<typeof RequestReturn>, correlationId: string) {
    return this.bus.request(RequestReturn, command, { key: command.orderId, correlationId });
  }
}
