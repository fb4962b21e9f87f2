import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { RequestCorrelationId } from '@mercato/runtime';
import { Authenticated } from '../auth';
import { ProblemDetailsDto } from '../common/problem-details.dto';
import { IdempotencyKey, IdempotencyKeyHeader } from '../common/idempotency-key.decorator';
import {
  RestockBodyDto,
  SkuParamDto,
  StockCommandResponseDto,
  TransferBodyDto,
} from './inventory.dto';
import { InventoryGatewayService } from './inventory.service';

/** Admin stock commands (docs/api.md, "Partners and operations"). */
@ApiTags('Admin')
@Authenticated('admin')
@Controller('v1/admin/inventory')
export class AdminInventoryController {
  constructor(private readonly inventory: InventoryGatewayService) {}

  @Post(':sku/restock')
  @HttpCode(200)
  @IdempotencyKeyHeader
  @ApiOperation({
    summary: 'Record a supplier delivery: adds units to a warehouse',
    description: 'The same Idempotency-Key again applies the delivery once.',
  })
  @ApiOkResponse({ type: StockCommandResponseDto, description: 'The SKU’s stock afterwards' })
  @ApiBadRequestResponse({ type: ProblemDetailsDto, description: 'Bad quantity or warehouse' })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: 'Unknown SKU' })
  @ApiConflictResponse({
    type: ProblemDetailsDto,
    description: 'The Idempotency-Key was already used for another command',
  })
  restock(
    @Param() { sku }: SkuParamDto,
    @Body() body: RestockBodyDto,
    @IdempotencyKey() key: string | undefined,
    @RequestCorrelationId() correlationId: string,
  ): Promise<StockCommandResponseDto> {
    return this.inventory.restock(
      { operationId: key ?? randomUUID(), sku, ...body },
      correlationId,
    );
  }

  @Post(':sku/transfer')
  @HttpCode(200)
  @IdempotencyKeyHeader
  @ApiOperation({
    summary: 'Move available units of a SKU between two warehouses',
    description:
      'One atomic write: units leave one warehouse and arrive in the other together, so none ' +
      'is created or lost. The same Idempotency-Key again moves them once.',
  })
  @ApiOkResponse({ type: StockCommandResponseDto, description: 'The SKU’s stock afterwards' })
  @ApiBadRequestResponse({ type: ProblemDetailsDto, description: 'Bad quantity or warehouses' })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: 'Unknown SKU' })
  @ApiConflictResponse({
    type: ProblemDetailsDto,
    description: 'The source warehouse has fewer available units than asked',
  })
  transfer(
    @Param() { sku }: SkuParamDto,
    @Body() body: TransferBodyDto,
    @IdempotencyKey() key: string | undefined,
    @RequestCorrelationId() correlationId: string,
  ): Promise<StockCommandResponseDto> {
    return this.inventory.transfer(
      { operationId: key ?? randomUUID(), sku, ...body },
      correlationId,
    );
  }
}
