import { ServiceException, type FieldProblem } from '@mercato/messaging';

export enum CatalogErrorCode {
  ProductNotFound = 'PRODUCT_NOT_FOUND',
  /** The product exists but has no price, so is not sold, in the region asked for. */
  ProductNotSoldInRegion = 'PRODUCT_NOT_SOLD_IN_REGION',
  CategoryNotFound = 'CATEGORY_NOT_FOUND',
  InvalidCursor = 'INVALID_CURSOR',
  /** A product body breaks a field rule (`errors` names each field). */
  ValidationFailed = 'VALIDATION_FAILED',
  /** A product body names a category that does not exist or is not a leaf. */
  InvalidCategory = 'INVALID_CATEGORY',
  /** Another product already uses one of the SKUs. */
  SkuTaken = 'SKU_TAKEN',
  /** The product changed since the revision the caller expected. */
  RevisionConflict = 'REVISION_CONFLICT',
  /** The idempotency key was used before with another body. */
  IdempotencyKeyReused = 'IDEMPOTENCY_KEY_REUSED',
}

const STATUS: Record<CatalogErrorCode, number> = {
  [CatalogErrorCode.ProductNotFound]: 404,
  [CatalogErrorCode.ProductNotSoldInRegion]: 404,
  [CatalogErrorCode.CategoryNotFound]: 404,
  [CatalogErrorCode.InvalidCursor]: 400,
  [CatalogErrorCode.ValidationFailed]: 400,
  [CatalogErrorCode.InvalidCategory]: 422,
  [CatalogErrorCode.SkuTaken]: 409,
  [CatalogErrorCode.RevisionConflict]: 409,
  [CatalogErrorCode.IdempotencyKeyReused]: 422,
};

/** An expected catalog failure; `status`, `code` and `errors` travel back to the caller over the bus. */
export class CatalogException extends ServiceException<CatalogErrorCode> {
  constructor(code: CatalogErrorCode, message: string, errors?: FieldProblem[]) {
    super(STATUS, code, message, errors);
  }
}

/** One field-level problem of a rejected input. */
export type CatalogFieldError = FieldProblem;
