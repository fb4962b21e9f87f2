import { Injectable } from '@nestjs/common';
import {
  CommitReservation,
  ReleaseReservation,
  ReserveStock,
  type RequestOf,
  type ResponseOf,
} from '@mercato/contracts';
import { OnRequest } from '@mercato/messaging';
import { ReservationsService } from './reservations.service';

/** Bus handlers of reservations: translate only. */
@Injectable()
export class ReservationsHandlers {
  constructor(private readonly reservations: ReservationsService) {}

  @OnRequest(ReserveStock)
  reserve(request: RequestOf<typeof ReserveStock>): Promise<ResponseOf<typeof ReserveStock>> {
    return this.reservations.reserve(request);
  }

  @OnRequest(CommitReservation)
  commit(
    request: RequestOf<typeof CommitReservation>,
  ): Promise<ResponseOf<typeof CommitReservation>> {
    return this.reservations.commit(request);
  }

  @OnRequest(ReleaseReservation)
  release(
    request: RequestOf<typeof ReleaseReservation>,
  ): Promise<ResponseOf<typeof ReleaseReservation>> {
    return this.reservations.release(request);
  }
}
