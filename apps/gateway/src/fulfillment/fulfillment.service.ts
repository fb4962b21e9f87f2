import { Injectable } from '@nestjs/common';
import { ReceiveReturn, RecordWarehouseEvent, type RequestOf } from '@mercato/contracts';
import { MessageBus } from '@mercato/messaging';

/**
 * The gateway's side of the warehouses' commands: one bus request per route, keyed by the
 * order so they stay in order with its other changes.
 */
@Injectable()
export class FulfillmentGatewayService {
  constructor(private readonly bus: MessageBus) {}

  recordEvent(command: RequestOf<typeof RecordWarehouseEvent>, correlationId: string) {
    return this.bus.request(RecordWarehouseEvent, command, { key: command.orderId, correlationId });
  }

  receiveReturn(command: RequestOf<typeof ReceiveReturn>, correlationId: string) {
    return this.bus.request(ReceiveReturn, command, { key: command.orderId, correlationId });
  }
}
