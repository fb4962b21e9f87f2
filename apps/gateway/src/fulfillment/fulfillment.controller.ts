import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FulfillmentCaller } from '@mercato/contracts';
import { problem, RequestCorrelationId } from '@mercato/runtime';
import { CurrentPartner, PartnerAuthenticated, type PartnerPrincipal } from '../auth';
import { NoStore } from '../common/no-store';
import { ProblemDetailsDto } from '../common/problem-details.dto';
import { problemExamples } from '../common/problem-examples';
import { OrderIdParamDto, ReturnViewDto } from '../orders/orders.dto';
import {
  ReturnIdParamDto,
  WarehouseEventRequestDto,
  WarehouseEventResultDto,
} from './fulfillment.dto';
import { FulfillmentGatewayService } from './fulfillment.service';

/**
 * Who the order service is told acted: the key (and the warehouse it is bound to, which limits
 * it to that warehouse's shipments) or the admin. Only admins' tokens pass the guard here.
 */
export function fulfillmentCaller(partner: PartnerPrincipal): FulfillmentCaller {
  if (partner.via === 'api-key') {
    return {
      kind: 'partner',
      id: partner.apiKeyId,
      ...(partner.warehouseId ? { warehouseId: partner.warehouseId } : {}),
    };
  }
  return { kind: 'admin', id: partner.sellerId };
}

const invalidExample = (field: string, message: string) => ({
  summary: `a malformed ${field}`,
  value: problem(400, `Invalid request: ${field}`, {
    code: 'INVALID_REQUEST',
    errors: [{ field, message }],
  }),
});

/**
 * Warehouse systems report their progress and receive returns (docs/api.md, "Partners and
 * operations"). A key with the `fulfillment` scope or an admin's token; never a seller's: a
 * seller does not run the warehouses.
 */
@ApiTags('Fulfillment')
@PartnerAuthenticated('fulfillment', { tokenRoles: ['admin'] })
@NoStore()
@Controller('v1/fulfillment')
export class FulfillmentController {
  constructor(private readonly fulfillment: FulfillmentGatewayService) {}

  @Post(':orderId/events')
  @HttpCode(200)
  @ApiOperation({
    summary: 'A warehouse event of one shipment: picked, packed, shipped or delivered',
    description:
      'Steps go forward only (an event for a step the shipment has passed changes nothing). ' +
      '`shipped` may carry the carrier’s tracking number and captures the shipment’s share of ' +
      'the payment; `delivered` starts the return window. A repeated `eventId` with the same ' +
      'body changes nothing and answers as the first time. A key bound to a warehouse may only ' +
      'report that warehouse’s shipments.',
  })
  @ApiBody({ type: WarehouseEventRequestDto })
  @ApiOkResponse({
    type: WarehouseEventResultDto,
    description: 'The shipment’s and the order’s status right after the event first applied',
  })
  @ApiBadRequestResponse({
    type: ProblemDetailsDto,
    description:
      'Invalid body (strict: an unknown field is refused) or order id: e.g. a tracking number ' +
      'that is not 6–40 letters, digits and dashes, or an `occurredAt` without a UTC offset. ' +
      '`OCCURRED_AT_IN_FUTURE`: `occurredAt` more than 5 minutes ahead of the server',
    examples: {
      trackingNumber: invalidExample('trackingNumber', 'Use 6–40 letters, digits and dashes'),
      occurredAt: invalidExample('occurredAt', 'Invalid ISO datetime'),
      ...problemExamples(400, {
        OCCURRED_AT_IN_FUTURE: { detail: 'occurredAt 2031-01-01T00:00:00Z is in the future' },
      }),
    },
  })
  @ApiNotFoundResponse({
    type: ProblemDetailsDto,
    description:
      '`ORDER_NOT_FOUND`: no such order. `SHIPMENT_NOT_FOUND`: the order has no such shipment, ' +
      'or it is another warehouse’s and the key is bound to one',
    examples: problemExamples(404, {
      ORDER_NOT_FOUND: { detail: 'No order o-5b1f0c9e7d2a4c31' },
      SHIPMENT_NOT_FOUND: { detail: 'Order o-5b1f0c9e7d2a4c31 has no shipment sh-us-east-1' },
    }),
  })
  @ApiConflictResponse({
    type: ProblemDetailsDto,
    description:
      '`SHIPMENT_CANCELLED`: the shipment was cancelled (do not ship it). ' +
      '`ORDER_NOT_FULFILLING`: the order has no shipments yet (pending, on hold or failed). ' +
      '`ORDER_VERSION_CONFLICT`: too many concurrent changes; retry',
    examples: problemExamples(409, {
      SHIPMENT_CANCELLED: { detail: 'Shipment sh-us-east-1 was cancelled' },
      ORDER_NOT_FULFILLING: { detail: 'Order o-5b1f0c9e7d2a4c31 is on_hold: nothing to fulfil' },
      ORDER_VERSION_CONFLICT: { detail: 'Order o-5b1f0c9e7d2a4c31 changed meanwhile; retry' },
    }),
  })
  @ApiUnprocessableEntityResponse({
    type: ProblemDetailsDto,
    description: '`EVENT_ID_REUSED`: this `eventId` was sent before with another body',
    example: problem(422, 'Event wh-us-east-20261207-000123 was sent with another body', {
      code: 'EVENT_ID_REUSED',
    }),
  })
  recordEvent(
    @Param() { orderId }: OrderIdParamDto,
    @Body() body: WarehouseEventRequestDto,
    @CurrentPartner() partner: PartnerPrincipal,
    @RequestCorrelationId() correlationId: string,
  ): Promise<WarehouseEventResultDto> {
    return this.fulfillment.recordEvent(
      { ...body, orderId, caller: fulfillmentCaller(partner) },
      correlationId,
    );
  }

  @Post(':orderId/returns/:returnId/receive')
  @HttpCode(200)
  @ApiOperation({
    summary: 'The returned units arrived: resellable ones back to stock, then the refund',
    description:
      'Resellable units go back to the shipment’s warehouse, damaged ones are written off, and ' +
      'the refund follows. Receiving twice answers the same.',
  })
  @ApiOkResponse({ type: ReturnViewDto, description: 'The return, `received` (or `refunded`)' })
  @ApiBadRequestResponse({ type: ProblemDetailsDto, description: 'A malformed order or return id' })
  @ApiNotFoundResponse({
    type: ProblemDetailsDto,
    description:
      '`ORDER_NOT_FOUND`: no such order. `RETURN_NOT_FOUND`: the order has no such return',
    examples: problemExamples(404, {
      ORDER_NOT_FOUND: { detail: 'No order o-5b1f0c9e7d2a4c31' },
      RETURN_NOT_FOUND: { detail: 'Order o-5b1f0c9e7d2a4c31 has no return r-7c2e9a41' },
    }),
  })
  receiveReturn(
    @Param() { orderId, returnId }: ReturnIdParamDto,
    @CurrentPartner() partner: PartnerPrincipal,
    @RequestCorrelationId() correlationId: string,
  ): Promise<ReturnViewDto> {
    return this.fulfillment.receiveReturn(
      { orderId, returnId, caller: fulfillmentCaller(partner) },
      correlationId,
    );
  }
}
