import type { FeedRow } from '@mercato/contracts';
import { stockItem } from '../../test/support/stock-items';
import { judgeFeedRow, keptChanging, readFeedRow, type FeedOrigin } from './feed-rows';

describe('reading a feed row', () => {
  it('accepts {sku, warehouseId, onHand} with a whole, non-negative count', () => {
    expect(readFeedRow({ sku: 'SKU-1', warehouseId: 'eu-west', onHand: 0 })).toEqual({
      row: { sku: 'SKU-1', warehouseId: 'eu-west', onHand: 0 },
    });
  });

  it.each([
    ['a string', 'not a row', 'row must be an object {sku, warehouseId, onHand}'],
    ['null', null, 'row must be an object {sku, warehouseId, onHand}'],
    ['an array', [1, 2], 'row must be an object {sku, warehouseId, onHand}'],
    [
      'an empty SKU',
      { sku: '', warehouseId: 'us-east', onHand: 1 },
      'sku must be a string of 1 to 128 characters',
    ],
    [
      'a SKU over 128 characters',
      { sku: 'S'.repeat(129), warehouseId: 'us-east', onHand: 1 },
      'sku must be a string of 1 to 128 characters',
    ],
    [
      'an unknown warehouse',
      { sku: 'SKU-1', warehouseId: 'moon-base', onHand: 1 },
      'unknown warehouse "moon-base"',
    ],
    ['no warehouse', { sku: 'SKU-1', onHand: 1 }, 'unknown warehouse null'],
    [
      'a count that is no number',
      { sku: 'SKU-1', warehouseId: 'us-east', onHand: '3' },
      'onHand must be a number',
    ],
    [
      'a negative count',
      { sku: 'SKU-1', warehouseId: 'us-east', onHand: -1 },
      'onHand must not be negative (got -1)',
    ],
    [
      'a fractional count',
      { sku: 'SKU-1', warehouseId: 'us-east', onHand: 1.5 },
      'onHand must be a whole number (got 1.5)',
    ],
    [
      'a count over 100,000,000',
      { sku: 'SKU-1', warehouseId: 'us-east', onHand: 100_000_001 },
      'onHand 100000001 is too large',
    ],
  ])('rejects %s with a reason the sender can act on', (_, raw, reason) => {
    expect(readFeedRow(raw)).toMatchObject({ rejected: { status: 'rejected', reason } });
  });

  it('labels a rejected row with its SKU and warehouse when those are usable', () => {
    expect(readFeedRow({ sku: 'SKU-1', warehouseId: 'us-east', onHand: -1 })).toEqual({
      rejected: {
        sku: 'SKU-1',
        warehouseId: 'us-east',
        status: 'rejected',
        reason: 'onHand must not be negative (got -1)',
      },
    });
  });

  it('leaves out of the label a SKU or warehouse that is itself wrong', () => {
    expect(readFeedRow({ sku: '', warehouseId: 'moon-base', onHand: 1 })).toEqual({
      rejected: { status: 'rejected', reason: 'sku must be a string of 1 to 128 characters' },
    });
  });
});

describe('judging a well-formed row against the stock', () => {
  const feed: FeedOrigin = { feedId: 'f-2', receivedAt: 2_000 };
  const row = (onHand: number): FeedRow => ({ sku: 'SKU-1', warehouseId: 'us-east', onHand });

  it('sets the count of a warehouse the feed may set', () => {
    const item = stockItem({ 'us-east': { onHand: 3 } });

    expect(judgeFeedRow(item, row(7), feed, undefined, 'live')).toBe('write');
  });

  it('rejects an unknown SKU, to be tried again once the product event has arrived', () => {
    expect(judgeFeedRow(undefined, row(7), feed, undefined, 'live')).toEqual({
      status: 'rejected',
      reason: 'unknown SKU SKU-1',
      retry: true,
    });
  });

  it("rejects a seller's row for another seller's SKU, for good", () => {
    const item = stockItem({}, { sellerId: 'seller-2' });

    expect(judgeFeedRow(item, row(7), feed, 'seller-1', 'live')).toEqual({
      status: 'rejected',
      reason: 'SKU SKU-1 belongs to another seller',
    });
  });

  it("lets an operator's feed (no seller) set any seller's SKU", () => {
    const item = stockItem({}, { sellerId: 'seller-2' });

    expect(judgeFeedRow(item, row(7), feed, undefined, 'live')).toBe('write');
  });

  it('rejects a count below what is reserved: held units are promised to customers', () => {
    const item = stockItem({ 'us-east': { onHand: 5, reserved: 3 } });

    expect(judgeFeedRow(item, row(2), feed, undefined, 'live')).toEqual({
      status: 'rejected',
      reason: 'onHand 2 is below the 3 unit(s) currently reserved in us-east',
    });
    expect(judgeFeedRow(item, row(3), feed, undefined, 'live')).toBe('write');
  });

  it('writes nothing for a count the warehouse already has', () => {
    const item = stockItem({ 'us-east': { onHand: 7 } });

    expect(judgeFeedRow(item, row(7), feed, undefined, 'live')).toEqual({ status: 'unchanged' });
  });

  it('leaves a warehouse alone that a newer feed has set', () => {
    const item = stockItem({ 'us-east': { onHand: 1, feedAt: 2_001, feedId: 'f-3' } });

    expect(judgeFeedRow(item, row(7), feed, undefined, 'live')).toEqual({
      status: 'unchanged',
      reason: 'us-east was set by a newer feed since',
    });
  });

  it('lets a live re-send of the same feed set the warehouse again', () => {
    const item = stockItem({ 'us-east': { onHand: 1, feedAt: 2_000, feedId: 'f-2' } });

    expect(judgeFeedRow(item, row(7), feed, undefined, 'live')).toBe('write');
  });

  it('in reconciliation, never re-applies over what this same feed already set (a later sale stays sold)', () => {
    const item = stockItem({ 'us-east': { onHand: 1, feedAt: 2_000, feedId: 'f-2' } });

    expect(judgeFeedRow(item, row(7), feed, undefined, 'reconcile')).toEqual({
      status: 'unchanged',
      reason: 'us-east was set by this feed since',
    });
  });

  it('in reconciliation, applies over a warehouse an older feed set', () => {
    const item = stockItem({ 'us-east': { onHand: 1, feedAt: 1_999, feedId: 'f-1' } });

    expect(judgeFeedRow(item, row(7), feed, undefined, 'reconcile')).toBe('write');
  });

  it('asks the sender to send a row again when its SKU kept changing under every attempt', () => {
    expect(keptChanging('SKU-1')).toEqual({
      status: 'rejected',
      reason: 'SKU-1 kept changing; send the row again',
      retry: true,
    });
  });
});
