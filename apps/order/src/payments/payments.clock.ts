import { Injectable } from '@nestjs/common';

/**
 * The time the embedded provider reads (authorisation expiry, idempotency leases) and the wait
 * behind `tok_slow`. A provider of its own so tests move time and release waits instead of
 * sleeping.
 */
@Injectable()
export class PaymentsClock {
  now(): number {
    return Date.now();
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
}
