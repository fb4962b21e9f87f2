import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import {
  CreatePromotion,
  EndPromotion,
  GetPromotion,
  ListPromotions,
  UpdatePromotion,
  type Promotion,
  type PromotionChanges,
  type PromotionInput,
  type PromotionListing,
} from '@mercato/contracts';
import { MessageBus } from '@mercato/messaging';
import { problem, RequestCorrelationId } from '@mercato/runtime';
import { ZodValidationException } from 'nestjs-zod';
import { Authenticated, CurrentUser, type AuthenticatedUser } from '../auth';
import { ProblemDetailsDto } from '../common/problem-details.dto';
import {
  CreatePromotionBodyDto,
  ifMatchHeaderSchema,
  PromotionDto,
  PromotionIdParamDto,
  PromotionListDto,
  PromotionListingDto,
  UpdatePromotionBodyDto,
} from './promotions.dto';

const EXAMPLE_ID = '3f2b8c1e-6d4a-4e8f-9b7c-2a1d5e6f7a8b';

const badId = ApiBadRequestResponse({
  type: ProblemDetailsDto,
  description: 'The promotion id is malformed',
  example: problem(400, 'Invalid request: promotionId', {
    errors: [{ field: 'promotionId', message: 'must be a promotion id' }],
  }),
});
const notFound = ApiNotFoundResponse({
  type: ProblemDetailsDto,
  description: 'No promotion has this id (code `PROMOTION_NOT_FOUND`)',
  example: problem(404, `No promotion has the id ${EXAMPLE_ID}`, { code: 'PROMOTION_NOT_FOUND' }),
});

/**
 * Promotions and coupons, managed by admins: create, list, read, change and end
 * (docs/architecture.md, "Pricing and promotions"). Promotions are never deleted: ending one
 * keeps it, with its coupon usage and who changed it, for the record.
 */
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
      'customer gets whichever is better. Product prices follow within seconds. Change it ' +
      'with PATCH, end it with POST /v1/admin/promotions/{promotionId}/end.',
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

  @Get(':promotionId')
  @ApiOperation({
    summary: 'One promotion with its status (scheduled, active, ended) and coupon usage',
  })
  @ApiOkResponse({ type: PromotionListingDto })
  @badId
  @notFound
  get(
    @Param() { promotionId }: PromotionIdParamDto,
    @RequestCorrelationId() correlationId: string,
  ): Promise<PromotionListing> {
    return this.bus.request(GetPromotion, { promotionId }, { correlationId });
  }

  @Patch(':promotionId')
  @ApiOperation({
    summary: 'Change a promotion that has not ended',
    description:
      'Give only the fields to change: name, target, stacking, dates (null: unbounded), the ' +
      'discount fields of its kind, and a coupon’s limits (null: no limit; a limit at or below ' +
      'the uses spent stops further redemptions). `kind` and the coupon code cannot change. ' +
      'The merged promotion is checked like a new one (dates in order and not over, known ' +
      'categories, no overlap with another exclusive automatic promotion). Records who ' +
      'changed it (`updatedBy`, `updatedAt`) and bumps `version`; product prices follow ' +
      'within seconds. Concurrent changes of different fields all apply; send `If-Match` ' +
      'with the `version` you read to refuse (409) a change made since.',
  })
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'The version being changed; a newer stored version answers 409',
    example: '"1"',
  })
  @ApiOkResponse({ type: PromotionListingDto, description: 'The promotion as changed' })
  @ApiBadRequestResponse({
    type: ProblemDetailsDto,
    description:
      'Invalid fields, a discount field of another kind, dates out of order or already over, ' +
      'an unknown category (see errors); nothing is changed',
    example: problem(400, 'Invalid request: percentOff', {
      errors: [{ field: 'percentOff', message: 'Too big: expected number to be <=100' }],
    }),
  })
  @notFound
  @ApiConflictResponse({
    type: ProblemDetailsDto,
    description:
      'The promotion has ended (`PROMOTION_ENDED`), If-Match names an older version ' +
      '(`PROMOTION_VERSION_CONFLICT`), or another change held the lock (`PROMOTIONS_BUSY`)',
    example: problem(409, `Promotion ${EXAMPLE_ID} ended at 2030-12-01T00:00:00.000Z`, {
      code: 'PROMOTION_ENDED',
    }),
  })
  @ApiUnprocessableEntityResponse({
    type: ProblemDetailsDto,
    description: 'Would overlap an exclusive automatic promotion with the same target and dates',
  })
  update(
    @Param() { promotionId }: PromotionIdParamDto,
    @Body() body: UpdatePromotionBodyDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentUser() admin: AuthenticatedUser,
    @RequestCorrelationId() correlationId: string,
  ): Promise<PromotionListing> {
    const header = ifMatchHeaderSchema.safeParse({ 'if-match': ifMatch });
    if (!header.success) throw new ZodValidationException(header.error);
    return this.bus.request(
      UpdatePromotion,
      {
        promotionId,
        changes: body as unknown as PromotionChanges,
        expectedVersion: header.data['if-match'],
        updatedBy: admin.customerId,
      },
      { correlationId },
    );
  }

  @Post(':promotionId/end')
  @HttpCode(200)
  @ApiOperation({
    summary: 'End a promotion now',
    description:
      'Its `endsAt` becomes the current time: product prices return to list prices within ' +
      'seconds and its coupon stops redeeming. It stays readable with status `ended` and ' +
      'cannot be changed or revived. Ending an ended promotion answers it unchanged.',
  })
  @ApiOkResponse({ type: PromotionListingDto, description: 'The ended promotion' })
  @badId
  @notFound
  @ApiConflictResponse({
    type: ProblemDetailsDto,
    description: 'Another promotions change held the lock (`PROMOTIONS_BUSY`); retrying is safe',
  })
  end(
    @Param() { promotionId }: PromotionIdParamDto,
    @CurrentUser() admin: AuthenticatedUser,
    @RequestCorrelationId() correlationId: string,
  ): Promise<PromotionListing> {
    return this.bus.request(
      EndPromotion,
      { promotionId, endedBy: admin.customerId },
      { correlationId },
    );
  }
}
