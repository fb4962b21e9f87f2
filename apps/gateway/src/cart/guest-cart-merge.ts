import { Injectable, Logger } from '@nestjs/common';
import { cartIdSchema, MergeGuestCart } from '@mercato/contracts';
import { MessageBus } from '@mercato/messaging';
import type { AuthenticatedUser } from '../auth';

/**
 * Merges a guest's cart into the customer's cart at login (docs/api.md, "Cart"). Never fails
 * the login: a refused or unanswered merge is logged, and the customer's first cart call with
 * the same `X-Cart-Id` merges it then (the cart service merges a guest cart once).
 */
@Injectable()
export class GuestCartMerge {
  private readonly logger = new Logger(GuestCartMerge.name);

  constructor(private readonly bus: MessageBus) {}

  async atLogin(user: AuthenticatedUser, cartIdHeader: unknown, correlationId: string) {
    if (cartIdHeader === undefined || cartIdHeader === '') return;
    // Staff accounts have no cart; a malformed id names no cart to merge.
    if (!user.roles.includes('customer')) return;
    const cartId = cartIdSchema.safeParse(cartIdHeader);
    if (!cartId.success) return;
    try {
      await this.bus.request(
        MergeGuestCart,
        { customerId: user.customerId, cartId: cartId.data, region: user.region },
        { key: user.customerId, correlationId },
      );
    } catch (error) {
      this.logger.warn({
        msg: `Guest cart merge at login failed; the next cart call merges it: ${String(error)}`,
        correlationId,
      });
    }
  }
}
