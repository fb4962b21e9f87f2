import { Body, Controller, Headers, Ip, Post, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiOperation,
  ApiPaymentRequiredResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Region } from '@mercato/contracts';
import { problem, RequestCorrelationId } from '@mercato/runtime';
import type { FastifyReply } from 'fastify';
import { Authenticated, CurrentUser, type AuthenticatedUser } from '../auth';
import {
  RequiredIdempotencyKey,
  RequiredIdempotencyKeyHeader,
} from '../common/idempotency-key.decorator';
import { NoStore } from '../common/no-store';
import { problemExamples } from '../common/problem-examples';
import { ProblemDetailsDto } from '../common/problem-details.dto';
import { RequestRegion } from '../common/region.decorator';
import { OrderViewDto } from '../orders/orders.dto';
import { CheckoutBodyDto, DEVICE_ID_HEADER, parseDeviceId } from './checkout.dto';
import { CheckoutGatewayService } from './checkout.service';

/** Placing an order from the customer's cart (docs/api.md, "Checkout and orders"). */
@ApiTags('Orders')
@Controller('v1/checkout')
export class CheckoutController {
  constructor(private readonly checkout: CheckoutGatewayService) {}

  @Post()
  @Authenticated('customer')
  @NoStore()
  @RequiredIdempotencyKeyHeader(
    'Required: a new key per attempt to buy. The same key and body again answers the first ' +
      'outcome (the order, or the refusal) without charging twice; kept 24 hours.',
  )
  @ApiHeader({
    name: 'X-Device-Id',
    required: false,
    description:
      'A stable id of the client device (1 to 128 printable characters), for fraud screening',
    schema: { type: 'string', maxLength: 128, example: 'dev-4f1c9a' },
  })
  @ApiHeader({
    name: 'X-Region',
    required: false,
    description: 'The cart’s region: us, eu, ap. Default: the customer’s region',
    schema: { type: 'string', enum: ['us', 'eu', 'ap'] },
  })
  @ApiOperation({
    summary: 'Place an order from the customer’s cart: reserve, charge, confirm',
    description:
      'Reserves every line’s stock, redeems the cart’s coupons, authorises the payment and ' +
      'screens for fraud. Answers 201 with the order, `confirmed`, or `on_hold` while an admin ' +
      'reviews it; the ordered lines leave the cart. A refusal reserves nothing and charges ' +
      'nothing. Test payment tokens: `tok_visa`, `tok_mastercard`, `tok_declined`, ' +
      '`tok_fraud`, `tok_slow`.',
  })
  @ApiCreatedResponse({
    type: OrderViewDto,
    description: 'The order (confirmed or on_hold)',
    headers: {
      Location: {
        description: 'The order’s URL',
        schema: { type: 'string', example: '/v1/orders/o-5b1f0c9e7d2a4c31' },
      },
    },
  })
  @ApiBadRequestResponse({
    type: ProblemDetailsDto,
    description:
      'No `Idempotency-Key` (`IDEMPOTENCY_KEY_REQUIRED`) or a malformed one, an invalid body ' +
      '(`INVALID_REQUEST`, `INVALID_ADDRESS`: see errors), a malformed `X-Device-Id` ' +
      '(`INVALID_DEVICE_ID`) or an unknown `X-Region`',
    examples: problemExamples(400, {
      IDEMPOTENCY_KEY_REQUIRED: {
        detail: 'This route needs an Idempotency-Key header (a new one per attempt to buy)',
      },
      INVALID_ADDRESS: {
        detail: 'The shipping address is not deliverable',
        errors: [{ field: 'shippingAddress.postalCode', message: 'Unknown postal code' }],
      },
      INVALID_REQUEST: {
        detail: 'Invalid request: shippingAddress.postalCode',
        errors: [
          {
            field: 'shippingAddress.postalCode',
            message: 'Too small: expected string to have >=1 characters',
          },
        ],
      },
    }),
  })
  @ApiPaymentRequiredResponse({
    type: ProblemDetailsDto,
    description: '`PAYMENT_DECLINED`: the card was declined (`details.reason`); nothing reserved',
    example: problem(402, 'The payment was declined', {
      code: 'PAYMENT_DECLINED',
      details: { reason: 'card_declined' },
    }),
  })
  @ApiConflictResponse({
    type: ProblemDetailsDto,
    description:
      '`OUT_OF_STOCK`: lines short of stock, each in `details.items` with what is available ' +
      '(nothing reserved, nothing charged). `IDEMPOTENCY_IN_PROGRESS`: a request with this key ' +
      'is still running; retry it shortly',
    examples: problemExamples(409, {
      OUT_OF_STOCK: {
        detail: 'Some lines are out of stock',
        details: { items: [{ sku: 'NOR-000001-1', requested: 2, available: 1 }] },
      },
      IDEMPOTENCY_IN_PROGRESS: {
        detail: 'A checkout with this Idempotency-Key is still running; retry shortly',
      },
    }),
  })
  @ApiUnprocessableEntityResponse({
    type: ProblemDetailsDto,
    description:
      '`CART_EMPTY`: nothing to order. `CART_UNAVAILABLE_ITEMS`: the cart holds lines that ' +
      'cannot be bought (`details.items`; remove them). `COUPON_INVALID`: a coupon no longer applies ' +
      '(`details: {code, reason}`). `FRAUD_REJECTED`: the order was refused by fraud ' +
      'screening. `IDEMPOTENCY_KEY_REUSED`: the key was used with another body',
    examples: problemExamples(422, {
      CART_EMPTY: { detail: 'The cart is empty' },
      CART_UNAVAILABLE_ITEMS: {
        detail: 'The cart holds lines that cannot be bought now; remove them first',
        details: { items: [{ sku: 'NOR-000002-1', quantity: 1 }] },
      },
      COUPON_INVALID: {
        detail: 'Coupon WELCOME5 is used up',
        details: { code: 'WELCOME5', reason: 'exhausted' },
      },
      FRAUD_REJECTED: { detail: 'The order was refused' },
      IDEMPOTENCY_KEY_REUSED: {
        detail: 'This Idempotency-Key was used for another checkout',
      },
    }),
  })
  async place(
    @Body() body: CheckoutBodyDto,
    @CurrentUser() customer: AuthenticatedUser,
    @RequiredIdempotencyKey() idempotencyKey: string,
    @Headers(DEVICE_ID_HEADER) deviceIdHeader: unknown,
    @Ip() ip: string | undefined,
    @RequestRegion() region: Region,
    @RequestCorrelationId() correlationId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderViewDto> {
    const deviceId = parseDeviceId(deviceIdHeader);
    const order = await this.checkout.placeOrder(
      {
        customerId: customer.customerId,
        idempotencyKey,
        region,
        ...body,
        origin: { ...(deviceId ? { deviceId } : {}), ...(ip ? { ip: ip.slice(0, 64) } : {}) },
      },
      correlationId,
    );
    void reply.header('Location', `/v1/orders/${encodeURIComponent(order.orderId)}`);
    return order;
  }
}
