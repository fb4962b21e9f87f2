import { z } from 'zod';

/**
 * Every message on the bus travels in this envelope (docs/architecture.md, "Messaging").
 * `key` decides the partition, so all messages of one aggregate stay in order.
 */
export const envelopeSchema = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  version: z.number().int().positive(),
  occurredAt: z.iso.datetime({ offset: true }),
  key: z.string().min(1),
  correlationId: z.string().min(1),
  causationId: z.string().nullable(),
  data: z.unknown(),
});

export interface Envelope<T = unknown> {
  id: string;
  type: string;
  version: number;
  occurredAt: string;
  key: string;
  correlationId: string;
  causationId: string | null;
  data: T;
}
