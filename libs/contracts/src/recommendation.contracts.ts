import { z } from 'zod';
import { defineEvent, defineRequest, type Contract } from './contract';
import { regionSchema } from './common';

/**
 * The interaction stream of issue 21 (personalisation), its first part: what shoppers do,
 * received by the gateway (`POST /v1/events`), validated there, and carried to the
 * recommendation app, which keeps each shopper's history. Cart and order events join the same
 * history there. Models (similar, also-bought, trending, personalised) read it later.
 */

export const INTERACTION_TYPES = [
  'page_view',
  'search',
  'search_click',
  'recommendation_click',
  'add_to_cart',
  'purchase',
] as const;
export const interactionTypeSchema = z.enum(INTERACTION_TYPES);
export type InteractionType = z.infer<typeof interactionTypeSchema>;

export const RECOMMENDATION_LISTS = ['similar', 'also-bought', 'trending', 'personalized'] as const;

/** The most events one `POST /v1/events` may carry. */
export const MAX_EVENTS_PER_BATCH = 100;
/** An event's `occurredAt` may be at most this far behind the server (older are refused). */
export const MAX_EVENT_AGE_MS = 7 * 86_400_000;
/** … and at most this far ahead of it (clock skew). */
export const MAX_EVENT_SKEW_MS = 5 * 60_000;

/**
 * One event as a client sends it (docs/api.md, `POST /v1/events`). Which fields a type needs is
 * checked by `checkInteraction` in the gateway (apps/gateway/src/events/interaction.rules.ts):
 * `productId` for everything but `search`, `query` for `search`, `list` for
 * `recommendation_click`.
 */
export const interactionInputSchema = z.strictObject({
  type: interactionTypeSchema,
  productId: z.string().trim().min(1).max(128).optional(),
  query: z.string().trim().min(1).max(200).optional(),
  /** `search`: how many products it found. */
  resultCount: z.number().int().min(0).max(1_000_000).optional(),
  /** `search_click`: the search's `queryId`. */
  queryId: z.string().min(1).max(128).optional(),
  /** `page_view`: how long the page was looked at. */
  dwellMs: z.number().int().min(0).max(86_400_000).optional(),
  /** `recommendation_click`: the list (and experiment variant) the product was shown in. */
  list: z.enum(RECOMMENDATION_LISTS).optional(),
  experimentId: z.string().min(1).max(64).optional(),
  variant: z.string().min(1).max(64).optional(),
  /** `add_to_cart`, `purchase`: units. */
  quantity: z.number().int().min(1).max(1_000).optional(),
  /** When it happened on the client (ISO 8601 with offset); the server's time when absent. */
  occurredAt: z.iso.datetime({ offset: true }).optional(),
});
export type InteractionInput = z.infer<typeof interactionInputSchema>;

/** Who did it: a signed-in customer, or an anonymous device (`X-Device-Id`). */
export const shopperSchema = z.object({
  kind: z.enum(['customer', 'device']),
  id: z.string().min(1).max(128),
});
export type Shopper = z.infer<typeof shopperSchema>;

/** The key every message of one shopper travels under: their history stays in order. */
export const shopperKeyOf = (shopper: Shopper): string => `${shopper.kind}:${shopper.id}`;

/**
 * One accepted interaction (key: `shopperKeyOf(shopper)`). `eventId` is the gateway's, unique
 * per event: consumers dedupe on it. `origin` says where it came from: a client's
 * `POST /v1/events`, or the store itself (a cart add, an order).
 */
export const InteractionReceived = defineEvent({
  type: 'gateway.interaction.received',
  version: 1,
  owner: 'gateway',
  schema: interactionInputSchema.extend({
    eventId: z.string().min(1).max(128),
    shopper: shopperSchema,
    /** The device the event came from, also for a signed-in customer (links their history). */
    deviceId: z.string().min(1).max(128).optional(),
    region: regionSchema,
    occurredAt: z.iso.datetime({ offset: true }),
    receivedAt: z.iso.datetime(),
  }),
});

/**
 * A device's shopper signed in: the device's anonymous history becomes the customer's (key: the
 * device's shopper key, so it follows that device's events).
 */
export const ShopperIdentified = defineEvent({
  type: 'gateway.shopper.identified',
  version: 1,
  owner: 'gateway',
  schema: z.object({
    deviceId: z.string().min(1).max(128),
    customerId: z.string().min(1),
    occurredAt: z.iso.datetime(),
  }),
});

export const interactionViewSchema = interactionInputSchema.extend({
  eventId: z.string(),
  type: interactionTypeSchema,
  occurredAt: z.iso.datetime({ offset: true }),
  region: regionSchema,
  /** Where the recommendation app got it: a client's event, a cart add or an order. */
  source: z.enum(['client', 'cart', 'order']),
});

/**
 * A shopper's recent interactions, newest first: a customer's own and those of every device
 * linked to them by a sign-in. The models read the same history.
 */
export const GetShopperHistory = defineRequest({
  type: 'recommendation.history.get',
  version: 1,
  owner: 'recommendation',
  request: z.object({
    shopper: shopperSchema,
    limit: z.number().int().min(1).max(500).default(50),
  }),
  response: z.object({ items: z.array(interactionViewSchema) }),
});

/** This file's contracts, for ALL_CONTRACTS (topics.ts). */
export const RECOMMENDATION_CONTRACTS: readonly Contract[] = [
  InteractionReceived,
  ShopperIdentified,
  GetShopperHistory,
];
