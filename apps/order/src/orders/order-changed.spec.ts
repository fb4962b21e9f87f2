import { placedEvent } from '../../test/support/order-events';
import { orderChangedMessages } from './order-changed';

describe('orderChangedMessages', () => {
  it('gives the lines to the events that make an order a sale, confirmed or approved after review', () => {
    const placed = placedEvent('order-1');
    const at = (version: number) => ({
      orderId: 'order-1',
      version,
      occurredAt: '2026-01-01T10:00:05.000Z',
      actor: { kind: 'system' as const },
    });
    const messages = orderChangedMessages(undefined, [
      placed,
      { ...at(2), type: 'put_on_hold', data: { reason: 'review' } },
      { ...at(3), type: 'approved', data: {} },
    ]);
    expect(messages.map((m) => [m.type, m.status, m.lines?.length])).toEqual([
      ['placed', 'pending', 2],
      ['put_on_hold', 'on_hold', undefined],
      ['approved', 'confirmed', 2],
    ]);
  });
});
