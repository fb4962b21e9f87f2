import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiSecurity,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { MAX_CART_QUANTITY, type CartCaller, type CartView, type Region } from '@mercato/contracts';
import { problem, RequestCorrelationId } from '@mercato/runtime';
import type { FastifyReply } from 'fastify';
import { NoStore } from '../common/no-store';
import { problemExamples } from '../common/problem-examples';
import { ProblemDetailsDto } from '../common/problem-details.dto';
import { RequestRegion } from '../common/region.decorator';
import { CartIdHeader, CurrentCartCaller, ShopperGuard } from './cart-caller';
import {
  AddCartItemBodyDto,
  ApplyCouponBodyDto,
  CartSkuParamDto,
  CartViewDto,
  CouponCodeParamDto,
  SetCartItemQuantityBodyDto,
} from './cart.dto';
import { type CartCall, CartGatewayService } from './cart.service';

const CART_ID = 'c_7Hq2xK9mPzR4tW1v';

const cartAnswer = (description: string) =>
  ApiOkResponse({
    type: CartViewDto,
    description,
    headers: {
      'X-Cart-Id': {
        description: 'The cart’s id: a guest sends it back as `X-Cart-Id` on every cart call',
        schema: { type: 'string', example: CART_ID },
      },
    },
  });

const invalidInput = ApiBadRequestResponse({
  type: ProblemDetailsDto,
  description:
    'Invalid body or path (see errors; unknown fields are refused), a malformed `X-Cart-Id` ' +
    '(`INVALID_CART_ID`) or an unknown `X-Region` (`UNKNOWN_REGION`)',
  example: problem(400, 'Invalid request: quantity', {
    code: 'INVALID_REQUEST',
    errors: [{ field: 'quantity', message: 'Invalid input: expected int, received number' }],
  }),
});

const cartNotFound = ApiNotFoundResponse({
  type: ProblemDetailsDto,
  description:
    '`CART_NOT_FOUND`: the `X-Cart-Id` names no cart (unknown, expired, or another ' +
    'customer’s). Drop the header to start a new cart',
  example: problem(404, `No cart has the id ${CART_ID}`, { code: 'CART_NOT_FOUND' }),
});

const couponInvalid = ApiUnprocessableEntityResponse({
  type: ProblemDetailsDto,
  description:
    '`COUPON_INVALID`: the code cannot apply; `details.reason` says why (`unknown`, ' +
    '`expired`, `not_started`, `exhausted`, `customer_limit`, `not_applicable`)',
  example: problem(422, 'Coupon SPRING10 has expired', {
    code: 'COUPON_INVALID',
    details: { code: 'SPRING10', reason: 'expired' },
  }),
});

const CART_BUSY = {
  detail: 'The cart changed concurrently; retry the request',
};

const insufficientStock = ApiConflictResponse({
  type: ProblemDetailsDto,
  description:
    '`INSUFFICIENT_STOCK`: fewer units are available than the line would hold; `details` ' +
    'names the SKU, the quantity asked and what is available. `CART_BUSY`: concurrent ' +
    'changes of the same cart kept winning; retrying is safe',
  examples: problemExamples(409, {
    INSUFFICIENT_STOCK: {
      detail: 'Only 3 units of NOR-000001-1 are available',
      details: { sku: 'NOR-000001-1', requested: 5, available: 3 },
    },
    CART_BUSY,
  }),
});

const cartBusy = ApiConflictResponse({
  type: ProblemDetailsDto,
  description: '`CART_BUSY`: concurrent changes of the same cart kept winning; retrying is safe',
  example: problem(409, CART_BUSY.detail, { code: 'CART_BUSY' }),
});

const lineRefused = ApiUnprocessableEntityResponse({
  type: ProblemDetailsDto,
  description:
    '`SKU_NOT_SOLD`: no such SKU, or it has no price in the region. `QUANTITY_LIMIT`: over ' +
    'the per-SKU limit (`details: {sku, limit}`). `CART_FULL`: the cart holds as many lines ' +
    'as it may',
  examples: problemExamples(422, {
    SKU_NOT_SOLD: { detail: 'NOR-000001-1 is not sold in region ap' },
    QUANTITY_LIMIT: {
      detail: 'At most 10 units of NOR-000001-1 per order',
      details: { sku: 'NOR-000001-1', limit: 10 },
    },
    CART_FULL: { detail: 'A cart holds at most 100 lines' },
  }),
});

/**
 * The shopping cart (docs/api.md, "Cart"): guests by `X-Cart-Id`, customers by their token.
 * Every route answers the priced cart and its id in `X-Cart-Id`.
 */
@ApiTags('Cart')
@UseGuards(ShopperGuard)
@NoStore()
// A token is optional (guests have none): the empty requirement says so in OpenAPI.
@ApiBearerAuth()
@ApiSecurity({})
@CartIdHeader(
  'The guest cart’s id, as a cart call answered it. Without it a guest gets a new cart. With ' +
    'a customer token, a guest cart named here is merged into the customer’s cart.',
)
@ApiHeader({
  name: 'X-Region',
  required: false,
  description:
    'Prices and currency: us (USD), eu (EUR), ap (JPY). Default: the signed-in customer’s ' +
    'region, else us. A region other than the cart’s reprices the cart in it.',
  schema: { type: 'string', enum: ['us', 'eu', 'ap'], default: 'us' },
})
@ApiUnauthorizedResponse({
  type: ProblemDetailsDto,
  description: 'A bearer token was sent but is invalid or expired (guests send none)',
})
@ApiForbiddenResponse({
  type: ProblemDetailsDto,
  description: 'The token is a seller’s or an admin’s: carts are for customers and guests',
  example: problem(403, 'Carts belong to customers and guests, not to staff accounts.'),
})
@Controller('v1/cart')
export class CartController {
  constructor(private readonly carts: CartGatewayService) {}

