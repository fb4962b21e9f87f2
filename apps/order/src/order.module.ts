import { Module } from '@nestjs/common';

/**
 * The order service: checkout, payments, fraud scoring, the event-sourced order saga and fulfilment.
 * Its domain arrives with its roadmap issue (ARCHITECTURE.md, "Roadmap"); until then the app
 * runs with the shared engines, health and metrics so the seven-process topology is real.
 */
@Module({})
export class OrderModule {}
