import { randomUUID } from 'node:crypto';
import {
  BadRequestException,
  Body,
  Controller,
  Headers,
  HttpCode,
  Param,
  Post,
  Put,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { RequestCorrelationId } from '@mercato/runtime';
import { ZodValidationPipe } from 'nestjs-zod';
import {
  Authenticated,
  CurrentPartner,
  CurrentUser,
  PartnerAuthenticated,
  type AuthenticatedUser,
  type PartnerPrincipal,
} from '../auth';
import { ProductIdParamDto } from '../catalog/catalog.dto';
import { IdempotencyKey, IdempotencyKeyHeader } from '../common/idempotency-key.decorator';
import { ProblemDetailsDto } from '../common/problem-details.dto';
import {
  ifMatchSchema,
  ProductBodyDto,
  productBodySchema,
  PRODUCT_FEED_MAX_ROWS,
  productFeedBodySchema,
  ProductFeedResponseDto,
  ProductWriteResponseDto,
} from './seller-products.dto';
import { SellerProductsService } from './seller-products.service';

/** Sellers' product writes and bulk feed (API.md, "Partners and operations"). */
@ApiTags('Seller')
@Controller('v1/seller/products')
export class SellerProductsController {
  constructor(private readonly products: SellerProductsService) {}

  @Post()
  @Authenticated('seller', 'admin')
  @IdempotencyKeyHeader
  @ApiOperation({
    summary: 'Create a product with its variants and regional prices',
    description:
      'Every variant needs a price in each region (us USD, eu EUR, ap JPY) in minor units; ' +
      'SKUs are unique across the store; the category must be a leaf. The product shows in ' +
      'browse and detail at once, and its SKUs get stock items (zero until stocked).',
  })
  @ApiCreatedResponse({ type: ProductWriteResponseDto })
  @ApiBadRequestResponse({ type: ProblemDetailsDto, description: 'Invalid fields (see errors)' })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'A SKU is used by another product' })
  @ApiUnprocessableEntityResponse({
    type: ProblemDetailsDto,
    description: 'Unknown or non-leaf category, or an Idempotency-Key reused with another body',
  })
  create(
    @Body() body: ProductBodyDto,
    @CurrentUser() user: AuthenticatedUser,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @RequestCorrelationId() correlationId: string,
  ): Promise<ProductWriteResponseDto> {
    return this.products.create(
      { sellerId: user.customerId, idempotencyKey, product: body },
      correlationId,
    );
  }

  @Put(':productId')
  @Authenticated('seller', 'admin')
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'The revision being replaced; a newer stored revision answers 409',
  })
  @ApiOperation({
    summary: 'Replace a product’s content (seller: own products only; admin: any)',
    description:
      'Variants keep their id while their SKU stays. Product detail, browse and caches follow ' +
      'within seconds (a product event is published).',
  })
  @ApiOkResponse({ type: ProductWriteResponseDto })
  @ApiBadRequestResponse({ type: ProblemDetailsDto, description: 'Invalid fields (see errors)' })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: 'Unknown product or not yours' })
  @ApiConflictResponse({
    type: ProblemDetailsDto,
    description: 'If-Match names an older revision, or a SKU is used by another product',
  })
  update(
    @Param() { productId }: ProductIdParamDto,
    @Body() body: ProductBodyDto,
    @CurrentUser() user: AuthenticatedUser,
    @Headers('if-match') ifMatch: string | undefined,
    @RequestCorrelationId() correlationId: string,
  ): Promise<ProductWriteResponseDto> {
    const expectedRevision = ifMatch === undefined ? undefined : parseIfMatch(ifMatch);
    return this.products.update(
      {
        productId,
        sellerId: user.customerId,
        asAdmin: user.roles.includes('admin'),
        expectedRevision,
        product: body,
      },
      correlationId,
    );
  }

  @Post('feed')
  @HttpCode(200)
  @PartnerAuthenticated('catalog:feed')
  @IdempotencyKeyHeader
  @ApiOperation({
    summary: 'Bulk product feed: create or update many products, with per-row results',
    description:
      'Each row is a product body plus the seller’s own `externalId`, which identifies the ' +
      'product across feeds. Rows are checked one by one: bad rows are `rejected` with reasons ' +
      'and field errors; a row identical to the stored product is `unchanged` and writes ' +
      'nothing, so re-sending a feed changes nothing.',
  })
  @ApiBody({
    description:
      `Feed rows, at most ${PRODUCT_FEED_MAX_ROWS}: each is the product body of ` +
      'POST /v1/seller/products plus `externalId`',
    schema: {
      type: 'array',
      maxItems: PRODUCT_FEED_MAX_ROWS,
      items: { type: 'object', required: ['externalId'] },
      example: [{ externalId: 'boot-42', ...(productBodySchema.meta()?.example as object) }],
    },
  })
  @ApiOkResponse({ type: ProductFeedResponseDto })
  @ApiBadRequestResponse({ type: ProblemDetailsDto, description: 'Not a JSON array of rows' })
  feed(
    @Body(new ZodValidationPipe(productFeedBodySchema)) rows: unknown[],
    @CurrentPartner() partner: PartnerPrincipal,
    @IdempotencyKey() key: string | undefined,
    @RequestCorrelationId() correlationId: string,
  ): Promise<ProductFeedResponseDto> {
    const feedId = key ? `${partner.sellerId}:${key}` : randomUUID();
    return this.products.importFeed(feedId, partner.sellerId, rows, correlationId);
  }
}

function parseIfMatch(header: string): number {
  const parsed = ifMatchSchema.safeParse(header);
  if (!parsed.success) throw new BadRequestException(parsed.error.issues[0].message);
  return parsed.data;
}
