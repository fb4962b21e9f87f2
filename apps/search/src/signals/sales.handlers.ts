import { Injectable } from '@nestjs/common';
import { OrderChanged, type EventData } from '@mercato/contracts';
import { OnEvent } from '@mercato/messaging';
import { SalesRecorder } from './sales-recorder.service';

/** Order events feed the sales signals: translate only. */
@Injectable()
export class SalesHandlers {
  constructor(private readonly recorder: SalesRecorder) {}

  @OnEvent(OrderChanged, { group: 'search' })
  async orderChanged(event: EventData<typeof OrderChanged>): Promise<void> {
    await this.recorder.recordOrderEvent(event);
  }
}
