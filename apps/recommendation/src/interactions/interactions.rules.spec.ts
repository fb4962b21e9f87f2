import type { EventData, InteractionReceived } from '@mercato/contracts';
import {
  capMinuteOf,
  expiresAtOf,
  fromClientEvent,
  interactionAt,
  interactionAtOrBefore,
  newestFirst,
  type InteractionView,
} from './interactions.rules';

const view = (eventId: string, occurredAt: string): InteractionView => ({
  eventId,
  type: 'page_view',
  productId: 'p-1',
  occurredAt,
  region: 'us',
  source: 'client',
});

describe('interaction rules', () => {
  it('keys an interaction by its instant in UTC and its event id', () => {
    expect(interactionAt(view('e1', '2026-12-07T16:30:00.000+01:00'))).toBe(
      '2026-12-07T15:30:00.000Z#e1',
    );
  });

  it('bounds the keys of everything at or before an instant, whatever the event id', () => {
    const until = interactionAtOrBefore('2026-12-07T15:30:00Z');
    expect(interactionAt(view('zzz', '2026-12-07T15:30:00Z')) <= until).toBe(true);
    expect(interactionAt(view('a', '2026-12-07T15:30:00.001Z')) <= until).toBe(false);
  });

  it('expires an interaction the retention days after it happened', () => {
    expect(expiresAtOf('1970-01-02T00:00:00Z', 2)).toBe(86_400 + 2 * 86_400);
  });

  it("caps a client's event in the minute the gateway received it, not the one it claims", () => {
    const event: EventData<typeof InteractionReceived> = {
      eventId: 'e1',
      type: 'page_view',
      productId: 'p-1',
      shopper: { kind: 'device', id: 'd-1' },
      deviceId: 'd-1',
      region: 'us',
      occurredAt: '2026-12-01T00:00:00Z',
      receivedAt: '1970-01-01T00:02:30Z',
    };
    const interaction = fromClientEvent(event);
    expect(capMinuteOf(interaction)).toBe(2);
    expect(interaction).toEqual({
      shopperKey: 'device:d-1',
      view: {
        eventId: 'e1',
        type: 'page_view',
        productId: 'p-1',
        region: 'us',
        occurredAt: '2026-12-01T00:00:00Z',
        source: 'client',
      },
      countedAt: '1970-01-01T00:02:30Z',
    });
  });

  it('merges histories newest first, up to the limit', () => {
    const a = [view('a2', '2026-12-07T15:00:02Z'), view('a1', '2026-12-07T15:00:00Z')];
    const b = [view('b1', '2026-12-07T16:00:01+01:00')];
    expect(newestFirst([a, b], 2).map((v) => v.eventId)).toEqual(['a2', 'b1']);
    expect(newestFirst([a, b], 10).map((v) => v.eventId)).toEqual(['a2', 'b1', 'a1']);
  });
});
