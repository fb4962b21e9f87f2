import { defineEvent, type EventContract } from '@mercato/contracts';
import { z } from 'zod';

/**
 * The event of the consumer-crash fault test: one fact per (key, seq), published in seq order per
 * key. A fresh topic per run (`test.fault<run>.applied.v1`), so no earlier run's records are read.
 */
export const faultEventSchema = z.object({ key: z.string(), seq: z.number().int().nonnegative() });

export type FaultEventContract = EventContract<typeof faultEventSchema>;

/** `run` is lower-case letters only: contract types allow no digits. */
export function faultEvent(run: string): FaultEventContract {
  return defineEvent({
    type: `test.fault${run}.applied`,
    version: 1,
    owner: 'catalog',
    schema: faultEventSchema,
  });
}

/** One line a consumer program writes on stdout (JSON), read by the test. */
export type ConsumerReport =
  | { kind: 'ready'; pid: number }
  | { kind: 'applied'; id: string; key: string; seq: number }
  | { kind: 'refused'; id: string; key: string; seq: number }
  | { kind: 'error'; message: string };

/** What the test passes to the consumer program (environment variables). */
export interface ConsumerSettings {
  FAULT_RUN: string;
  FAULT_GROUP: string;
  FAULT_TABLE: string;
  FAULT_GENERATION: string;
  FAULT_DELAY_MS: string;
  KAFKA_BROKERS: string;
  DYNAMODB_ENDPOINT: string;
}
