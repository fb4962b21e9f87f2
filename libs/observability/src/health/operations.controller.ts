import {
  Controller,
  Get,
  Header,
  HttpStatus,
  Logger,
  Res,
  ServiceUnavailableException,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import {
  HealthCheckService,
  HealthIndicatorService,
  type HealthCheckResult,
} from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { register } from 'prom-client';
import { HealthRegistry } from './health-registry';
import { withoutAddresses } from './without-addresses';

const CHECK_TIMEOUT_MS = 2_000;

/** Liveness, readiness and Prometheus metrics: the operational routes every app serves. */
@ApiExcludeController()
@Controller()
export class OperationsController {
  private readonly logger = new Logger('Readiness');
  /** The last full detail logged per dependency that was down (a change is logged again). */
  private readonly lastDown = new Map<string, string>();

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly registry: HealthRegistry,
  ) {}

  /** The process is alive and its event loop answers; says nothing about dependencies. */
  @Get('health/live')
  live(): HealthCheckResult {
    return { status: 'ok', info: {}, error: {}, details: {} };
  }

  /**
   * Ready when every registered dependency answers; 503 names the ones that do not. The body
   * says what is down and why without any address (no URL, host or port: anyone who can reach
   * the port can read it); the full detail is logged when a dependency goes down or its reason
   * changes, and again when it is back.
   */
  @Get('health/ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    const checks = this.registry.entries().map(([name, check]) => async () => {
      const session = this.indicators.check(name);
      const status = await withTimeout(check(), CHECK_TIMEOUT_MS, name);
      this.logTransition(name, status);
      const detail = withoutAddresses(status.detail);
      return status.up ? session.up({ detail }) : session.down({ detail });
    });
    try {
      return await this.health.check(checks);
    } catch (error) {
      if (error instanceof ServiceUnavailableException) {
        reply.status(HttpStatus.SERVICE_UNAVAILABLE);
        return error.getResponse() as HealthCheckResult;
      }
      throw error;
    }
  }

  private logTransition(name: string, status: { up: boolean; detail: string }): void {
    const before = this.lastDown.get(name);
    if (!status.up && before !== status.detail) {
      this.lastDown.set(name, status.detail);
      this.logger.warn(`${name} is not ready: ${status.detail}`);
    } else if (status.up && before !== undefined) {
      this.lastDown.delete(name);
      this.logger.log(`${name} is ready again: ${status.detail}`);
    }
  }

  @Get('metrics')
  @Header('Content-Type', register.contentType)
  metrics(): Promise<string> {
    return register.metrics();
  }
}

async function withTimeout<T extends { up: boolean; detail: string }>(
  promise: Promise<T>,
  ms: number,
  name: string,
): Promise<{ up: boolean; detail: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ up: boolean; detail: string }>((resolve) => {
    timer = setTimeout(
      () => resolve({ up: false, detail: `${name} did not answer within ${ms} ms` }),
      ms,
    );
  });
  try {
    return await Promise.race([
      promise.catch((error: Error) => ({ up: false, detail: `${name}: ${error.message}` })),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
