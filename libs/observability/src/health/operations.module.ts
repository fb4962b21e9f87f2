import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthRegistry } from './health-registry';
import { OperationsController } from './operations.controller';
import { collectProcessMetrics } from '../process-metrics';

/**
 * Adds /health/live, /health/ready and /metrics (with Node's process metrics) to the app, and the
 * HealthRegistry.
 */
@Global()
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [OperationsController],
  providers: [HealthRegistry],
  exports: [HealthRegistry],
})
export class OperationsModule {
  constructor() {
    collectProcessMetrics();
  }
}
