import { Injectable } from '@nestjs/common';
import { InjectConfig } from '@mercato/config';
import { shopperKeyOf, type Shopper } from '@mercato/contracts';
import { interactionMetrics, type InteractionMetrics } from './interaction-metrics';
import { InteractionRateRepository } from './interaction-rate.repository';
import { interactionsSettings, type InteractionsSettings } from './interactions.config';
import { InteractionsRepository } from './interactions.repository';
import {
  capMinuteOf,
  expiresAtOf,
  interactionAtOrBefore,
  newestFirst,
  type Interaction,
  type InteractionView,
} from './interactions.rules';

/** The most linked devices a customer's history reads (the latest signed in on). */
const MAX_LINKED_DEVICES = 20;

/**
 * Shoppers' interaction histories (docs/recommendations.md, "Interaction stream"): stores each
 * interaction once, unless its shopper is over the minute's cap, links devices to the customers
 * who sign in on them, and answers a shopper's history newest first.
 */
@Injectable()
export class InteractionsService {
  private readonly settings: InteractionsSettings;
  private readonly metrics: InteractionMetrics = interactionMetrics();

  constructor(
    private readonly interactions: InteractionsRepository,
    private readonly rate: InteractionRateRepository,
    @InjectConfig() config: object,
  ) {
    this.settings = interactionsSettings(config);
  }

  /**
   * Stores interactions in order. The cap counts before the write, so a redelivered event counts
   * again in its minute (at-least-once delivery makes that rare; it can only drop early, never
   * store a flood).
   */
  async record(interactions: readonly Interaction[]): Promise<void> {
    for (const interaction of interactions) await this.recordOne(interaction);
  }

  private async recordOne(interaction: Interaction): Promise<void> {
    const { shopperKey, view } = interaction;
    const count = await this.rate.countOne(shopperKey, capMinuteOf(interaction));
    if (count > this.settings.maxEventsPerMinute) {
      this.metrics.dropped('rate').inc();
      return;
    }
    const expiresAt = expiresAtOf(view.occurredAt, this.settings.retentionDays);
    if (await this.interactions.add(shopperKey, view, expiresAt)) this.metrics.stored(view).inc();
  }

  /** A device's shopper signed in as the customer: the device's history becomes theirs. */
  async link(deviceId: string, customerId: string, signedInAt: string): Promise<void> {
    await this.interactions.link(customerId, deviceId, new Date(signedInAt).toISOString());
  }

  /**
   * A shopper's newest interactions. A customer's: their own and, of each device they signed in
   * on (the latest 20), what it did anonymously up to their latest sign-in there, so what
   * another person does later on a shared device is not theirs. A device's: its own only, linked
   * or not; an anonymous device never shows a customer's history.
   */
  async history(shopper: Shopper, limit: number): Promise<InteractionView[]> {
    const own = this.interactions.newest(shopperKeyOf(shopper), limit);
    if (shopper.kind === 'device') return own;
    const links = (await this.interactions.linksOf(shopper.id))
      .sort((a, b) => (a.linkedAt < b.linkedAt ? 1 : a.linkedAt > b.linkedAt ? -1 : 0))
      .slice(0, MAX_LINKED_DEVICES);
    const histories = await Promise.all([
      own,
      ...links.map((link) =>
        this.interactions.newest(
          shopperKeyOf({ kind: 'device', id: link.deviceId }),
          limit,
          interactionAtOrBefore(link.linkedAt),
        ),
      ),
    ]);
    return newestFirst(histories, limit);
  }
}
