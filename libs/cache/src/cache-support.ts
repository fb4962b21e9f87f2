/** Argument checks shared by the adapters, so a bad call fails the same way on each. */

/** Milliseconds of a TTL in seconds, or undefined for none; throws on a non-positive or odd value. */
export function ttlMs(ttlSeconds: number | undefined): number | undefined {
  if (ttlSeconds === undefined) return undefined;
  if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) {
    throw new RangeError(`ttlSeconds must be a positive number of seconds (got ${ttlSeconds})`);
  }
  return Math.max(1, Math.round(ttlSeconds * 1000));
}

export function assertIncrement(by: number): void {
  if (!Number.isSafeInteger(by)) {
    throw new RangeError(`increment must be a safe integer (got ${by})`);
  }
}

/** A prefix must name something: an empty one would drop the whole cache. */
export function assertPrefix(prefix: string): void {
  if (typeof prefix !== 'string' || prefix.length === 0) {
    throw new RangeError('deleteByPrefix needs a non-empty prefix');
  }
}

/** A Redis URL without its password, for logs and health details. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '(invalid URL)';
  }
}

export function describeError(error: unknown): string {
  // Duck-typed: errors from Node's core are not `instanceof Error` inside a Jest sandbox.
  if (typeof error === 'object' && error !== null) {
    const { message, code, name } = error as { message?: unknown; code?: unknown; name?: unknown };
    if (typeof message === 'string' && message) return message;
    if (typeof code === 'string') return code;
    if (typeof name === 'string') return name;
  }
  return String(error);
}

/** Logger of the adapters; Nest's Logger fits, tests pass a silent one. */
export interface CacheLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentCacheLogger: CacheLogger = {
  log: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
