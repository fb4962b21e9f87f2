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
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { problem, RequestCorrelationId } from '@mercato/runtime';
import { ZodValidationPipe } from 'nestjs-zod';
import { Authenticated, CurrentUser, type AuthenticatedUser } from '../auth';
import { NoStore } from '../common/no-store';
import { ProblemDetailsDto } from '../common/problem-details.dto';
import {
  AdminOrderListQueryDto,
  AdminOrderViewDto,
  OrderHistoryDto,
  OrderIdParamDto,
  OrderListQueryDto,
  OrderPageDto,
  OrderViewDto,
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
