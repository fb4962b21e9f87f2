import type { z } from 'zod';
import {
  shopperKeyOf,
  type CartItemAdded,
  type EventData,
  type InteractionReceived,
  type interactionViewSchema,
  type OrderChanged,
} from '@mercato/contracts';

/**
 * The interaction stream's rules, without I/O: what each incoming event becomes, the keys it is
 * stored under, its expiry, the bot cap's minute, and the merge of several shoppers' histories.
 */

export type InteractionView = z.infer<typeof interactionViewSchema>;

/** One interaction to store under a shopper's key. */
export interface Interaction {
  shopperKey: string;
  view: InteractionView;
  /**
   * The server's time of the event (a client event's `receivedAt`, a cart or order event's
   * `occurredAt`): the bot cap counts by it. Never the client's `occurredAt`, which a bot
   * chooses, and never the time of processing, so a redelivery or a replayed backlog counts
   * in the minute the event happened.
   */
  countedAt: string;
}

/** The order events after which an order's lines count as purchased. */
const PURCHASED = new Set(['confirmed', 'approved']);

/** The sort key of an interaction: newest first reads in reverse, and the event fixes it. */
export function interactionAt(view: Pick<InteractionView, 'occurredAt' | 'eventId'>): string {
  return `${new Date(view.occurredAt).toISOString()}#${view.eventId}`;
}

/** The highest sort key of anything that happened at or before `iso`. */
export function interactionAtOrBefore(iso: string): string {
  return `${new Date(iso).toISOString()}#\uffff`;
}

/** The TTL of an interaction (epoch seconds): `retentionDays` after it happened. */
export function expiresAtOf(occurredAt: string, retentionDays: number): number {
  return Math.floor(Date.parse(occurredAt) / 1000) + retentionDays * 86_400;
}

/** The UTC minute (since the epoch) the bot cap counts an interaction in. */
export function capMinuteOf(interaction: Interaction): number {
  return Math.floor(Date.parse(interaction.countedAt) / 60_000);
}

/** A client's event, as the gateway accepted it. */
export function fromClientEvent(event: EventData<typeof InteractionReceived>): Interaction {
  // The shopper is the partition; the device and receipt time are not part of the view.
  const { shopper, deviceId: _device, receivedAt, ...view } = event;
  return {
    shopperKey: shopperKeyOf(shopper),
    view: { ...view, source: 'client' },
    countedAt: receivedAt,
  };
}

/**
 * A customer's cart add; a guest's is skipped (undefined): the guest's client sends its own
 * `add_to_cart` event under the device, which the cart does not know.
 */
export function fromCartAdd(event: EventData<typeof CartItemAdded>): Interaction | undefined {
  if (!event.customerId) return undefined;
  return {
    shopperKey: shopperKeyOf({ kind: 'customer', id: event.customerId }),
    view: {
      eventId: `cart:${event.eventId}`,
      type: 'add_to_cart',
      productId: event.productId,
      quantity: event.quantity,
      occurredAt: event.occurredAt,
      region: event.region,
      source: 'cart',
    },
    countedAt: event.occurredAt,
  };
}

/**
 * A confirmed (or, after a hold, approved) order: one `purchase` per SKU of its lines (lines of
 * the same SKU added up), under an event id of the order, its version and the SKU, so a
 * redelivered event stores nothing new. Other order events are not interactions.
 */
export function fromOrderChange(event: EventData<typeof OrderChanged>): Interaction[] {
  if (!PURCHASED.has(event.type) || !event.lines) return [];
  const bySku = new Map<string, { productId: string; quantity: number }>();
  for (const line of event.lines) {
    const seen = bySku.get(line.sku);
    if (seen) seen.quantity += line.quantity;
    else bySku.set(line.sku, { productId: line.productId, quantity: line.quantity });
  }
  const shopperKey = shopperKeyOf({ kind: 'customer', id: event.customerId });
  return [...bySku].map(([sku, line]) => ({
    shopperKey,
    view: {
      eventId: `order:${event.orderId}:${event.version}:${sku}`,
      type: 'purchase',
      productId: line.productId,
      quantity: line.quantity,
      occurredAt: event.occurredAt,
      region: event.region,
      source: 'order',
    },
    countedAt: event.occurredAt,
  }));
}

/** Several histories (each newest first) merged newest first, at most `limit`. */
export function newestFirst(
  histories: readonly (readonly InteractionView[])[],
  limit: number,
): InteractionView[] {
  return histories
    .flat()
    .map((view) => ({ view, at: interactionAt(view) }))
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
    .slice(0, limit)
    .map(({ view }) => view);
}
