import { Injectable } from '@nestjs/common';

/**
 * The search app's time: the UTC day of a search or a sale, the windows of the sales signals,
 * analytics retention. Tests set it instead of waiting for a day to pass.
 */
@Injectable()
export class SearchClock {
  now(): number {
    return Date.now();
  }
}
