import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  InteractionReceived,
  shopperKeyOf,
  type EventData,
  type Region,
  type Shopper,
} from '@mercato/contracts';
import { MessageBus } from '@mercato/messaging';
import type { AuthenticatedUser } from '../auth';
import { EventsException } from './events.exception';
import { ProductExistence } from './product-existence';
import {
  checkInteraction,
  eventsOf,
  EventsErrorCode,
  isDeviceId,
  shopperOf,
  unknownProduct,
  type EventCheck,
  type EventRefusal,
} from './interaction.rules';

/** Who sent a `POST /v1/events`, from where, under which correlation id. */
export interface EventsCall {
  caller: AuthenticatedUser | undefined;
  deviceIdHeader: string | undefined;
  region: Region;
  correlationId: string;
}

export type EventResult =
  | { index: number; status: 'accepted'; eventId: string }
  | { index: number; status: 'rejected'; code: string; message: string };

export interface EventsAnswer {
  accepted: number;
  rejected: number;
  results: EventResult[];
}

/**
 * The interaction stream's door (docs/api.md, `POST /v1/events`): checks each event, then
 * hands the accepted ones to the bus as `InteractionReceived`, keyed by shopper so one
 * shopper's history stays in order, before answering.
 */
@Injectable()
export class EventsGatewayService {
  constructor(
    private readonly bus: MessageBus,
    private readonly products: ProductExistence,
  ) {}

  async receive(body: unknown, call: EventsCall): Promise<EventsAnswer> {
    const { shopper, deviceId } = this.shopperOf(call);
    const listed = eventsOf(body);
    if ('refusal' in listed) throw refusedWith(listed.refusal);

    const nowMs = Date.now();
    const checks = await this.checkProducts(
      listed.events.map((raw) => checkInteraction(raw, nowMs)),
      call,
    );
    // One event alone is answered by its refusal: there is no batch to report it in.
    if (!listed.batch && !checks[0].ok) throw refusedWith(checks[0].refusal);

    const receivedAt = new Date(nowMs).toISOString();
    const handedOn: Received[] = [];
    const results = checks.map((check, index): EventResult => {
      if (!check.ok) {
        const { code, message } = check.refusal;
        return { index, status: 'rejected', code, message };
      }
      const eventId = randomUUID();
      handedOn.push({
        ...check.event,
        eventId,
        shopper,
        ...(deviceId === undefined ? {} : { deviceId }),
        region: call.region,
        occurredAt: check.occurredAt,
        receivedAt,
      });
      return { index, status: 'accepted', eventId };
    });
    await this.publish(handedOn, shopper, call.correlationId);
    return { accepted: handedOn.length, rejected: results.length - handedOn.length, results };
  }

  private shopperOf({ caller, deviceIdHeader }: EventsCall): {
    shopper: Shopper;
    deviceId: string | undefined;
  } {
    if (deviceIdHeader !== undefined && !isDeviceId(deviceIdHeader)) {
      throw new EventsException(
        EventsErrorCode.InvalidDeviceId,
        'X-Device-Id must be 1 to 128 letters, digits, dots, underscores or dashes',
        [{ field: 'X-Device-Id', message: 'invalid device id' }],
      );
    }
    const shopper = shopperOf(caller, deviceIdHeader);
    if (!shopper) {
      throw new EventsException(
        EventsErrorCode.DeviceIdRequired,
        'Send X-Device-Id, or a customer’s bearer token: events need a shopper',
        [{ field: 'X-Device-Id', message: 'required without a customer’s token' }],
      );
    }
    return { shopper, deviceId: deviceIdHeader };
  }

  /** The checks with every event of an unknown product refused (each product asked once). */
  private async checkProducts(checks: EventCheck[], call: EventsCall): Promise<EventCheck[]> {
    const ids = checks.flatMap((check) =>
      check.ok && check.event.productId !== undefined ? [check.event.productId] : [],
    );
    if (ids.length === 0) return checks;
    const unknown = await this.products.unknownAmong(ids, call.region, call.correlationId);
    return checks.map((check) =>
      check.ok && check.event.productId !== undefined && unknown.has(check.event.productId)
        ? { ok: false, refusal: unknownProduct(check.event.productId) }
        : check,
    );
  }

  /**
   * "202 once handed to the bus": every accepted event is published before the answer. Sent
   * together, they still leave in body order under the one key (the bus keeps send order).
   */
  private async publish(events: Received[], shopper: Shopper, correlationId: string) {
    const key = shopperKeyOf(shopper);
    try {
      await Promise.all(
        events.map((event) => this.bus.publish(InteractionReceived, event, { key, correlationId })),
      );
    } catch {
      throw new EventsException(
        EventsErrorCode.EventsUnavailable,
        'The events could not be handed on; send them again',
      );
    }
  }
}

type Received = EventData<typeof InteractionReceived>;

function refusedWith({ code, message, errors }: EventRefusal): EventsException {
  return new EventsException(code, message, errors);
}
