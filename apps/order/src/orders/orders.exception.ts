import { ServiceException } from '@mercato/messaging';
import type { OrderEventType, OrderStatus } from './order.events';

export enum OrderErrorCode {
  /** Another writer appended to the order first: read it again and decide again. */
  VersionConflict = 'ORDER_VERSION_CONFLICT',
  /** The event cannot happen to the order in its status (e.g. approving a confirmed order). */
  TransitionRefused = 'ORDER_TRANSITION_REFUSED',
  /** A list cursor that this query did not hand out (another customer, status or a forged one). */
  InvalidCursor = 'INVALID_CURSOR',
  /** No such order, or not one the caller may see (the same answer, so ids cannot be probed). */
  NotFound = 'ORDER_NOT_FOUND',
}

const STATUS: Record<OrderErrorCode, number> = {
  [OrderErrorCode.VersionConflict]: 409,
  [OrderErrorCode.TransitionRefused]: 409,
  [OrderErrorCode.InvalidCursor]: 400,
  [OrderErrorCode.NotFound]: 404,
};

export class OrderException extends ServiceException<OrderErrorCode> {
  constructor(code: OrderErrorCode, message: string) {
    super(STATUS, code, message);
  }
}

/** An append whose expected version is no longer the order's version (optimistic concurrency). */
export class OrderVersionConflict extends OrderException {
  constructor(
    readonly orderId: string,
    readonly expectedVersion: number,
  ) {
    super(
      OrderErrorCode.VersionConflict,
      `order ${orderId} is no longer at version ${expectedVersion}`,
    );
  }
}

/** An event the order's status machine does not allow (`applyEvent`). */
export class OrderTransitionRefused extends OrderException {
  constructor(
    readonly orderId: string,
    readonly from: OrderStatus | 'none',
    readonly event: OrderEventType,
  ) {
    super(
      OrderErrorCode.TransitionRefused,
      `order ${orderId}: "${event}" cannot happen to an order that is ${from}`,
    );
  }
}

/** An order the caller may not see or that does not exist: one answer for both. */
export class OrderNotFound extends OrderException {
  constructor(readonly orderId: string) {
    super(OrderErrorCode.NotFound, `Order ${orderId} was not found`);
  }
}
