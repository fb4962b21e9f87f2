import {
  interactionInputSchema,
  MAX_EVENT_AGE_MS,
  MAX_EVENT_SKEW_MS,
  MAX_EVENTS_PER_BATCH,
  zodFieldErrors,
  type InteractionInput,
  type InteractionType,
  type Shopper,
} from '@mercato/contracts';
import type { FieldProblem } from '@mercato/messaging';
import type { AuthenticatedUser } from '../auth';

/** Codes of the refusals of `POST /v1/events` (a whole request, or one event of a batch). */
export enum EventsErrorCode {
  DeviceIdRequired = 'DEVICE_ID_REQUIRED',
  InvalidDeviceId = 'INVALID_DEVICE_ID',
  InvalidRequest = 'INVALID_REQUEST',
  BatchTooLarge = 'BATCH_TOO_LARGE',
  InvalidEvent = 'INVALID_EVENT',
  MissingField = 'MISSING_FIELD',
  OccurredAtInFuture = 'OCCURRED_AT_IN_FUTURE',
  OccurredAtTooOld = 'OCCURRED_AT_TOO_OLD',
  UnknownProduct = 'UNKNOWN_PRODUCT',
  ProductLookupUnavailable = 'PRODUCT_LOOKUP_UNAVAILABLE',
  EventsUnavailable = 'EVENTS_UNAVAILABLE',
}

/** Why one event is refused: the code a client branches on and the fields at fault. */
export interface EventRefusal {
  code: EventsErrorCode;
  message: string;
  errors: FieldProblem[];
}

export type EventCheck =
  { ok: true; event: InteractionInput; occurredAt: string } | { ok: false; refusal: EventRefusal };

/** The header naming the shopper's device (`POST /v1/events`, sign-in). */
export const DEVICE_ID_HEADER = 'x-device-id';

const DEVICE_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** Whether a header value is a device id a client may choose (letters, digits, `.`, `_`, `-`). */
export function isDeviceId(value: unknown): value is string {
  return typeof value === 'string' && DEVICE_ID.test(value);
}

/**
 * Who sent the events: a customer's token makes the customer the shopper (their device, if
 * named, only links histories); anyone else — no token, or a staff token, whose clicks say
 * nothing about what they would buy — is the device. Undefined: no shopper can be named.
 */
export function shopperOf(
  caller: AuthenticatedUser | undefined,
  deviceId: string | undefined,
): Shopper | undefined {
  if (caller?.roles.includes('customer')) return { kind: 'customer', id: caller.customerId };
  return deviceId === undefined ? undefined : { kind: 'device', id: deviceId };
}

/** The fields each type cannot do without (the schema makes every field optional). */
export const REQUIRED_FIELDS: Readonly<
  Record<InteractionType, readonly (keyof InteractionInput)[]>
> = {
  page_view: ['productId'],
  search: ['query'],
  search_click: ['productId'],
  recommendation_click: ['productId', 'list'],
  add_to_cart: ['productId'],
  purchase: ['productId'],
};

/**
 * A body's events as a list, or why the body as a whole is refused: an array must hold
 * 1..MAX_EVENTS_PER_BATCH events; anything else is one event.
 */
export function eventsOf(
  body: unknown,
): { batch: boolean; events: unknown[] } | { refusal: EventRefusal } {
  if (!Array.isArray(body)) return { batch: false, events: [body] };
  if (body.length === 0) {
    return {
      refusal: {
        code: EventsErrorCode.InvalidRequest,
        message: 'The batch is empty: send 1 to 100 events',
        errors: [{ field: '(body)', message: 'at least one event' }],
      },
    };
  }
  if (body.length > MAX_EVENTS_PER_BATCH) {
    return {
      refusal: {
        code: EventsErrorCode.BatchTooLarge,
        message: `A batch holds ${MAX_EVENTS_PER_BATCH} events at most; this one has ${body.length}`,
        errors: [{ field: '(body)', message: `at most ${MAX_EVENTS_PER_BATCH} events` }],
      },
    };
  }
  return { batch: true, events: body };
}

/**
 * One event against every rule that needs no I/O: the schema (strict), the fields its type
 * needs, and `occurredAt` within MAX_EVENT_SKEW_MS ahead of and MAX_EVENT_AGE_MS behind
 * `nowMs`. The answer carries the time the event happened (`nowMs` when the client gave none).
 */
export function checkInteraction(raw: unknown, nowMs: number): EventCheck {
  const parsed = interactionInputSchema.safeParse(raw);
  if (!parsed.success) {
    const errors = zodFieldErrors(parsed.error).map(({ field, message }) => ({
      field: field || '(event)',
      message,
    }));
    return refuse(
      EventsErrorCode.InvalidEvent,
      `Invalid event: ${[...new Set(errors.map((e) => e.field))].join(', ')}`,
      errors,
    );
  }
  const event = parsed.data;
  const missing = REQUIRED_FIELDS[event.type].filter((field) => event[field] === undefined);
  if (missing.length > 0) {
    return refuse(
      EventsErrorCode.MissingField,
      `A ${event.type} event needs ${missing.join(' and ')}`,
      missing.map((field) => ({ field, message: `required for ${event.type}` })),
    );
  }
  if (event.occurredAt === undefined) {
    return { ok: true, event, occurredAt: new Date(nowMs).toISOString() };
  }
  const occurredMs = Date.parse(event.occurredAt);
  if (occurredMs > nowMs + MAX_EVENT_SKEW_MS) {
    return refuse(
      EventsErrorCode.OccurredAtInFuture,
      `occurredAt is more than ${MAX_EVENT_SKEW_MS / 60_000} minutes ahead of the server`,
      [{ field: 'occurredAt', message: 'in the future' }],
    );
  }
  if (occurredMs < nowMs - MAX_EVENT_AGE_MS) {
    return refuse(
      EventsErrorCode.OccurredAtTooOld,
      `occurredAt is more than ${MAX_EVENT_AGE_MS / 86_400_000} days old`,
      [{ field: 'occurredAt', message: 'too old' }],
    );
  }
  return { ok: true, event, occurredAt: event.occurredAt };
}

/** The refusal of an event whose product the catalog does not know (in the request's region). */
export function unknownProduct(productId: string): EventRefusal {
  return {
    code: EventsErrorCode.UnknownProduct,
    message: `No product ${productId}`,
    errors: [{ field: 'productId', message: 'unknown product' }],
  };
}

function refuse(code: EventsErrorCode, message: string, errors: FieldProblem[]): EventCheck {
  return { ok: false, refusal: { code, message, errors } };
}
