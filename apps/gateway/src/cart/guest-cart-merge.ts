import { Injectable, Logger } from '@nestjs/common';
import { cartIdSchema, MergeGuestCart } from '@mercato/contracts';
import { MessageBus } from '@mercato/messaging';
import { AccessTokenVerifier } from '../auth';

/**
 * A sign-in waits this long for the merge at most: past it the login answers, and the first
 * cart call with the same X-Cart-Id merges the cart instead.
 */
const MERGE_AT_LOGIN_TIMEOUT_MS = 3_000;

/**
 * Merges a guest's cart into the customer's cart at login (docs/api.md, "Cart"). Never fails
 * the login: a refused or unanswered merge is logged, and the customer's first cart call with
 * the same `X-Cart-Id` merges it then (the cart service merges a guest cart once).
 */
@Injectable()
export class GuestCartMerge {
  private readonly logger = new Logger(GuestCartMerge.name);

  constructor(
    private readonly bus: MessageBus,
    private readonly tokens: AccessTokenVerifier,
  ) {}

  /** `accessToken`: the one the login just issued, which says who signed in and their region. */
  async atLogin(accessToken: string, cartIdHeader: unknown, correlationId: string): Promise<void> {
    if (cartIdHeader === undefined || cartIdHeader === '') return;
    // A malformed id names no cart to merge.
    const cartId = cartIdSchema.safeParse(cartIdHeader);
    if (!cartId.success) return;
    try {
      const user = await this.tokens.verify(accessToken);
      // Staff accounts have no cart.
      if (!user.roles.includes('customer')) return;
      await this.bus.request(
        MergeGuestCart,
        { customerId: user.customerId, cartId: cartId.data, region: user.region },
        { key: user.customerId, correlationId, timeoutMs: MERGE_AT_LOGIN_TIMEOUT_MS },
      );
    } catch (error) {
      this.logger.warn({
        msg: `Guest cart merge at login failed; the next cart call merges it: ${String(error)}`,
        correlationId,
      });
    }
  }
}
