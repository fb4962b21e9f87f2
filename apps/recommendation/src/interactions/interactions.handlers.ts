import { Injectable } from '@nestjs/common';
import {
  CartItemAdded,
  GetShopperHistory,
  InteractionReceived,
  OrderChanged,
  ShopperIdentified,
  type EventData,
  type RequestOf,
  type ResponseOf,
} from '@mercato/contracts';
import { OnEvent, OnRequest } from '@mercato/messaging';
import { fromCartAdd, fromClientEvent, fromOrderChange } from './interactions.rules';
import { InteractionsService } from './interactions.service';

const GROUP = { group: 'recommendation' };

/** Bus handlers of the interaction stream: translate only. */
@Injectable()
export class InteractionsHandlers {
  constructor(private readonly interactions: InteractionsService) {}

  @OnEvent(InteractionReceived, GROUP)
  async received(event: EventData<typeof InteractionReceived>): Promise<void> {
    await this.interactions.record([fromClientEvent(event)]);
  }

  @OnEvent(CartItemAdded, GROUP)
  async cartItemAdded(event: EventData<typeof CartItemAdded>): Promise<void> {
    const interaction = fromCartAdd(event);
    if (interaction) await this.interactions.record([interaction]);
  }

  @OnEvent(OrderChanged, GROUP)
  async orderChanged(event: EventData<typeof OrderChanged>): Promise<void> {
    await this.interactions.record(fromOrderChange(event));
  }

  @OnEvent(ShopperIdentified, GROUP)
  async shopperIdentified(event: EventData<typeof ShopperIdentified>): Promise<void> {
    await this.interactions.link(event.deviceId, event.customerId, event.occurredAt);
  }

  @OnRequest(GetShopperHistory)
  async history(
    request: RequestOf<typeof GetShopperHistory>,
  ): Promise<ResponseOf<typeof GetShopperHistory>> {
    return { items: await this.interactions.history(request.shopper, request.limit) };
  }
}
