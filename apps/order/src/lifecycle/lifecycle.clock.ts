import { Injectable } from '@nestjs/common';

/** The time the lifecycle reads (event times, timeouts, the return window): tests move it. */
@Injectable()
export class LifecycleClock {
  now(): number {
    return Date.now();
  }

  iso(): string {
    return new Date(this.now()).toISOString();
  }
}
