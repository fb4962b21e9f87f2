import { Injectable } from '@nestjs/common';

/** The time analytics read (the UTC day of a search, retention); tests move it instead of sleeping. */
@Injectable()
export class SearchAnalyticsClock {
  now(): number {
    return Date.now();
  }
}
