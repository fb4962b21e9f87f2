import {
  BadRequestException,
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
} from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { cartIdSchema, type CartCaller } from '@mercato/contracts';
import { type AuthRequest, JwtAuthGuard } from '../auth';

export const CART_ID_HEADER = 'x-cart-id';

/**
 * Reads an `X-Cart-Id` header: absent (or empty) is no cart yet; anything but one cart id is a
 * 400 `INVALID_CART_ID`, so a typo never silently starts a new cart.
 */
function parseCartIdHeader(header: unknown): string | undefined {
  if (header === undefined || header === '') return undefined;
  const parsed = cartIdSchema.safeParse(header);
  if (!parsed.success) {
    throw new BadRequestException({
      message: 'X-Cart-Id must be the cartId a cart call answered (8 to 64 of A-Z a-z 0-9 _ -)',
      code: 'INVALID_CART_ID',
    });
  }
  return parsed.data;
}

/**
 * The cart routes' door: guests (no token) and customers. A token must be valid (401) and a
 * customer's: sellers and admins have no cart (403), so a staff session never fills one.
 */
@Injectable()
export class ShopperGuard implements CanActivate {
  constructor(private readonly jwt: JwtAuthGuard) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthRequest>();
    // As OptionalAuthGuard: no Authorization header is a guest.
    if (request.headers.authorization !== undefined) await this.jwt.canActivate(context);
    const { user } = request;
    if (user && !user.roles.includes('customer')) {
      throw new ForbiddenException('Carts belong to customers and guests, not to staff accounts.');
    }
    return true;
  }
}

/** Who owns the cart: the signed-in customer and/or the guest cart of `X-Cart-Id`. */
export const CurrentCartCaller = createParamDecorator(
  (_: unknown, context: ExecutionContext): CartCaller => {
    const request = context.switchToHttp().getRequest<AuthRequest>();
    const cartId = parseCartIdHeader(request.headers[CART_ID_HEADER]);
    return {
      ...(request.user ? { customerId: request.user.customerId } : {}),
      ...(cartId ? { cartId } : {}),
    };
  },
);

/** Documents `X-Cart-Id` on a route that reads it. */
export const CartIdHeader = (description: string): MethodDecorator & ClassDecorator =>
  ApiHeader({
    name: 'X-Cart-Id',
    required: false,
    description,
    schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{8,64}$', example: 'c_7Hq2xK9mPzR4tW1v' },
  });
