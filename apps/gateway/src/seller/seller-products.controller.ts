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
  ApiParam,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { RequestCorrelationId } from '@mercato/runtime';
import { ZodValidationPipe } from 'nestjs-zod';
import {
  Authenticated,
  CurrentPartner,
  CurrentUser,
  feedSellerId,
  PartnerAuthenticated,
  type AuthenticatedUser,
  type PartnerPrincipal,
} from '../auth';
import { ProductIdParamDto } from '../catalog/catalog.dto';
import { IdempotencyKey, IdempotencyKeyHeader } from '../common/idempotency-key.decorator';
import { ProblemDetailsDto } from '../common/problem-details.dto';
import { PRODUCT_LIMITS, SKU_RULE } from '@mercato/contracts';
import {
  ifMatchSchema,
  ProductBodyDto,
  PRODUCT_CREATE_EXAMPLE,
  PRODUCT_FEED_EXAMPLE,
  PRODUCT_FEED_MAX_ROWS,
  PRODUCT_UPDATE_EXAMPLE,
  PRODUCT_UPDATE_EXAMPLE_ID,
  productFeedBodySchema,
  ProductFeedResponseDto,
  ProductWriteResponseDto,
} from './seller-products.dto';
import { SellerProductsService } from './seller-products.service';

const L = PRODUCT_LIMITS;
/** What every product write says about its body's limits and free products. */
const BODY_RULES =
  "Limits (a product is stored as one item, which must stay far below DynamoDB's 400 KB): " +
  `title ${L.titleChars} characters, description ${L.descriptionChars}, brand ${L.brandChars}; ` +
  `specs at most ${L.specs.entries} entries, names ${L.specs.nameChars} and values ` +
  `${L.specs.valueChars} characters, ${L.specs.totalChars} in all; at most ${L.images.count} ` +
  `images of ${L.images.urlChars} characters; at most ${L.variants} variants, each with at ` +
  `most ${L.variantAttributes.entries} attributes (names ${L.variantAttributes.nameChars}, ` +
  `values ${L.variantAttributes.valueChars}, ${L.variantAttributes.totalChars} characters in ` +
  'all). A field over its limit answers 400 naming it; a body over 5 MB answers 413. ' +
  'A price of 0 is refused (400 naming it) unless the product is marked `free: true`, which ' +
  'allows zero prices on any of its variants. ' +
  `SKUs: ${SKU_RULE}; unique across the store regardless of case (\`ab-1\` and \`AB-1\` are ` +
  'one SKU: 409 `SKU_TAKEN`), and kept as sent everywhere else (detail, events, stock). ' +
  'Regions: each variant is priced in one or more regions (us USD, eu EUR, ap JPY), every ' +
  'variant in the same ones; the product is listed and sold only there (detail elsewhere is ' +
  '404 `PRODUCT_NOT_SOLD_IN_REGION`). A price in another currency than its region’s is 400 ' +
  'naming it.';
const TOO_LARGE = { type: ProblemDetailsDto, description: 'The body is over 5 MB' };

/** Sellers' product writes and bulk feed (docs/api.md, "Partners and operations"). */
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
      'Prices are in minor units, one per region the product is sold in; the category must ' +
      'be a leaf. The product shows in browse and detail (in its regions) at once, and its ' +
      'SKUs get stock items (zero until stocked). ' +
      BODY_RULES,
  })
  @ApiBody({ type: ProductBodyDto, examples: { boot: { value: PRODUCT_CREATE_EXAMPLE } } })
  @ApiCreatedResponse({ type: ProductWriteResponseDto })
  @ApiBadRequestResponse({ type: ProblemDetailsDto, description: 'Invalid fields (see errors)' })
  @ApiPayloadTooLargeResponse(TOO_LARGE)
  @ApiConflictResponse({
    type: ProblemDetailsDto,
    description: '`SKU_TAKEN`: a SKU is used by another product (compared regardless of case)',
  })
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
      'within seconds (a product event is published). ' +
      BODY_RULES,
  })
  @ApiParam({ name: 'productId', example: PRODUCT_UPDATE_EXAMPLE_ID })
  @ApiBody({
    type: ProductBodyDto,
    examples: {
      demoProduct: {
        summary: `An admin lowers the price of demo product ${PRODUCT_UPDATE_EXAMPLE_ID}`,
        value: PRODUCT_UPDATE_EXAMPLE,
      },
    },
  })
  @ApiOkResponse({ type: ProductWriteResponseDto })
  @ApiBadRequestResponse({ type: ProblemDetailsDto, description: 'Invalid fields (see errors)' })
  @ApiPayloadTooLargeResponse(TOO_LARGE)
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: 'Unknown product or not yours' })
  @ApiConflictResponse({
    type: ProblemDetailsDto,
    description: 'If-Match names an older revision, or a SKU is used by another product',
  })
  @ApiUnprocessableEntityResponse({
    type: ProblemDetailsDto,
    description: 'Unknown or non-leaf category',
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
      'nothing, so re-sending a feed changes nothing. Each row has the limits of a product ' +
      'body (a row over them is rejected naming the field); the whole feed is at most 5 MB (413).',
  })
  @ApiBody({
    description:
      `Feed rows, at most ${PRODUCT_FEED_MAX_ROWS}: each is the product body of ` +
      'POST /v1/seller/products plus `externalId`',
    schema: {
      type: 'array',
      maxItems: PRODUCT_FEED_MAX_ROWS,
      items: { type: 'object', required: ['externalId'] },
      example: PRODUCT_FEED_EXAMPLE,
    },
  })
  @ApiOkResponse({ type: ProductFeedResponseDto })
  @ApiBadRequestResponse({ type: ProblemDetailsDto, description: 'Not a JSON array of rows' })
  @ApiPayloadTooLargeResponse(TOO_LARGE)
  feed(
    @Body(new ZodValidationPipe(productFeedBodySchema)) rows: unknown[],
    @CurrentPartner() partner: PartnerPrincipal,
    @IdempotencyKey() key: string | undefined,
    @RequestCorrelationId() correlationId: string,
  ): Promise<ProductFeedResponseDto> {
    const sellerId = feedSellerId(partner);
    const feedId = key ? `${sellerId}:${key}` : randomUUID();
    return this.products.importFeed(feedId, sellerId, rows, correlationId);
  }
}

function parseIfMatch(header: string): number {
  const parsed = ifMatchSchema.safeParse(header);
  if (!parsed.success) throw new BadRequestException(parsed.error.issues[0].message);
  return parsed.data;
}
