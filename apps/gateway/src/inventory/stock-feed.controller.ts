import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { RequestCorrelationId } from '@mercato/runtime';
import { ZodValidationPipe } from 'nestjs-zod';
import { CurrentPartner, feedSellerId, PartnerAuthenticated, type PartnerPrincipal } from '../auth';
import { IdempotencyKey, IdempotencyKeyHeader } from '../common/idempotency-key.decorator';
import { ProblemDetailsDto } from '../common/problem-details.dto';
import { WAREHOUSES } from '@mercato/contracts';
import { STOCK_FEED_MAX_ROWS, stockFeedBodySchema, StockFeedResponseDto } from './inventory.dto';
import { InventoryGatewayService } from './inventory.service';

/** The seller and supplier stock feed (docs/api.md, "Partners and operations"). */
@ApiTags('Seller')
@Controller('v1/seller/inventory')
export class StockFeedController {
  constructor(private readonly inventory: InventoryGatewayService) {}

  @Post('feed')
  @HttpCode(200)
  @PartnerAuthenticated('inventory:feed')
  @IdempotencyKeyHeader
  @ApiOperation({
    summary: 'Bulk stock sync: set on-hand counts per SKU and warehouse, with per-row results',
    description:
      'Each row is checked on its own: bad rows are answered `rejected` with a reason and do not ' +
      'stop the others; a row that matches the stored count is `unchanged` and writes nothing, so ' +
      're-sending a feed changes nothing. A seller (API key or token) may only set stock of ' +
      'their own SKUs; an admin token may set any. The feed is kept, and a reconciliation job ' +
      're-applies rows that could not be applied yet (e.g. a SKU created moments later).',
  })
  @ApiBody({
    description: `Feed rows, at most ${STOCK_FEED_MAX_ROWS}; each is checked on its own`,
    schema: {
      type: 'array',
      maxItems: STOCK_FEED_MAX_ROWS,
      items: {
        type: 'object',
        properties: {
          sku: { type: 'string' },
          warehouseId: { type: 'string', enum: [...WAREHOUSES] },
          onHand: { type: 'integer', minimum: 0 },
        },
        required: ['sku', 'warehouseId', 'onHand'],
      },
      example: [
        { sku: 'NOR-000001-1', warehouseId: 'us-east', onHand: 120 },
        { sku: 'NOR-000001-2', warehouseId: 'eu-west', onHand: 0 },
      ],
    },
  })
  @ApiOkResponse({ type: StockFeedResponseDto })
  @ApiBadRequestResponse({ type: ProblemDetailsDto, description: 'Not a JSON array of rows' })
  feed(
    @Body(new ZodValidationPipe(stockFeedBodySchema)) rows: unknown[],
    @CurrentPartner() partner: PartnerPrincipal,
    @IdempotencyKey() key: string | undefined,
    @RequestCorrelationId() correlationId: string,
  ): Promise<StockFeedResponseDto> {
    const caller = feedSellerId(partner);
    const sellerId = partner.isAdmin ? undefined : caller;
    const feedId = key ? `${caller}:${key}` : randomUUID();
    return this.inventory.applyFeed(feedId, sellerId, rows, correlationId);
  }
}
