import { interactionInputSchema, MAX_EVENTS_PER_BATCH } from '@mercato/contracts';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

const PRODUCT_ID = 'p-000042';
const EVENT_ID = '0b6f1d2e-3c4a-4f5b-9e8d-7a6b5c4d3e2f';

export const PAGE_VIEW_EXAMPLE = {
  type: 'page_view',
  productId: PRODUCT_ID,
  dwellMs: 8200,
} as const;

export const BATCH_EXAMPLE = [
  { type: 'search', query: 'laptop', resultCount: 42 },
  { type: 'search_click', productId: PRODUCT_ID, queryId: 'q-1' },
  {
    type: 'recommendation_click',
    productId: 'p-000077',
    list: 'similar',
    experimentId: 'exp-blend',
    variant: 'b',
  },
  { type: 'add_to_cart', productId: PRODUCT_ID, quantity: 1 },
] as const;

/** One event as a client sends it (the body is one of these, or an array of them). */
export const interactionEventSchema = interactionInputSchema.meta({ example: PAGE_VIEW_EXAMPLE });
export class InteractionEventDto extends createZodDto(interactionEventSchema) {}

/**
 * The documented body, for `@ApiBody({ schema })`: one event, or an array of
 * 1..MAX_EVENTS_PER_BATCH. Documentation only: the route checks each event itself, so one bad
 * event of a batch does not refuse the rest.
 */
export const eventsBodyOpenApi = (eventRef: string) => ({
  examples: [PAGE_VIEW_EXAMPLE, BATCH_EXAMPLE],
  oneOf: [
    { $ref: eventRef },
    { type: 'array', items: { $ref: eventRef }, minItems: 1, maxItems: MAX_EVENTS_PER_BATCH },
  ],
});

const eventResultSchema = z.union([
  z.object({
    index: z.number().int().describe('The event’s position in the body (0 for one event)'),
    status: z.literal('accepted'),
    eventId: z.string().describe('The id the event travels under'),
  }),
  z.object({
    index: z.number().int(),
    status: z.literal('rejected'),
    code: z.string().describe('Why: INVALID_EVENT, MISSING_FIELD, UNKNOWN_PRODUCT…'),
    message: z.string(),
  }),
]);

export const eventsAnswerSchema = z
  .object({
    accepted: z.number().int().describe('Events handed on'),
    rejected: z.number().int().describe('Events refused (always 0 for one event)'),
    results: z.array(eventResultSchema).describe('One per event, in body order'),
  })
  .meta({
    example: {
      accepted: 1,
      rejected: 0,
      results: [{ index: 0, status: 'accepted', eventId: EVENT_ID }],
    },
  });
export class EventsAnswerDto extends createZodDto(eventsAnswerSchema) {}
