import { randomUUID } from 'node:crypto';
import {
  Injectable,
  Logger,
  Optional,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { InjectConfig } from '@mercato/config';
import { MessageBus } from '@mercato/messaging';
import { IdempotencyStore } from '../idempotency/idempotency.store';
import { OrderRecorder } from '../orders/order-recorder';
import { CheckoutSteps } from './checkout-steps';
import { CheckoutClock } from './checkout.clock';
import { checkoutSettings, type CheckoutSettings } from './checkout.config';
import { CheckoutsRepository, type OpenCheckout } from './checkouts.repository';
import { orderViewOf } from '../order-queries/order-views';
import { decideRecovery } from './recovery.rules';

/** What one pass did with each checkout it took (for logs and specs). */
export interface RecoveryOutcome {
  orderId: string;
  action: ReturnType<typeof decideRecovery>['kind'];
}

/**
 * Closed checkouts live an hour (CLOSED_CHECKOUT_RETENTION_MS); deleting the expired ones every
 * ten minutes keeps the table small without a second scan on every pass (DynamoDB's TTL does
 * it on AWS).
 */
const PURGE_INTERVAL_MS = 600_000;

/**
 * Finishes or undoes checkouts whose process stopped driving them (crash, deploy, an error
 * mid-saga): every ORDER_RECOVERY_INTERVAL_MS it takes each open checkout whose lease ran out
 * (one conditional update, so two order processes never drive one saga), decides from the
 * order's history (`decideRecovery`) and acts; every action is idempotent, so a pass that dies
 * halfway is simply repeated by the next one. Runs only where a MessageBus exists.
 */
@Injectable()
export class CheckoutRecovery implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(CheckoutRecovery.name);
  private readonly settings: CheckoutSettings;
  private readonly owner = `recovery-${randomUUID()}`;
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly checkouts: CheckoutsRepository,
    private readonly recorder: OrderRecorder,
    private readonly steps: CheckoutSteps,
    private readonly idempotency: IdempotencyStore,
    private readonly clock: CheckoutClock,
    @InjectConfig() config: object,
    @Optional() private readonly bus?: MessageBus,
  ) {
    this.settings = checkoutSettings(config);
  }

  onModuleInit(): void {
    if (!this.bus) return;
    this.timer = setInterval(() => {
      this.running ??= this.runOnce()
        .catch((error: Error) => this.logger.warn(`recovery pass failed: ${error.message}`))
        .finally(() => (this.running = undefined));
    }, this.settings.ORDER_RECOVERY_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** When this process next deletes closed checkouts whose retention ended. */
  private nextPurgeAt = 0;

  /** One pass over the stale open checkouts; answers what it did with those it took. */
  async runOnce(): Promise<RecoveryOutcome[]> {
    const now = this.clock.now();
    if (now >= this.nextPurgeAt) {
      await this.checkouts.purgeClosed(now);
      this.nextPurgeAt = now + PURGE_INTERVAL_MS;
    }
    const outcomes: RecoveryOutcome[] = [];
    for (const checkout of await this.checkouts.listStale(now)) {
      const until = now + this.settings.ORDER_CHECKOUT_LEASE_MS;
      if (!(await this.checkouts.take(checkout.checkoutId, this.owner, now, until))) continue;
      try {
        const outcome = await this.recover(checkout);
        this.logger.log(`checkout ${outcome.orderId} of a dead process: ${outcome.action}`);
        outcomes.push(outcome);
      } catch (error) {
        // Left stale again after its lease: the next pass retries.
        this.logger.warn(`recovery of ${checkout.orderId} failed: ${(error as Error).message}`);
      }
    }
    return outcomes;
  }

  private async recover(checkout: OpenCheckout): Promise<RecoveryOutcome> {
    const order = await this.recorder.load(checkout.orderId);
    const action = decideRecovery(order);
    const token = {
      scope: checkout.customerId,
      key: checkout.idempotencyKey,
      claimId: checkout.claimId,
    };
    // The key's answer, when the saga ends with one (kept on the closed checkout).
    let outcome: { status: number; body: unknown } | undefined;
    switch (action.kind) {
      case 'discard':
        await this.idempotency.abandon(token);
        break;
      case 'finish': {
        let state = order!;
        if (action.commitStock) {
          const reservationIds = await this.steps.commitStock(state);
          state = await this.steps.record(state, [
            { type: 'stock_committed', data: { reservationIds } },
          ]);
        }
        if (action.clearCart) {
          await this.steps.clearCart(state);
          state = await this.steps.record(state, [{ type: 'cart_cleared', data: {} }]);
        }
        outcome = { status: 201, body: orderViewOf(state) };
        await this.idempotency.complete(token, outcome);
        break;
      }
      case 'hold': {
        let state = order!;
        if (action.clearCart) {
          await this.steps.clearCart(state);
          state = await this.steps.record(state, [{ type: 'cart_cleared', data: {} }]);
        }
        outcome = { status: 201, body: orderViewOf(state) };
        await this.idempotency.complete(token, outcome);
        break;
      }
      case 'compensate':
        await this.steps.undo(
          order!,
          'interrupted',
          action.compensations,
          action.recordFailure
            ? [{ type: 'failed', reason: 'interrupted', data: { reason: 'interrupted' } }]
            : [],
          { paymentToken: checkout.paymentToken },
        );
        // The client never heard an answer: a retry with the key runs the checkout again.
        await this.idempotency.abandon(token);
        break;
      case 'close':
        break;
    }
    if (outcome) {
      await this.checkouts.finish(checkout.checkoutId, this.owner, outcome, this.clock.now());
    } else {
      await this.checkouts.close(checkout.checkoutId, this.owner);
    }
    return { orderId: checkout.orderId, action: action.kind };
  }
}
