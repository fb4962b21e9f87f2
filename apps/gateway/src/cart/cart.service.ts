import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  AddCartItem,
  ApplyCartCoupon,
  GetCart,
  RemoveCartCoupon,
  RemoveCartItem,
  SetCartItemQuantity,
  type CartCaller,
  type CartView,
  type Region,
} from '@mercato/contracts';
import { MessageBus } from '@mercato/messaging';

/** One cart route's call: who owns the cart, in which region, under which correlation id. */
export interface CartCall {
  caller: CartCaller;
  region: Region;
  correlationId: string;
}

/**
 * The gateway's side of the cart service: one bus request per route. The key is the cart's
 * owner, so one cart's changes reach the cart service in the order they were sent.
 */
@Injectable()
export class CartGatewayService {
  constructor(private readonly bus: MessageBus) {}

  get({ caller, region, correlationId }: CartCall): Promise<CartView> {
    return this.bus.request(GetCart, { caller, region }, this.options(caller, correlationId));
  }

  addItem({ caller, region, correlationId }: CartCall, sku: string, quantity: number) {
    return this.bus.request(
      AddCartItem,
      { caller, region, sku, quantity },
      this.options(caller, correlationId),
    );
  }

  setQuantity({ caller, region, correlationId }: CartCall, sku: string, quantity: number) {
    return this.bus.request(
      SetCartItemQuantity,
      { caller, region, sku, quantity },
      this.options(caller, correlationId),
    );
  }

  removeItem({ caller, region, correlationId }: CartCall, sku: string) {
    return this.bus.request(
      RemoveCartItem,
      { caller, region, sku },
      this.options(caller, correlationId),
    );
  }

  applyCoupon({ caller, region, correlationId }: CartCall, code: string) {
    return this.bus.request(
      ApplyCartCoupon,
      { caller, region, code },
      this.options(caller, correlationId),
    );
  }

  removeCoupon({ caller, region, correlationId }: CartCall, code: string) {
    return this.bus.request(
      RemoveCartCoupon,
      { caller, region, code },
      this.options(caller, correlationId),
    );
  }

  private options(caller: CartCaller, correlationId: string) {
    // A guest without a cart yet gets a new one: no earlier change to stay behind.
    return { key: caller.customerId ?? caller.cartId ?? randomUUID(), correlationId };
  }
}
