export enum CatalogErrorCode {
  ProductNotFound = 'PRODUCT_NOT_FOUND',
  CategoryNotFound = 'CATEGORY_NOT_FOUND',
  InvalidCursor = 'INVALID_CURSOR',
}

const STATUS: Record<CatalogErrorCode, number> = {
  [CatalogErrorCode.ProductNotFound]: 404,
  [CatalogErrorCode.CategoryNotFound]: 404,
  [CatalogErrorCode.InvalidCursor]: 400,
};

/** An expected catalog failure; `status` and `code` travel back to the caller over the bus. */
export class CatalogException extends Error {
  readonly status: number;

  constructor(
    readonly code: CatalogErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CatalogException';
    this.status = STATUS[code];
  }
}
