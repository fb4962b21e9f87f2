import { Injectable } from '@nestjs/common';

/** The time checkout and its recovery read (leases, event times): tests move it, never sleep. */
@Injectable()
export class CheckoutClock {
  now(): number {
    return Date.now();
  }

  iso(): string {
    return new Date(this.now()).toISOString();
  }
}
