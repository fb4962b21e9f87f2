export enum CacheErrorCode {
  UNAVAILABLE = 'CACHE_UNAVAILABLE',
  NOT_AN_INTEGER = 'CACHE_NOT_AN_INTEGER',
}

/** The cache engine cannot be reached (or timed out): the call was not carried out. */
export class CacheUnavailableError extends Error {
  readonly code = CacheErrorCode.UNAVAILABLE;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CacheUnavailableError';
  }
}

/** `increment` on a key whose value is not an integer. */
export class CacheValueError extends Error {
  readonly code = CacheErrorCode.NOT_AN_INTEGER;

  constructor(key: string) {
    super(`cannot increment "${key}": its value is not an integer`);
    this.name = 'CacheValueError';
  }
}
