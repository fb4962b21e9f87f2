import { Body, Controller, Headers, HttpCode, Post, UseFilters, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiExtraModels,
  ApiHeader,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiSecurity,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { MAX_EVENTS_PER_BATCH, type Region } from '@mercato/contracts';
import { problem, RequestCorrelationId } from '@mercato/runtime';
import { OptionalAuthGuard, OptionalCurrentUser, type AuthenticatedUser } from '../auth';
import { NoStore } from '../common/no-store';
import { ProblemDetailsDto } from '../common/problem-details.dto';
import { problemExamples } from '../common/problem-examples';
import { RequestRegion } from '../common/region.decorator';
import { EVENTS_BODY_LIMIT_BYTES } from './events-body-limit';
import {
  BATCH_EXAMPLE,
  EventsAnswerDto,
  eventsBodyOpenApi,
  InteractionEventDto,
  PAGE_VIEW_EXAMPLE,
} from './events.dto';
import { EventsExceptionFilter } from './events.exception';
import { EventsGatewayService } from './events.service';
import { DEVICE_ID_HEADER, EventsErrorCode } from './interaction.rules';

/** Interaction tracking (docs/api.md, "Search and discovery"): the stream personalisation learns from. */
@ApiTags('Events')
@UseGuards(OptionalAuthGuard)
@UseFilters(EventsExceptionFilter)
// A customer's token makes the customer the shopper; without one the device is.
@ApiBearerAuth()
@ApiSecurity({})
@Controller('v1/events')
export class EventsController {
  constructor(private readonly events: EventsGatewayService) {}

  @Post()
  @HttpCode(202)
  @NoStore()
  @ApiOperation({
    summary: 'Record what a shopper did: one event, or a batch of up to 100',
    description:
      'Types: `page_view` (productId, dwellMs), `search` (query, resultCount), `search_click` ' +
      '(productId, queryId), `recommendation_click` (productId, list, experimentId, variant), ' +
      '`add_to_cart` and `purchase` (productId, quantity). `occurredAt` (ISO 8601 with an ' +
      'offset; the server’s time when absent) may be at most 5 minutes ahead of the server and ' +
      '7 days behind it; the product must exist in the request’s region. 202 once every ' +
      'accepted event is handed to the bus. One event is accepted or refused (400); in a batch ' +
      'each event gets its own result and only the accepted ones are handed on — a batch ' +
      'whose every event is refused is still 202. The body is at most 256 KB.',
  })
  @ApiHeader({
    name: 'X-Device-Id',
    required: false,
    description:
      'The shopper’s device (1 to 128 letters, digits, `.`, `_`, `-`): required without a ' +
      'customer’s token; with one, it links the device’s history to the customer.',
    schema: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,128}$' },
  })
  @ApiHeader({
    name: 'X-Region',
    required: false,
    description: 'The region of the events: us, eu, ap. Default: the customer’s region, else us.',
    schema: { type: 'string', enum: ['us', 'eu', 'ap'], default: 'us' },
  })
  @ApiExtraModels(InteractionEventDto)
  @ApiBody({
    schema: eventsBodyOpenApi(getSchemaPath(InteractionEventDto)),
    examples: {
      single: { summary: 'One event', value: PAGE_VIEW_EXAMPLE },
      batch: { summary: 'A batch', value: BATCH_EXAMPLE },
    },
  })
  @ApiAcceptedResponse({
    type: EventsAnswerDto,
    description: 'Handed to the bus; in a batch, one result per event',
    examples: {
      single: {
        summary: 'One event',
        value: {
          accepted: 1,
          rejected: 0,
          results: [
            { index: 0, status: 'accepted', eventId: '0b6f1d2e-3c4a-4f5b-9e8d-7a6b5c4d3e2f' },
          ],
        },
      },
      batch: {
        summary: 'A batch with a refused event',
        value: {
          accepted: 1,
          rejected: 1,
          results: [
            { index: 0, status: 'accepted', eventId: '0b6f1d2e-3c4a-4f5b-9e8d-7a6b5c4d3e2f' },
            {
              index: 1,
              status: 'rejected',
              code: EventsErrorCode.UnknownProduct,
              message: 'No product p-999999',
            },
          ],
        },
      },
    },
  })
  @ApiBadRequestResponse({
    type: ProblemDetailsDto,
    description:
      'One event that is refused (`INVALID_EVENT`: the schema, an unknown field or type; ' +
      '`MISSING_FIELD`: a field its type needs; `OCCURRED_AT_IN_FUTURE`, `OCCURRED_AT_TOO_OLD`; ' +
      '`UNKNOWN_PRODUCT`), an empty batch (`INVALID_REQUEST`), a batch over ' +
      `${MAX_EVENTS_PER_BATCH} events (\`BATCH_TOO_LARGE\`), no shopper ` +
      '(`DEVICE_ID_REQUIRED`), a malformed `X-Device-Id` (`INVALID_DEVICE_ID`) or an unknown ' +
      '`X-Region` (`UNKNOWN_REGION`). Nothing is handed on.',
    examples: problemExamples(400, {
      [EventsErrorCode.InvalidEvent]: {
        detail: 'Invalid event: colour',
        errors: [{ field: 'colour', message: 'Unknown field' }],
      },
      [EventsErrorCode.MissingField]: {
        detail: 'A search event needs query',
        errors: [{ field: 'query', message: 'required for search' }],
      },
      [EventsErrorCode.UnknownProduct]: {
        detail: 'No product p-999999',
        errors: [{ field: 'productId', message: 'unknown product' }],
      },
      [EventsErrorCode.OccurredAtInFuture]: {
        detail: 'occurredAt is more than 5 minutes ahead of the server',
        errors: [{ field: 'occurredAt', message: 'in the future' }],
      },
      [EventsErrorCode.BatchTooLarge]: {
        detail: 'A batch holds 100 events at most; this one has 101',
        errors: [{ field: '(body)', message: 'at most 100 events' }],
      },
      [EventsErrorCode.DeviceIdRequired]: {
        detail: 'Send X-Device-Id, or a customer’s bearer token: events need a shopper',
        errors: [{ field: 'X-Device-Id', message: 'required without a customer’s token' }],
      },
    }),
  })
  @ApiUnauthorizedResponse({
    type: ProblemDetailsDto,
    description: 'A bearer token was sent but is invalid or expired (no anonymous fallback)',
    example: problem(401, 'The access token is invalid or expired.', { code: 'UNAUTHORIZED' }),
  })
  @ApiPayloadTooLargeResponse({
    type: ProblemDetailsDto,
    description: `The body is over ${EVENTS_BODY_LIMIT_BYTES / 1024} KB`,
    example: problem(413, 'Request body is too large', { code: 'PAYLOAD_TOO_LARGE' }),
  })
  @ApiServiceUnavailableResponse({
    type: ProblemDetailsDto,
    description:
      'The catalog could not say whether a product exists (`PRODUCT_LOOKUP_UNAVAILABLE`) or the ' +
      'events could not be handed to the bus (`EVENTS_UNAVAILABLE`): send them again',
    examples: problemExamples(503, {
      [EventsErrorCode.ProductLookupUnavailable]: {
        detail: 'The catalog could not be asked whether the products exist; send the events again',
      },
      [EventsErrorCode.EventsUnavailable]: {
        detail: 'The events could not be handed on; send them again',
      },
    }),
  })
  receive(
    // Not a DTO: each event is checked on its own, so one bad event does not refuse a batch.
    @Body() body: unknown,
    @OptionalCurrentUser() caller: AuthenticatedUser | undefined,
    @Headers(DEVICE_ID_HEADER) deviceIdHeader: string | undefined,
    @RequestRegion() region: Region,
    @RequestCorrelationId() correlationId: string,
  ): Promise<EventsAnswerDto> {
    return this.events.receive(body, { caller, deviceIdHeader, region, correlationId });
  }
}
