import { Injectable } from '@nestjs/common';
import {
  AddCartItem,
  ApplyCartCoupon,
  CancelOrder,
  type CartView,
  type Envelope,
  GetCart,
  GetCustomerOrder,
  GetOrderForAdmin,
  GetOrderHistory,
  ListCustomerOrders,
  ListOrdersForAdmin,
  ListSellerOrders,
  MergeGuestCart,
  PlaceOrder,
  ReceiveReturn,
  RecordWarehouseEvent,
  type Region,
  RemoveCartCoupon,
  RemoveCartItem,
  RequestReturn,
  ReviewHeldOrder,
  SetCartItemQuantity,
} from '@mercato/contracts';
import { OnRequest, type ProblemFacts } from '@mercato/messaging';
import { CART_VIEW_EXAMPLE } from '../../src/cart/cart.dto';
import { ORDER_VIEW_EXAMPLE, RETURN_VIEW_EXAMPLE } from '../../src/orders/orders.dto';

/** What a fake service was sent: the message type, its payload and its bus key. */
export interface Received {
  type: string;
  payload: Record<string, unknown>;
  key: string;
  correlationId: string;
}

/** A refusal the fake throws as a service would (status, code, details reach the gateway). */
export interface Refusal {
  status: number;
  code: string;
  message: string;
  details?: ProblemFacts;
}

/** The bus side shared by the fakes: records every request, refuses the next one when told. */
export abstract class FakeService {
  readonly received: Received[] = [];
  private refusal?: Refusal;

  /** The next request is refused with this error. */
  refuseNext(refusal: Refusal): void {
    this.refusal = refusal;
  }

  last(): Received {
    const last = this.received.at(-1);
    if (!last) throw new Error('The fake was sent nothing');
    return last;
  }

  protected receive(payload: unknown, envelope: Envelope): void {
    this.received.push({
      type: envelope.type,
      payload: payload as Record<string, unknown>,
      key: envelope.key,
      correlationId: envelope.correlationId,
    });
    const refusal = this.refusal;
    this.refusal = undefined;
    if (refusal) throw Object.assign(new Error(refusal.message), refusal);
  }
}

/** A guest without a cart id gets this one, as the cart service would create it. */
export const NEW_GUEST_CART_ID = 'c_newGuestCart01';

/** Stands in for the cart service: answers every cart request with a cart in the region asked. */
@Injectable()
export class FakeCartService extends FakeService {
  private view(payload: { caller?: { cartId?: string }; region: Region }): CartView {
    const cartId = payload.caller?.cartId ?? NEW_GUEST_CART_ID;
    return { ...CART_VIEW_EXAMPLE, cartId, region: payload.region };
  }

  @OnRequest(GetCart)
  async get(payload: { region: Region }, envelope: Envelope) {
    this.receive(payload, envelope);
    return this.view(payload);
  }

  @OnRequest(AddCartItem)
  async add(payload: { region: Region }, envelope: Envelope) {
    this.receive(payload, envelope);
    return this.view(payload);
  }

  @OnRequest(SetCartItemQuantity)
  async set(payload: { region: Region }, envelope: Envelope) {
    this.receive(payload, envelope);
    return this.view(payload);
  }

  @OnRequest(RemoveCartItem)
  async remove(payload: { region: Region }, envelope: Envelope) {
    this.receive(payload, envelope);
    return this.view(payload);
  }

  @OnRequest(ApplyCartCoupon)
  async applyCoupon(payload: { region: Region }, envelope: Envelope) {
    this.receive(payload, envelope);
    return this.view(payload);
  }

  @OnRequest(RemoveCartCoupon)
  async removeCoupon(payload: { region: Region }, envelope: Envelope) {
    this.receive(payload, envelope);
    return this.view(payload);
  }

  @OnRequest(MergeGuestCart)
  async merge(payload: { region: Region }, envelope: Envelope) {
    this.receive(payload, envelope);
    return this.view(payload);
  }
}

const adminView = (orderId: string) => ({
  ...ORDER_VIEW_EXAMPLE,
  orderId,
  timeline: [],
  payments: [],
  fraud: null,
});

/** Stands in for the order service: answers with the documented example order. */
@Injectable()
export class FakeOrderService extends FakeService {
  @OnRequest(PlaceOrder)
  async place(payload: { customerId: string }, envelope: Envelope) {
    this.receive(payload, envelope);
    return { ...ORDER_VIEW_EXAMPLE, customerId: payload.customerId };
  }

  @OnRequest(ListCustomerOrders)
  async list(payload: unknown, envelope: Envelope) {
    this.receive(payload, envelope);
    return { items: [], nextCursor: null };
  }

  @OnRequest(GetCustomerOrder)
  async get(payload: { orderId: string }, envelope: Envelope) {
    this.receive(payload, envelope);
    return { ...ORDER_VIEW_EXAMPLE, orderId: payload.orderId };
  }

  @OnRequest(GetOrderHistory)
  async history(payload: { orderId: string }, envelope: Envelope) {
    this.receive(payload, envelope);
    return { orderId: payload.orderId, items: [] };
  }

  @OnRequest(ListOrdersForAdmin)
  async listForAdmin(payload: unknown, envelope: Envelope) {
    this.receive(payload, envelope);
    return { items: [], nextCursor: null };
  }

  @OnRequest(GetOrderForAdmin)
  async getForAdmin(payload: { orderId: string }, envelope: Envelope) {
    this.receive(payload, envelope);
    return adminView(payload.orderId);
  }

  @OnRequest(ReviewHeldOrder)
  async review(payload: { orderId: string }, envelope: Envelope) {
    this.receive(payload, envelope);
    return adminView(payload.orderId);
  }

  @OnRequest(ListSellerOrders)
  async listForSeller(payload: unknown, envelope: Envelope) {
    this.receive(payload, envelope);
    return { items: [], nextCursor: null };
  }

  @OnRequest(CancelOrder)
  async cancel(payload: { orderId: string }, envelope: Envelope) {
    this.receive(payload, envelope);
    return { ...ORDER_VIEW_EXAMPLE, orderId: payload.orderId, status: 'cancelled' as const };
  }

  @OnRequest(RequestReturn)
  async requestReturn(payload: { orderId: string }, envelope: Envelope) {
    this.receive(payload, envelope);
    return { ...RETURN_VIEW_EXAMPLE, orderId: payload.orderId };
  }

  @OnRequest(RecordWarehouseEvent)
  async recordEvent(
    payload: { orderId: string; shipmentId: string; eventId: string },
    envelope: Envelope,
  ) {
    this.receive(payload, envelope);
    const { orderId, shipmentId, eventId } = payload;
    return {
      orderId,
      shipmentId,
      eventId,
      shipmentStatus: 'shipped' as const,
      orderStatus: 'shipped' as const,
    };
  }

  @OnRequest(ReceiveReturn)
  async receiveReturn(payload: { orderId: string; returnId: string }, envelope: Envelope) {
    this.receive(payload, envelope);
    const { orderId, returnId } = payload;
    return { ...RETURN_VIEW_EXAMPLE, orderId, returnId, status: 'received' as const };
  }
}
