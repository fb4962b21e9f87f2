import { Injectable } from '@nestjs/common';

export interface DependencyStatus {
  up: boolean;
  detail: string;
}

export type DependencyCheck = () => Promise<DependencyStatus>;

/**
 * The dependencies whose health decides readiness. Whoever creates an adapter registers its
 * check here (the bus, DynamoDB, later Redis and OpenSearch), so /health/ready checks exactly
 * what this process uses.
 */
@Injectable()
export class HealthRegistry {
  private readonly checks = new Map<string, DependencyCheck>();

  register(name: string, check: DependencyCheck): void {
    this.checks.set(name, check);
  }

  entries(): [string, DependencyCheck][] {
    return [...this.checks.entries()];
  }
}
