import { ServiceException, type ProblemFacts } from '@mercato/messaging';

/** The lifecycle's refusals (libs/contracts/src/fulfillment.contracts.ts lists them). */
export enum LifecycleErrorCode {
  OrderNotFound = 'ORDER_NOT_FOUND',
  ShipmentNotFound = 'SHIPMENT_NOT_FOUND',
  ReturnNotFound = 'RETURN_NOT_FOUND',
  ShipmentCancelled = 'SHIPMENT_CANCELLED',
  OrderNotFulfilling = 'ORDER_NOT_FULFILLING',
  OrderAlreadyShipped = 'ORDER_ALREADY_SHIPPED',
  OrderNotCancellable = 'ORDER_NOT_CANCELLABLE',
  EventIdReused = 'EVENT_ID_REUSED',
  OccurredInFuture = 'OCCURRED_AT_IN_FUTURE',
  ReturnWindowClosed = 'RETURN_WINDOW_CLOSED',
  ReturnExceedsDelivered = 'RETURN_EXCEEDS_DELIVERED',
  IdempotencyKeyReused = 'IDEMPOTENCY_KEY_REUSED',
}

const STATUS: Record<LifecycleErrorCode, number> = {
  [LifecycleErrorCode.OrderNotFound]: 404,
  [LifecycleErrorCode.ShipmentNotFound]: 404,
  [LifecycleErrorCode.ReturnNotFound]: 404,
  [LifecycleErrorCode.ShipmentCancelled]: 409,
  [LifecycleErrorCode.OrderNotFulfilling]: 409,
  [LifecycleErrorCode.OrderAlreadyShipped]: 409,
  [LifecycleErrorCode.OrderNotCancellable]: 409,
  [LifecycleErrorCode.EventIdReused]: 422,
  [LifecycleErrorCode.OccurredInFuture]: 400,
  [LifecycleErrorCode.ReturnWindowClosed]: 422,
  [LifecycleErrorCode.ReturnExceedsDelivered]: 422,
  [LifecycleErrorCode.IdempotencyKeyReused]: 422,
};

export class LifecycleException extends ServiceException<LifecycleErrorCode> {
  constructor(code: LifecycleErrorCode, message: string, details?: ProblemFacts) {
    super(STATUS, code, message, undefined, details);
  }
}
