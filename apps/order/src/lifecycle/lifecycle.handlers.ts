import { Injectable } from '@nestjs/common';
import {
  CancelOrder,
  OrderChanged,
  ReceiveReturn,
  RecordWarehouseEvent,
  RequestReturn,
  type EventData,
  type RequestOf,
  type ResponseOf,
} from '@mercato/contracts';
import { OnEvent, OnRequest } from '@mercato/messaging';
import { LifecycleService } from './lifecycle.service';
import { LifecycleWorker } from './lifecycle-worker';
import { WORK_TRIGGERS } from './lifecycle-work';

/** Bus handlers of the order lifecycle: translate only. */
@Injectable()
export class LifecycleHandlers {
  constructor(
    private readonly lifecycle: LifecycleService,
    private readonly worker: LifecycleWorker,
  ) {}

  @OnRequest(RecordWarehouseEvent)
  recordWarehouseEvent(
    request: RequestOf<typeof RecordWarehouseEvent>,
  ): Promise<ResponseOf<typeof RecordWarehouseEvent>> {
    return this.lifecycle.recordWarehouseEvent(request);
  }

  @OnRequest(CancelOrder)
  cancel(request: RequestOf<typeof CancelOrder>): Promise<ResponseOf<typeof CancelOrder>> {
    return this.lifecycle.cancel(request);
  }

  @OnRequest(RequestReturn)
  requestReturn(
    request: RequestOf<typeof RequestReturn>,
  ): Promise<ResponseOf<typeof RequestReturn>> {
    return this.lifecycle.requestReturn(request);
  }

  @OnRequest(ReceiveReturn)
  receiveReturn(
    request: RequestOf<typeof ReceiveReturn>,
  ): Promise<ResponseOf<typeof ReceiveReturn>> {
    return this.lifecycle.receiveReturn(request);
  }

  /** Every change of an order may leave work (a capture, a restock, a refund): run it. */
  @OnEvent(OrderChanged, { group: 'order-lifecycle' })
  async orderChanged(event: EventData<typeof OrderChanged>): Promise<void> {
    if (WORK_TRIGGERS.has(event.type)) await this.worker.advance(event.orderId);
  }
}
