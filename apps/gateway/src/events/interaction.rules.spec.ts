import { MAX_EVENT_AGE_MS, MAX_EVENT_SKEW_MS } from '@mercato/contracts';
import {
  checkInteraction,
  eventsOf,
  EventsErrorCode,
  isDeviceId,
  shopperOf,
  unknownProduct,
} from './interaction.rules';

const NOW = Date.parse('2026-12-07T12:00:00.000Z');
const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();
const refusalOf = (raw: unknown) => {
  const check = checkInteraction(raw, NOW);
  if (check.ok) throw new Error('expected a refusal');
  return check.refusal;
};

describe('interaction rules', () => {
  describe('isDeviceId', () => {
    it('accepts 1 to 128 letters, digits, dots, underscores and dashes', () => {
      expect(isDeviceId('d')).toBe(true);
      expect(isDeviceId('Device-1.a_b')).toBe(true);
      expect(isDeviceId('x'.repeat(128))).toBe(true);
    });

    it('refuses an empty, over-long, spaced or non-string id', () => {
      expect(isDeviceId('')).toBe(false);
      expect(isDeviceId('x'.repeat(129))).toBe(false);
      expect(isDeviceId('a b')).toBe(false);
      expect(isDeviceId('dev/1')).toBe(false);
      expect(isDeviceId(['d1', 'd2'])).toBe(false);
      expect(isDeviceId(undefined)).toBe(false);
    });
  });

  describe('shopperOf', () => {
    const ann = { customerId: 'c-ann', roles: ['customer' as const], region: 'eu' as const };
    const ada = { customerId: 'a-ada', roles: ['admin' as const], region: 'us' as const };

    it('makes a customer the shopper, with or without a device', () => {
      expect(shopperOf(ann, undefined)).toEqual({ kind: 'customer', id: 'c-ann' });
      expect(shopperOf(ann, 'd-1')).toEqual({ kind: 'customer', id: 'c-ann' });
    });

    it('makes the device the shopper without a customer, staff included', () => {
      expect(shopperOf(undefined, 'd-1')).toEqual({ kind: 'device', id: 'd-1' });
      expect(shopperOf(ada, 'd-2')).toEqual({ kind: 'device', id: 'd-2' });
    });

    it('names no shopper without a customer or a device', () => {
      expect(shopperOf(undefined, undefined)).toBeUndefined();
      expect(shopperOf(ada, undefined)).toBeUndefined();
    });
  });

  describe('eventsOf', () => {
    it('takes anything but an array as one event', () => {
      expect(eventsOf({ type: 'search' })).toEqual({ batch: false, events: [{ type: 'search' }] });
      expect(eventsOf('page_view')).toEqual({ batch: false, events: ['page_view'] });
    });

    it('takes an array of 1 to 100 as a batch', () => {
      expect(eventsOf([{}])).toEqual({ batch: true, events: [{}] });
      expect(eventsOf(Array(100).fill({}))).toMatchObject({ batch: true });
    });

    it('refuses an empty batch and one over 100 events', () => {
      expect(eventsOf([])).toMatchObject({ refusal: { code: EventsErrorCode.InvalidRequest } });
      expect(eventsOf(Array(101).fill({}))).toMatchObject({
        refusal: { code: EventsErrorCode.BatchTooLarge },
      });
    });
  });

  describe('checkInteraction', () => {
    it('accepts an event of every type with the fields its type needs', () => {
      for (const event of [
        { type: 'page_view', productId: 'p-1', dwellMs: 1200 },
        { type: 'search', query: 'boots', resultCount: 3 },
        { type: 'search_click', productId: 'p-1', queryId: 'q-1' },
        { type: 'recommendation_click', productId: 'p-1', list: 'similar', variant: 'b' },
        { type: 'add_to_cart', productId: 'p-1', quantity: 2 },
        { type: 'purchase', productId: 'p-1', quantity: 1 },
      ]) {
        expect(checkInteraction(event, NOW)).toMatchObject({ ok: true, event });
      }
    });

    it('dates an event without occurredAt at the server’s time', () => {
      expect(checkInteraction({ type: 'search', query: 'x' }, NOW)).toMatchObject({
        occurredAt: at(0),
      });
    });

    it('keeps the occurredAt the client gave', () => {
      const occurredAt = '2026-12-07T13:00:00+01:00';
      expect(checkInteraction({ type: 'search', query: 'x', occurredAt }, NOW)).toMatchObject({
        ok: true,
        occurredAt,
      });
    });

    it('refuses an unknown type, an unknown field and a non-object as INVALID_EVENT', () => {
      expect(refusalOf({ type: 'wishlist_add', productId: 'p-1' })).toMatchObject({
        code: EventsErrorCode.InvalidEvent,
        errors: [{ field: 'type' }],
      });
      expect(refusalOf({ type: 'page_view', productId: 'p-1', colour: 'red' })).toMatchObject({
        code: EventsErrorCode.InvalidEvent,
        errors: [{ field: 'colour', message: 'Unknown field' }],
      });
      expect(refusalOf('page_view').code).toBe(EventsErrorCode.InvalidEvent);
      expect(refusalOf({ type: 'add_to_cart', productId: 'p-1', quantity: 0 }).errors).toEqual([
        expect.objectContaining({ field: 'quantity' }),
      ]);
    });

    it('refuses a product event without productId', () => {
      for (const type of [
        'page_view',
        'search_click',
        'recommendation_click',
        'add_to_cart',
        'purchase',
      ]) {
        const refusal = refusalOf({ type, list: 'similar' });
        expect(refusal.code).toBe(EventsErrorCode.MissingField);
        expect(refusal.errors.map((error) => error.field)).toEqual(['productId']);
      }
    });

    it('refuses a search without query, and needs no product for it', () => {
      expect(refusalOf({ type: 'search', productId: 'p-1' })).toMatchObject({
        code: EventsErrorCode.MissingField,
        errors: [{ field: 'query' }],
      });
    });

    it('refuses a recommendation click without the list it came from', () => {
      expect(refusalOf({ type: 'recommendation_click', productId: 'p-1' })).toMatchObject({
        code: EventsErrorCode.MissingField,
        errors: [{ field: 'list' }],
      });
    });

    it('accepts occurredAt up to the skew ahead and the age behind, and refuses beyond', () => {
      const event = (occurredAt: string) => ({ type: 'search', query: 'x', occurredAt });
      expect(checkInteraction(event(at(MAX_EVENT_SKEW_MS)), NOW).ok).toBe(true);
      expect(checkInteraction(event(at(-MAX_EVENT_AGE_MS)), NOW).ok).toBe(true);
      expect(refusalOf(event(at(MAX_EVENT_SKEW_MS + 1000)))).toMatchObject({
        code: EventsErrorCode.OccurredAtInFuture,
        errors: [{ field: 'occurredAt' }],
      });
      expect(refusalOf(event(at(-MAX_EVENT_AGE_MS - 1000)))).toMatchObject({
        code: EventsErrorCode.OccurredAtTooOld,
        errors: [{ field: 'occurredAt' }],
      });
    });

    it('refuses an occurredAt without an offset', () => {
      expect(refusalOf({ type: 'search', query: 'x', occurredAt: '2026-12-07 12:00' }).code).toBe(
        EventsErrorCode.InvalidEvent,
      );
    });
  });

  it('names the unknown product in its refusal', () => {
    expect(unknownProduct('p-9')).toEqual({
      code: EventsErrorCode.UnknownProduct,
      message: 'No product p-9',
      errors: [{ field: 'productId', message: 'unknown product' }],
    });
  });
});
