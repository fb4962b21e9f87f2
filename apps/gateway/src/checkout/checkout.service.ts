import { Injectable } from '@nestjs/common';
import { PlaceOrder, type RequestOf, type ResponseOf } from '@mercato/contracts';
import { MessageBus } from '@mercato/messaging';
import { CustomerAccounts } from '../auth';

/**
 * A checkout waits for the payment provider, which may take seconds (`tok_slow`:
 * PAYMENT_SLOW_MS, 10 s by default): far beyond a query's reply timeout. A reply that still
 * comes late is not lost: the same Idempotency-Key again answers it.
 */
const PLACE_ORDER_TIMEOUT_MS = 30_000;

/**
 * The gateway's side of checkout: one PlaceOrder request, keyed by the customer, with the
 * account's creation date the gateway owns (fraud screening weighs new accounts).
 */
@Injectable()
export class CheckoutGatewayService {
  constructor(
    private readonly bus: MessageBus,
    private readonly accounts: CustomerAccounts,
  ) {}

  async placeOrder(
    command: Omit<RequestOf<typeof PlaceOrder>, 'customerSince'>,
    correlationId: string,
  ): Promise<ResponseOf<typeof PlaceOrder>> {
    const customerSince = await this.accounts.customerSince(command.customerId);
    const request = customerSince === undefined ? command : { ...command, customerSince };
    return this.bus.request(PlaceOrder, request, {
      key: command.customerId,
      correlationId,
      timeoutMs: PLACE_ORDER_TIMEOUT_MS,
    });
  }
}
