import { Body, Controller, Get, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import {
  CreatePromotion,
  ListPromotions,
  type Promotion,
  type PromotionInput,
} from '@mercato/contracts';
import { MessageBus } from '@mercato/messaging';
import { RequestCorrelationId } from '@mercato/runtime';
import { Authenticated, CurrentUser, type AuthenticatedUser } from '../auth';
import { ProblemDetailsDto } from '../common/problem-details.dto';
import { CreatePromotionBodyDto, PromotionDto, PromotionListDto } from './promotions.dto';

/** Promotions and coupons, managed by admins (API.md, "Partners and operations"). */
@ApiTags('Admin')
@Authenticated('admin')
@Controller('v1/admin/promotions')
export class PromotionsController {
  constructor(private readonly bus: MessageBus) {}

  @Post()
  @ApiOperation({
    summary: 'Create a promotion: percentage or fixed off, or buy-X-get-Y, optionally a coupon',
    description:
      'Targets all products, categories (descendants included), brands or SKUs. Automatic ' +
      'promotions (no coupon) show in product detail prices; coupon promotions apply in the ' +
      'cart. `stacking`: stackable promotions add up; an exclusive one applies alone; the ' +
      'customer gets whichever is better. Product prices follow within seconds.',
  })
  @ApiCreatedResponse({ type: PromotionDto })
  @ApiBadRequestResponse({ type: ProblemDetailsDto, description: 'Invalid fields' })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'The coupon code is taken' })
  @ApiUnprocessableEntityResponse({
    type: ProblemDetailsDto,
    description: 'Overlaps an exclusive automatic promotion with the same target and dates',
  })
  create(
    @Body() body: CreatePromotionBodyDto,
    @CurrentUser() admin: AuthenticatedUser,
    @RequestCorrelationId() correlationId: string,
  ): Promise<Promotion> {
    const input = body as unknown as PromotionInput;
    return this.bus.request(
      CreatePromotion,
      { ...input, createdBy: admin.customerId },
      { correlationId },
    );
  }

  @Get()
  @ApiOperation({ summary: 'Every promotion with its status and coupon usage' })
  @ApiOkResponse({ type: PromotionListDto })
  list(@RequestCorrelationId() correlationId: string): Promise<PromotionListDto> {
    return this.bus.request(ListPromotions, {}, { correlationId });
  }
}
