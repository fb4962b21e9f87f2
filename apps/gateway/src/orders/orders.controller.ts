import {
  applyDecorators,
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { problem, RequestCorrelationId } from '@mercato/runtime';
import { ZodValidationPipe } from 'nestjs-zod';
import { Authenticated, CurrentUser, type AuthenticatedUser } from '../auth';
import { IdempotencyKey, IdempotencyKeyHeader } from '../common/idempotency-key.decorator';
import { NoStore } from '../common/no-store';
import { ProblemDetailsDto } from '../common/problem-details.dto';
import { problemExamples } from '../common/problem-examples';
import {
  AdminOrderListQueryDto,
  type CancelBody,
  CancelBodyDto,
  cancelBodySchema,
  CancelledOrderViewDto,
  AdminOrderViewDto,
  OrderHistoryDto,
  OrderIdParamDto,
  OrderListQueryDto,
  OrderPageDto,
  OrderViewDto,
  ReturnRequestBodyDto,
  ReturnViewDto,
  type ReviewBody,
  ReviewBodyDto,
  reviewBodySchema,
  SellerOrderPageDto,
} from './orders.dto';
import { OrdersGatewayService } from './orders.service';

const badQuery = ApiBadRequestResponse({
  type: ProblemDetailsDto,
  description:
    'Unknown status, a limit outside 1..100, an unknown parameter, or a cursor this list did ' +
    'not hand out (`INVALID_CURSOR`)',
  example: problem(400, 'Invalid request: status', {
    code: 'INVALID_REQUEST',
    errors: [{ field: 'status', message: 'Invalid option' }],
  }),
});

const orderNotFound = ApiNotFoundResponse({
  type: ProblemDetailsDto,
  description: '`ORDER_NOT_FOUND`: no such order (another customer’s order answers the same)',
  example: problem(404, 'No order o-5b1f0c9e7d2a4c31', { code: 'ORDER_NOT_FOUND' }),
});

const badOrderId = ApiBadRequestResponse({
  type: ProblemDetailsDto,
  description: 'The order id is malformed',
});

/** The cancellation's body may be left out: no body is no reason. */
const cancelBody = Body(new ZodValidationPipe(cancelBodySchema.optional()));

/** What the customer's and the admin's cancellation share: 200 with the order, and refusals. */
const cancelRoute = applyDecorators(
  HttpCode(200),
  ApiBody({ type: CancelBodyDto, required: false }),
  ApiOkResponse({
    type: CancelledOrderViewDto,
    description:
      'The order after the cancellation: `cancelled`, or `partially_shipped`/`shipped` when ' +
      'some shipments had left (only those not shipped are cancelled)',
  }),
  ApiBadRequestResponse({
    type: ProblemDetailsDto,
    description: 'Invalid body (a reason over 500 characters, an unknown field) or order id',
    example: problem(400, 'Invalid request: reason', {
      code: 'INVALID_REQUEST',
      errors: [{ field: 'reason', message: 'Too big: expected string to have <=500 characters' }],
    }),
  }),
  orderNotFound,
  ApiConflictResponse({
    type: ProblemDetailsDto,
    description:
      '`ORDER_ALREADY_SHIPPED`: every shipment has left, nothing is left to cancel ' +
      '(`details.shipped`: the shipments that left; ask for a return instead). ' +
      '`ORDER_NOT_CANCELLABLE`: the order is cancelled, failed or refunded already. ' +
      '`ORDER_VERSION_CONFLICT`: the order changed meanwhile; retry',
    examples: problemExamples(409, {
      ORDER_ALREADY_SHIPPED: {
        detail: 'Order o-5b1f0c9e7d2a4c31 has shipped: nothing is left to cancel',
        details: { shipped: ['sh-us-east-1'] },
      },
      ORDER_NOT_CANCELLABLE: { detail: 'Order o-5b1f0c9e7d2a4c31 is cancelled already' },
      ORDER_VERSION_CONFLICT: { detail: 'Order o-5b1f0c9e7d2a4c31 changed meanwhile; retry' },
    }),
  }),
);

/** The signed-in customer's orders (docs/api.md, "Checkout and orders"). */
@ApiTags('Orders')
@Authenticated('customer')
@NoStore()
@Controller('v1/orders')
export class CustomerOrdersController {
  constructor(private readonly orders: OrdersGatewayService) {}

  @Get()
  @ApiOperation({
    summary: 'The customer’s orders, newest first, with cursor pagination',
    description: 'Placed orders only: a refused checkout leaves no order.',
  })
  @ApiOkResponse({ type: OrderPageDto })
  @badQuery
  list(
    @Query() query: OrderListQueryDto,
    @CurrentUser() user: AuthenticatedUser,
    @RequestCorrelationId() correlationId: string,
  ): Promise<OrderPageDto> {
    return this.orders.listForCustomer({ ...query, customerId: user.customerId }, correlationId);
  }

  @Get(':orderId')
  @ApiOperation({ summary: 'One of the customer’s orders' })
  @ApiOkResponse({ type: OrderViewDto })
  @badOrderId
  @orderNotFound
  get(
    @Param() { orderId }: OrderIdParamDto,
    @CurrentUser() user: AuthenticatedUser,
    @RequestCorrelationId() correlationId: string,
  ): Promise<OrderViewDto> {
    return this.orders.getForCustomer({ orderId, customerId: user.customerId }, correlationId);
  }

  @Get(':orderId/events')
  @ApiOperation({
    summary: 'The order’s audit trail, oldest first: every step with time, actor and reason',
  })
  @ApiOkResponse({ type: OrderHistoryDto })
  @badOrderId
  @orderNotFound
  events(
    @Param() { orderId }: OrderIdParamDto,
    @CurrentUser() user: AuthenticatedUser,
    @RequestCorrelationId() correlationId: string,
  ): Promise<OrderHistoryDto> {
    return this.orders.history({ orderId, customerId: user.customerId }, correlationId);
  }

  @Post(':orderId/cancel')
  @ApiOperation({
    summary: 'Cancel what has not shipped: stock released, payment voided or refunded',
    description:
      'Before fulfilment the whole order is cancelled; once shipments exist, every shipment not ' +
      'yet shipped is cancelled with its lines, and what shipped stays (return it instead).',
  })
  @cancelRoute
  cancel(
    @Param() { orderId }: OrderIdParamDto,
    @cancelBody body: CancelBody | undefined,
    @CurrentUser() user: AuthenticatedUser,
    @RequestCorrelationId() correlationId: string,
  ): Promise<CancelledOrderViewDto> {
    const { customerId } = user;
    return this.orders.cancel(
      { orderId, customerId, actor: { kind: 'customer', id: customerId }, ...body },
      correlationId,
    );
  }

  @Post(':orderId/returns')
  @IdempotencyKeyHeader
  @ApiOperation({
    summary: 'Return delivered units, within the return window after delivery',
    description:
      'Each item names a delivered SKU, how many units, why, and their condition ' +
      '(`resellable` units go back to stock once received, `damaged` ones are written off). ' +
      'The refund is those units’ share of what the customer paid, given back once the ' +
      'warehouse receives them. With an `Idempotency-Key`, a retry with the same items answers ' +
      'the same return.',
  })
  @ApiBody({ type: ReturnRequestBodyDto })
  @ApiCreatedResponse({ type: ReturnViewDto, description: 'The return, `requested`' })
  @ApiBadRequestResponse({
    type: ProblemDetailsDto,
    description:
      'Invalid body (no items, a quantity under 1, an unknown condition, an unknown field), ' +
      'order id or Idempotency-Key',
    example: problem(400, 'Invalid request: items.0.condition', {
      code: 'INVALID_REQUEST',
      errors: [
        {
          field: 'items.0.condition',
          message: 'Invalid option: expected one of "resellable"|"damaged"',
        },
      ],
    }),
  })
  @orderNotFound
  @ApiUnprocessableEntityResponse({
    type: ProblemDetailsDto,
    description:
      '`RETURN_WINDOW_CLOSED`: the return window after delivery has passed (or nothing was ' +
      'delivered yet). `RETURN_EXCEEDS_DELIVERED`: more units than were delivered and not ' +
      'returned yet (`details.items`). `IDEMPOTENCY_KEY_REUSED`: the key was used with other items',
    examples: problemExamples(422, {
      RETURN_WINDOW_CLOSED: {
        detail: 'The return window of order o-5b1f0c9e7d2a4c31 closed on 2027-01-11',
      },
      RETURN_EXCEEDS_DELIVERED: {
        detail: 'More units than were delivered and not yet returned',
        details: { items: [{ sku: 'NOR-000001-1', requested: 3, returnable: 2 }] },
      },
      IDEMPOTENCY_KEY_REUSED: { detail: 'This Idempotency-Key was used for another return' },
    }),
  })
  requestReturn(
    @Param() { orderId }: OrderIdParamDto,
    @Body() body: ReturnRequestBodyDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @CurrentUser() user: AuthenticatedUser,
    @RequestCorrelationId() correlationId: string,
  ): Promise<ReturnViewDto> {
    return this.orders.requestReturn(
      {
        orderId,
        customerId: user.customerId,
        items: body.items,
        ...(idempotencyKey ? { idempotencyKey } : {}),
      },
      correlationId,
    );
  }
}

/** The review's body may be left out: no body is no reason. */
const reviewBody = Body(new ZodValidationPipe(reviewBodySchema.optional()));
const ReviewBodyDoc = ApiBody({ type: ReviewBodyDto, required: false });

const notOnHold = ApiConflictResponse({
  type: ProblemDetailsDto,
  description:
    '`ORDER_TRANSITION_REFUSED`: the order is not `on_hold` (reviewed already?). ' +
    '`ORDER_VERSION_CONFLICT`: the order changed meanwhile; read it and decide again',
  example: problem(409, 'Order o-5b1f0c9e7d2a4c31 is confirmed, not on_hold', {
    code: 'ORDER_TRANSITION_REFUSED',
  }),
});

/** What approve and reject share: 200 with the admin view, their body and their refusals. */
const reviewRoute = applyDecorators(
  HttpCode(200),
  ReviewBodyDoc,
  ApiOkResponse({ type: AdminOrderViewDto, description: 'The order after the review' }),
  ApiBadRequestResponse({ type: ProblemDetailsDto, description: 'Invalid body or order id' }),
  orderNotFound,
  notOnHold,
);

/** Every order, for admins, and the fraud review of held orders. */
@ApiTags('Admin')
@Authenticated('admin')
@NoStore()
@Controller('v1/admin/orders')
export class AdminOrdersController {
  constructor(private readonly orders: OrdersGatewayService) {}

  @Get()
  @ApiOperation({
    summary: 'Every order, newest first: by status (e.g. on_hold for review), by customer',
  })
  @ApiOkResponse({ type: OrderPageDto })
  @badQuery
  list(
    @Query() query: AdminOrderListQueryDto,
    @RequestCorrelationId() correlationId: string,
  ): Promise<OrderPageDto> {
    return this.orders.listForAdmin(query, correlationId);
  }

  @Get(':orderId')
  @ApiOperation({
    summary: 'An order with its timeline, payments and fraud decision',
  })
  @ApiOkResponse({ type: AdminOrderViewDto })
  @badOrderId
  @orderNotFound
  get(
    @Param() { orderId }: OrderIdParamDto,
    @RequestCorrelationId() correlationId: string,
  ): Promise<AdminOrderViewDto> {
    return this.orders.getForAdmin(orderId, correlationId);
  }

  @Post(':orderId/approve')
  @ApiOperation({
    summary: 'Approve an on_hold order: the checkout continues (stock committed, confirmed)',
  })
  @reviewRoute
  approve(
    @Param() { orderId }: OrderIdParamDto,
    @reviewBody body: ReviewBody | undefined,
    @CurrentUser() admin: AuthenticatedUser,
    @RequestCorrelationId() correlationId: string,
  ): Promise<AdminOrderViewDto> {
    return this.orders.review(
      { orderId, decision: 'approve', adminId: admin.customerId, ...body },
      correlationId,
    );
  }

  @Post(':orderId/reject')
  @ApiOperation({
    summary: 'Reject an on_hold order: stock released, payment voided, the order cancelled',
  })
  @reviewRoute
  reject(
    @Param() { orderId }: OrderIdParamDto,
    @reviewBody body: ReviewBody | undefined,
    @CurrentUser() admin: AuthenticatedUser,
    @RequestCorrelationId() correlationId: string,
  ): Promise<AdminOrderViewDto> {
    return this.orders.review(
      { orderId, decision: 'reject', adminId: admin.customerId, ...body },
      correlationId,
    );
  }

  @Post(':orderId/cancel')
  @ApiOperation({
    summary: 'Cancel what has not shipped of any order, as the admin of the token',
    description: 'As the customer’s cancellation, for any customer’s order.',
  })
  @cancelRoute
  cancel(
    @Param() { orderId }: OrderIdParamDto,
    @cancelBody body: CancelBody | undefined,
    @CurrentUser() admin: AuthenticatedUser,
    @RequestCorrelationId() correlationId: string,
  ): Promise<CancelledOrderViewDto> {
    return this.orders.cancel(
      { orderId, actor: { kind: 'admin', id: admin.customerId }, ...body },
      correlationId,
    );
  }
}

/** A seller's view of the orders holding their products (an extension of docs/api.md). */
@ApiTags('Seller')
@Authenticated('seller')
@NoStore()
@Controller('v1/seller/orders')
export class SellerOrdersController {
  constructor(private readonly orders: OrdersGatewayService) {}

  @Get()
  @ApiOperation({
    summary: 'Orders holding the seller’s products, newest first, with the seller’s lines only',
  })
  @ApiOkResponse({ type: SellerOrderPageDto })
  @badQuery
  list(
    @Query() query: OrderListQueryDto,
    @CurrentUser() seller: AuthenticatedUser,
    @RequestCorrelationId() correlationId: string,
  ): Promise<SellerOrderPageDto> {
    return this.orders.listForSeller({ ...query, sellerId: seller.customerId }, correlationId);
  }
}
