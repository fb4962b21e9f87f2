import { Injectable } from '@nestjs/common';
import {
  AddCartItem,
  ApplyCartCoupon,
  ClearOrderedItems,
  GetCart,
  MergeGuestCart,
  RemoveCartCoupon,
  RemoveCartItem,
  SetCartItemQuantity,
  type RequestOf,
  type ResponseOf,
} from '@mercato/contracts';
import { OnRequest } from '@mercato/messaging';
import { CartService } from './cart.service';

/** Bus handlers of the cart: payload in, one service call, result out. */
@Injectable()
export class CartHandlers {
  constructor(private readonly carts: CartService) {}

  @OnRequest(GetCart)
  get(request: RequestOf<typeof GetCart>): Promise<ResponseOf<typeof GetCart>> {
    return this.carts.get(request.caller, request.region);
  }

  @OnRequest(AddCartItem)
  add(request: RequestOf<typeof AddCartItem>): Promise<ResponseOf<typeof AddCartItem>> {
    return this.carts.addItem(request.caller, request.region, request.sku, request.quantity);
  }

  @OnRequest(SetCartItemQuantity)
  setQuantity(
    request: RequestOf<typeof SetCartItemQuantity>,
  ): Promise<ResponseOf<typeof SetCartItemQuantity>> {
    return this.carts.setItemQuantity(
      request.caller,
      request.region,
      request.sku,
      request.quantity,
    );
  }

  @OnRequest(RemoveCartItem)
  remove(request: RequestOf<typeof RemoveCartItem>): Promise<ResponseOf<typeof RemoveCartItem>> {
    return this.carts.removeItem(request.caller, request.region, request.sku);
  }

  @OnRequest(ApplyCartCoupon)
  applyCoupon(
    request: RequestOf<typeof ApplyCartCoupon>,
  ): Promise<ResponseOf<typeof ApplyCartCoupon>> {
    return this.carts.applyCoupon(request.caller, request.region, request.code);
  }

  @OnRequest(RemoveCartCoupon)
  removeCoupon(
    request: RequestOf<typeof RemoveCartCoupon>,
  ): Promise<ResponseOf<typeof RemoveCartCoupon>> {
    return this.carts.removeCoupon(request.caller, request.region, request.code);
  }

  @OnRequest(MergeGuestCart)
  merge(request: RequestOf<typeof MergeGuestCart>): Promise<ResponseOf<typeof MergeGuestCart>> {
    return this.carts.merge(request.customerId, request.cartId, request.region);
  }

  @OnRequest(ClearOrderedItems)
  clearOrdered(
    request: RequestOf<typeof ClearOrderedItems>,
  ): Promise<ResponseOf<typeof ClearOrderedItems>> {
    return this.carts.clearOrdered(request);
  }
}
