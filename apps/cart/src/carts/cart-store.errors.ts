/** A stored cart that does not match the cart schema: named, so it can be found and repaired. */
export class CorruptCartError extends Error {
  override readonly name = 'CorruptCartError';

  constructor(
    readonly cartId: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`stored cart "${cartId}" is corrupt: ${reason}`, options);
  }
}

/** A save that would change a cart's owner: ownership moves only through the merge at login. */
export class CartOwnerChangeError extends Error {
  override readonly name = 'CartOwnerChangeError';

  constructor(readonly cartId: string) {
    super(`cart "${cartId}" cannot change owner on save`);
  }
}