  @Get()
  @ApiOperation({
    summary: 'The cart, priced now (a guest without X-Cart-Id gets a new, empty cart)',
    description:
      'Prices are the region’s current prices with automatic promotions and applied coupons. ' +
      'A line whose price changed since it was added says so (`priceChanged`, ' +
      '`unitPriceWhenAdded`); lines that cannot be bought now are in `unavailableItems`.',
  })
  @cartAnswer('The priced cart')
  @invalidInput
  @cartNotFound
  async get(
    @CurrentCartCaller() caller: CartCaller,
    @RequestRegion() region: Region,
    @RequestCorrelationId() correlationId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CartViewDto> {
    return withCartId(reply, await this.carts.get({ caller, region, correlationId }));
  }

  @Post('items')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Add units of a SKU (added to the line when the SKU is in the cart already)',
    description:
      `\`quantity\` is an integer from 1 to ${MAX_CART_QUANTITY}; the per-SKU limit is ` +
      'usually lower (422 `QUANTITY_LIMIT`). The line’s units must be available (409).',
  })
  @cartAnswer('The priced cart with the line')
  @invalidInput
  @cartNotFound
  @insufficientStock
  @lineRefused
  async addItem(
    @Body() body: AddCartItemBodyDto,
    @CurrentCartCaller() caller: CartCaller,
    @RequestRegion() region: Region,
    @RequestCorrelationId() correlationId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CartViewDto> {
    const call: CartCall = { caller, region, correlationId };
    return withCartId(reply, await this.carts.addItem(call, body.sku, body.quantity));
  }

  @Patch('items/:sku')
  @ApiOperation({
    summary: 'Set a line’s quantity (0 removes the line)',
    description: '404 `CART_ITEM_NOT_FOUND` when the SKU is not in the cart.',
  })
  @cartAnswer('The priced cart')
  @invalidInput
  @ApiNotFoundResponse({
    type: ProblemDetailsDto,
    description: '`CART_NOT_FOUND` (see GET /v1/cart), or `CART_ITEM_NOT_FOUND`: no such line',
    examples: problemExamples(404, {
      CART_NOT_FOUND: { detail: `No cart has the id ${CART_ID}` },
      CART_ITEM_NOT_FOUND: { detail: 'NOR-000001-1 is not in the cart' },
    }),
  })
  @insufficientStock
  @lineRefused
  async setQuantity(
    @Param() { sku }: CartSkuParamDto,
    @Body() body: SetCartItemQuantityBodyDto,
    @CurrentCartCaller() caller: CartCaller,
    @RequestRegion() region: Region,
    @RequestCorrelationId() correlationId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CartViewDto> {
    const call: CartCall = { caller, region, correlationId };
    return withCartId(reply, await this.carts.setQuantity(call, sku, body.quantity));
  }

  @Delete('items/:sku')
  // Another SKU than the other examples': run in order, they leave a line for checkout's.
  @ApiParam({ name: 'sku', example: 'NOR-000001-2' })
  @ApiOperation({
    summary: 'Remove a line (a SKU not in the cart changes nothing)',
  })
  @cartAnswer('The priced cart without the line')
  @invalidInput
  @cartNotFound
  @cartBusy
  async removeItem(
    @Param() { sku }: CartSkuParamDto,
    @CurrentCartCaller() caller: CartCaller,
    @RequestRegion() region: Region,
    @RequestCorrelationId() correlationId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CartViewDto> {
    return withCartId(reply, await this.carts.removeItem({ caller, region, correlationId }, sku));
  }

  @Post('coupons')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Apply a coupon code',
    description:
      'Codes are compared upper-cased. A code that cannot apply is 422 `COUPON_INVALID` with ' +
      'the reason; the coupon is redeemed only when an order is placed.',
  })
  @cartAnswer('The priced cart with the coupon')
  @invalidInput
  @cartNotFound
  @cartBusy
  @couponInvalid
  async applyCoupon(
    @Body() body: ApplyCouponBodyDto,
    @CurrentCartCaller() caller: CartCaller,
    @RequestRegion() region: Region,
    @RequestCorrelationId() correlationId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CartViewDto> {
    const call: CartCall = { caller, region, correlationId };
    return withCartId(reply, await this.carts.applyCoupon(call, body.code));
  }

  @Delete('coupons/:code')
  @ApiOperation({ summary: 'Take a coupon code off the cart (a code not on it changes nothing)' })
  @cartAnswer('The priced cart without the coupon')
  @invalidInput
  @cartNotFound
  @cartBusy
  async removeCoupon(
    @Param() { code }: CouponCodeParamDto,
    @CurrentCartCaller() caller: CartCaller,
    @RequestRegion() region: Region,
    @RequestCorrelationId() correlationId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CartViewDto> {
    return withCartId(
      reply,
      await this.carts.removeCoupon({ caller, region, correlationId }, code),
    );
  }
}

/** A guest learns their cart's id from the first answer: it travels as `X-Cart-Id` too. */
function withCartId(reply: FastifyReply, view: CartView): CartViewDto {
  void reply.header('X-Cart-Id', view.cartId);
  return view as CartViewDto;
}
