import { Injectable } from '@nestjs/common';

/** The time the sales signals are computed at: tests set the day, never wait for one. */
@Injectable()
export class SalesClock {
  now(): number {
    return Date.now();
  }
}
