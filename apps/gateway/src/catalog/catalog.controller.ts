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
    description: 'Prices are the lowest variant price in the region’s currency, in minor units.',
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
  @ApiOperation({ summary: 'Product detail with variants, regional prices and availability' })
  @ApiOkResponse({ type: ProductDetailResponseDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: 'No such product' })
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
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: 'No such product' })
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
