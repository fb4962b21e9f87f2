import {
  Injectable,
  Logger,
  Optional,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { InjectConfig } from '@mercato/config';
import { MessageBus } from '@mercato/messaging';
import type { OrderStatus } from '../orders/order.events';
import { OrdersRepository } from '../orders/orders.repository';
import { LifecycleClock } from './lifecycle.clock';
import { lifecycleSettings, type LifecycleSettings } from './lifecycle.config';
import { LifecycleWorker } from './lifecycle-worker';

const DAY_MS = 86_400_000;
const PAGE = 100;

/** Statuses with a shipment still to move, money still to settle, or a clock still running. */
const OPEN_STATUSES: readonly OrderStatus[] = [
  'confirmed',
  'fulfilling',
  'picked',
  'packed',
  'partially_shipped',
  'shipped',
  'partially_delivered',
  'cancelled',
  'returned',
];

/** Delivered orders keep a return window; past it (and a margin) nothing can come back. */
const RETURNABLE_STATUSES: readonly OrderStatus[] = ['delivered'];
const DELIVERY_MARGIN_DAYS = 60;

/**
 * The lifecycle's safety net and clock: every ORDER_LIFECYCLE_SWEEP_MS it walks the open orders
 * (the admins' by-status index) and lets the worker run what is outstanding and what time made
 * due: a late pick is flagged, an authorisation about to lapse is renewed, and a step whose
 * message was lost (a dead-lettered consumer call, a process that died) is done now. Nothing
 * waits on the outside world without something that will move it.
 */
@Injectable()
export class LifecycleSweeper implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(LifecycleSweeper.name);
  private readonly settings: LifecycleSettings;
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly orders: OrdersRepository,
    private readonly worker: LifecycleWorker,
    private readonly clock: LifecycleClock,
    @InjectConfig() config: object,
    @Optional() private readonly bus?: MessageBus,
  ) {
    this.settings = lifecycleSettings(config);
  }

  onModuleInit(): void {
    if (!this.bus) return;
    this.timer = setInterval(() => void this.sweepOnce(), this.settings.ORDER_LIFECYCLE_SWEEP_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One pass (a pass already running is joined, not doubled). Answers the orders visited. */
  sweepOnce(): Promise<number> {
    this.running ??= this.sweep().finally(() => (this.running = undefined));
    return this.running;
  }

  private async sweep(): Promise<number> {
    let visited = 0;
    const returnableSince =
      this.clock.now() - (this.settings.ORDER_RETURN_WINDOW_DAYS + DELIVERY_MARGIN_DAYS) * DAY_MS;
    for (const status of [...OPEN_STATUSES, ...RETURNABLE_STATUSES]) {
      let cursor: string | undefined;
      do {
        const page = await this.orders.listByStatus(status, { limit: PAGE, cursor });
        for (const order of page.orders) {
          if (
            RETURNABLE_STATUSES.includes(status) &&
            Date.parse(order.placedAt) < returnableSince
          ) {
            // Newest first: every later page is older still.
            cursor = undefined;
            break;
          }
          visited += 1;
          await this.worker.advance(order.orderId, true).catch((error: unknown) => {
            this.logger.warn(`order ${order.orderId}: ${(error as Error).message}`);
          });
        }
        cursor = cursor === undefined && page.orders.length === 0 ? undefined : page.nextCursor;
      } while (cursor);
    }
    return visited;
  }
}
