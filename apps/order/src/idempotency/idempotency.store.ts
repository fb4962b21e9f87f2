/** What a finished request answered, replayed as it is to a retry with the same key and body. */
export interface IdempotentResponse {
  /** The HTTP status first answered (201, or an error such as 402). */
  readonly status: number;
  /** The body first answered; kept as JSON, so it comes back as JSON would carry it. */
  readonly body: unknown;
}

/**
 * Proof that one request holds a key: given by `begin`, handed back to `complete` or `abandon`.
 * Opaque to callers; a token from a claim that was taken over no longer matches the record.
 */
export interface IdempotencyToken {
  readonly scope: string;
  readonly key: string;
  readonly claimId: string;
}

/** The answer of `begin`: what the route does with this request. */
export type IdempotencyBegin =
  /** The key is this request's: run it, then `complete` (or `abandon` before any effect). */
  | { readonly kind: 'started'; readonly token: IdempotencyToken }
  /** The key's first request finished: answer its response again, run nothing. */
  | { readonly kind: 'replay'; readonly response: IdempotentResponse }
  /** The key's first request is still running (409 `idempotency_in_progress`). */
  | { readonly kind: 'in_progress' }
  /** The key was used with another body (422). */
  | { readonly kind: 'mismatch' };

/** The answer of `complete`: `lost` when the claim was taken over (its lease ran out) or expired. */
export type IdempotencyCompletion = 'completed' | 'lost';

/**
 * Idempotency keys with Stripe's semantics, for `POST /v1/checkout`:
 * - the same key with the same request (by `requestHash`, see `requestHashOf`) replays the first
 *   response, errors included; with another request it is `mismatch`;
 * - while the first request runs, others with its key get `in_progress`; exactly one of any
 *   number of concurrent `begin`s with one free key gets `started`;
 * - a claim carries a lease: once it runs out (the holder died), a request with the same body
 *   may take the key over; the holder's later `complete` answers `lost`;
 * - `abandon` frees the key (the request failed before any effect, so a retry must run again);
 * - keys are remembered for a retention period (24 h by default), then forgotten;
 * - keys are scoped (per customer): one scope's key never matches another scope's.
 * Every adapter runs `idempotencyStoreContract` from @mercato/testing.
 */
export abstract class IdempotencyStore {
  abstract begin(scope: string, key: string, requestHash: string): Promise<IdempotencyBegin>;
  abstract complete(
    token: IdempotencyToken,
    response: IdempotentResponse,
  ): Promise<IdempotencyCompletion>;
  abstract abandon(token: IdempotencyToken): Promise<void>;
}
