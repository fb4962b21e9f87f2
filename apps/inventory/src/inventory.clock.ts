import { Injectable } from '@nestjs/common';

/**
 * The time every stock rule reads (hold expiry, record retention, feed order). A provider of its
 * own so tests move time forward instead of sleeping.
 */
@Injectable()
export class InventoryClock {
  now(): number {
    return Date.now();
  }
}
