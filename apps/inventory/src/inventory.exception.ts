import { ServiceException, type FieldProblem } from '@mercato/messaging';

export enum InventoryErrorCode {
  UnknownSku = 'UNKNOWN_SKU',
  ReservationNotFound = 'RESERVATION_NOT_FOUND',
  ReservationNotHeld = 'RESERVATION_NOT_HELD',
  InsufficientStock = 'INSUFFICIENT_STOCK',
  SameWarehouse = 'SAME_WAREHOUSE',
  /** An operation or reservation id reused for a different command. */
  OperationConflict = 'OPERATION_CONFLICT',
  /** The item kept changing under a command (retries exhausted); safe to retry. */
  WriteContention = 'WRITE_CONTENTION',
}

const STATUS: Record<InventoryErrorCode, number> = {
  [InventoryErrorCode.UnknownSku]: 404,
  [InventoryErrorCode.ReservationNotFound]: 404,
  [InventoryErrorCode.ReservationNotHeld]: 409,
  [InventoryErrorCode.InsufficientStock]: 409,
  [InventoryErrorCode.SameWarehouse]: 400,
  [InventoryErrorCode.OperationConflict]: 409,
  [InventoryErrorCode.WriteContention]: 503,
};

/** An expected inventory failure; `status`, `code` and `errors` travel back to the caller over the bus. */
export class InventoryException extends ServiceException<InventoryErrorCode> {
  constructor(code: InventoryErrorCode, message: string, errors?: FieldProblem[]) {
    super(STATUS, code, message, errors);
  }
}
