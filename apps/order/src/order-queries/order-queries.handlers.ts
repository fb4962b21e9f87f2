import { Injectable } from '@nestjs/common';
import {
  GetCustomerOrder,
  GetOrderForAdmin,
  GetOrderHistory,
  ListCustomerOrders,
  ListOrdersForAdmin,
  ListSellerOrders,
  type RequestOf,
  type ResponseOf,
} from '@mercato/contracts';
import { OnRequest } from '@mercato/messaging';
import { OrderQueriesService } from './order-queries.service';

/** Bus handlers of the order reads: translate only. */
@Injectable()
export class OrderQueriesHandlers {
  constructor(private readonly queries: OrderQueriesService) {}

  @OnRequest(ListCustomerOrders)
  listCustomerOrders(
    request: RequestOf<typeof ListCustomerOrders>,
  ): Promise<ResponseOf<typeof ListCustomerOrders>> {
    return this.queries.listCustomerOrders(request);
  }

  @OnRequest(GetCustomerOrder)
  getCustomerOrder(
    request: RequestOf<typeof GetCustomerOrder>,
  ): Promise<ResponseOf<typeof GetCustomerOrder>> {
    return this.queries.getCustomerOrder(request);
  }

  @OnRequest(GetOrderHistory)
  getOrderHistory(
    request: RequestOf<typeof GetOrderHistory>,
  ): Promise<ResponseOf<typeof GetOrderHistory>> {
    return this.queries.getOrderHistory(request);
  }

  @OnRequest(ListOrdersForAdmin)
  listOrdersForAdmin(
    request: RequestOf<typeof ListOrdersForAdmin>,
  ): Promise<ResponseOf<typeof ListOrdersForAdmin>> {
    return this.queries.listOrdersForAdmin(request);
  }

  @OnRequest(GetOrderForAdmin)
  getOrderForAdmin(
    request: RequestOf<typeof GetOrderForAdmin>,
  ): Promise<ResponseOf<typeof GetOrderForAdmin>> {
    return this.queries.getOrderForAdmin(request);
  }

  @OnRequest(ListSellerOrders)
  listSellerOrders(
    request: RequestOf<typeof ListSellerOrders>,
  ): Promise<ResponseOf<typeof ListSellerOrders>> {
    return this.queries.listSellerOrders(request);
  }
}
