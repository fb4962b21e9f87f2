import { Controller, Get, Param, Query, Res, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Region } from '@mercato/contracts';
import { RequestCorrelationId } from '@mercato/runtime';
import type { FastifyReply } from 'fastify';
import { OptionalAuthGuard } from '../auth';
import { ProblemDetailsDto } from '../common/problem-details.dto';
import { RequestRegion } from '../common/region.decorator';
import {
  AvailabilityResponseDto,
  BrowseQueryDto,
  BrowseResponseDto,
  CategoriesResponseDto,
  ProductDetailResponseDto,
  ProductIdParamDto,
} from './catalog.dto';
import { CatalogGatewayService } from './catalog.service';
import { ProductDetailReadModel } from './product-detail.read-model';

/**
 * The 404 of the product routes: unknown product, or a product its seller does not sell (has
 * not priced) in the caller's region.
 */
const ProductNotFoundOrNotSoldHere = ApiNotFoundResponse({
  type: ProblemDetailsDto,
  description:
    '`PRODUCT_NOT_FOUND`: no such product. `PRODUCT_NOT_SOLD_IN_REGION`: the product exists ' +
    'but is not sold in the region (its seller gave it no price there); browse in that region ' +
    'does not list it either',
  example: {
    type: 'https://mercato.dev/problems/product-not-sold-in-region',
    title: 'Not Found',
    status: 404,
    detail: 'Product p-7c1d2e9a is not sold in region eu; it is sold in us',
    instance: '/v1/products/p-7c1d2e9a',
    code: 'PRODUCT_NOT_SOLD_IN_REGION',
    correlationId: '7d3c1e8a-5f0b-4a51-9c1e-2b7d4f6a9e10',
  },
});

const RegionHeader = ApiHeader({
  name: 'X-Region',
  required: false,
  description:
    'Price list, currency and nearest warehouses: us (USD), eu (EUR), ap (JPY). Default: the ' +
    'signed-in customer’s region (with a bearer token), else us.',
  schema: { type: 'string', enum: ['us', 'eu', 'ap'], default: 'us' },
});

@ApiTags('Catalog')
@UseGuards(OptionalAuthGuard)
@Controller('v1')
export class CatalogController {
  constructor(
    private readonly catalog: CatalogGatewayService,
    private readonly productDetail: ProductDetailReadModel,
  ) {}

  @Get('categories')
  @ApiOperation({ summary: 'The category tree with product counts (descendants included)' })
  @ApiOkResponse({ type: CategoriesResponseDto })
  categories(@RequestCorrelationId() correlationId: string): Promise<CategoriesResponseDto> {
    return this.catalog.categories(correlationId);
  }

  @Get('products')
  @RegionHeader
  @ApiOperation({
    summary: 'Browse products by category, brand and price, sorted, with cursor pagination',
    description:
      'Prices are the lowest variant price in the region’s currency, in minor units. Only ' +
      'products sold in the region (priced there by their seller) are listed.',
  })
  @ApiOkResponse({ type: BrowseResponseDto })
  @ApiBadRequestResponse({ type: ProblemDetailsDto, description: 'Unknown or invalid parameters' })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: 'No such category' })
  browse(
    @Query() query: BrowseQueryDto,
    @RequestRegion() region: Region,
    @RequestCorrelationId() correlationId: string,
  ): Promise<BrowseResponseDto> {
    return this.catalog.browse({ ...query, region }, correlationId);
  }

  @Get('products/:productId')
  @RegionHeader
  @ApiOperation({
    summary: 'Product detail with variants, regional prices and availability',
    description:
      'In a region where the product is not sold (its seller gave it no price there) the ' +
      'answer is 404 `PRODUCT_NOT_SOLD_IN_REGION`.',
  })
  @ApiOkResponse({ type: ProductDetailResponseDto })
  @ProductNotFoundOrNotSoldHere
  @ApiBadRequestResponse({ type: ProblemDetailsDto, description: 'Malformed id or unknown region' })
  async product(
    @Param() params: ProductIdParamDto,
    @RequestRegion() region: Region,
    @RequestCorrelationId() correlationId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // The read model holds the body already serialised: send it as is.
    const json = await this.productDetail.json(params.productId, region, correlationId);
    await reply.header('content-type', 'application/json; charset=utf-8').send(json);
  }

  @Get('products/:productId/availability')
  @RegionHeader
  @ApiOperation({
    summary: 'Real-time stock per variant and warehouse, nearest warehouse first',
    description:
      'Served from a read model that every stock change drops: a reservation, sale, restock ' +
      'or feed shows within a second.',
  })
  @ApiOkResponse({ type: AvailabilityResponseDto })
  @ProductNotFoundOrNotSoldHere
  async availability(
    @Param() params: ProductIdParamDto,
    @RequestRegion() region: Region,
    @RequestCorrelationId() correlationId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // Kept serialised by the read model, like detail; stock events drop it.
    const json = await this.productDetail.availabilityJson(params.productId, region, correlationId);
    await reply.header('content-type', 'application/json; charset=utf-8').send(json);
  }
}
