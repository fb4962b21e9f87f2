import { randomUUID } from 'node:crypto';
import {
  Injectable,
  Logger,
  Optional,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import {
  PromotionsChanged,
  REGION_CURRENCY,
  type CouponRedemption,
  type CouponRelease,
  type PricedCart,
  type PriceLine,
  type Promotion,
  type PromotionChanges,
  type PromotionInput,
  type PromotionListing,
  type Region,
} from '@mercato/contracts';
import { MessageBus } from '@mercato/messaging';
import { CategoriesService } from '../categories/categories.service';
import { FieldError, PromotionsErrorCode, PromotionsException } from './promotions.exception';
import {
  normalizeCouponCode,
  priceCart,
  priceProduct,
  type PricingProduct,
  type ProductPricing,
} from './promotions.pricing';
import { PromotionsRepository, type CouponTerms } from './promotions.repository';
import {
  couponUsageView,
  exclusiveClashes,
  hasEnded,
  isExclusiveAutomatic,
  mergeChanges,
  statusAt,
  targetedCategories,
  windowErrors,
  type CategoryPathOf,
} from './promotions.rules';

/**
 * How often each catalog process reads the epoch item. Polling rather than consuming our own
 * PromotionsChanged event: an event reaches ONE member of a consumer group, but every catalog
 * process must reload (a group per process would leave a Kafka consumer group behind per
 * restart), and one GetItem every two seconds is nearly free. It also heals a lost event.
 */
export const PROMOTIONS_POLL_MS = 2_000;
/** Lease of the admin-write lock, and how long a create waits for it. */
const WRITE_LEASE_MS = 10_000;
const WRITE_LOCK_WAIT_MS = 3_000;
/** A change whose event is still unpublished after this long is relayed by any process. */
export const RELAY_AFTER_MS = 10_000;

export type CreatePromotionCommand = PromotionInput & { createdBy: string };

export interface UpdatePromotionCommand {
  promotionId: string;
  changes: PromotionChanges;
  /** The version the admin read (If-Match); without it the changes merge into the latest. */
  expectedVersion?: number;
  updatedBy: string;
}

export interface PriceCartQuery {
  region: Region;
  customerId?: string;
  lines: PriceLine[];
  coupons: string[];
}

/**
 * Promotions: admin commands, coupon redemption, and pricing from an in-memory copy of the
 * promotions (loaded at start, reloaded when the epoch item moves).
 */
@Injectable()
export class PromotionsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(PromotionsService.name);
  private promotions: readonly Promotion[] = [];
  private loadedEpoch = -1;
  private reloading?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private polling = false;

  constructor(
    private readonly repository: PromotionsRepository,
    private readonly categories: CategoriesService,
    // Absent when the catalog runs without a bus (unit tests of products and categories).
    @Optional() private readonly bus?: MessageBus,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.reload();
    this.timer = setInterval(() => void this.poll(), PROMOTIONS_POLL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** The promotions the engine sees (not yet ended at the last reload). */
  cached(): readonly Promotion[] {
    return this.promotions;
  }

  /**
   * Product-detail prices for one region, from memory (no I/O): each variant's single-unit
   * price after automatic promotions, its list price, the promotions applied, and
   * `pricesValidUntil` for caches. `categoryPath` is the product's category ids, department first.
   */
  priceProduct(product: PricingProduct, region: Region, now: Date = new Date()): ProductPricing {
    return priceProduct(product, this.promotions, region, now);
  }

  /** Prices cart lines with the cached promotions and the coupons' current usage. */
  async priceCart(query: PriceCartQuery, now: Date = new Date()): Promise<PricedCart> {
    const currency = REGION_CURRENCY[query.region];
    const mismatched: FieldError[] = query.lines.flatMap((line, i) =>
      line.unitPrice.currency === currency
        ? []
        : [
            {
              field: `lines.${i}.unitPrice.currency`,
              message: `Region ${query.region} uses ${currency}`,
            },
          ],
    );
    if (mismatched.length) {
      throw new PromotionsException(
        PromotionsErrorCode.CurrencyMismatch,
        'Lines must be priced in the region’s currency',
        mismatched,
      );
    }
    const known = new Set(this.promotions.flatMap((p) => (p.coupon ? [p.coupon.code] : [])));
    const codes = query.coupons.map(normalizeCouponCode).filter((code) => known.has(code));
    const usage = await this.repository.couponUsage(codes, query.customerId);
    return priceCart({
      region: query.region,
      lines: query.lines,
      promotions: this.promotions,
      coupons: query.coupons,
      usage,
      now,
    });
  }

  async list(now: Date = new Date()): Promise<PromotionListing[]> {
    const promotions = await this.repository.listPromotions();
    return this.withStatus(
      promotions.sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
      now,
    );
  }

  /** One promotion with its status and coupon usage; 404 when there is none with this id. */
  async get(promotionId: string, now: Date = new Date()): Promise<PromotionListing> {
    const promotion = await this.repository.getPromotion(promotionId);
    if (!promotion) throw notFound(promotionId);
    const [listing] = await this.withStatus([promotion], now);
    return listing;
  }

  /** Promotions as admins see them: status at `now` and coupon use so far. */
  private async withStatus(
    promotions: readonly Promotion[],
    now: Date,
  ): Promise<PromotionListing[]> {
    const usage = await this.repository.couponUsage(
      promotions.flatMap((p) => (p.coupon ? [p.coupon.code] : [])),
    );
    const nowMs = now.getTime();
    return promotions.map((p): PromotionListing => ({
      ...p,
      status: statusAt(p, nowMs),
      usage: couponUsageView(p, p.coupon ? (usage.get(p.coupon.code)?.used ?? 0) : 0),
    }));
  }

  /**
   * Stores a promotion. Refuses (storing nothing): unknown categories and windows already over
   * (400), a coupon code in use (409), and an exclusive automatic promotion that could meet
   * another on the same product at the same time (422) — the merchant should choose, not the
   * engine. Creates are serialised by a lease, so two overlapping ones cannot both pass.
   */
  async create(command: CreatePromotionCommand, now: Date = new Date()): Promise<Promotion> {
    const promotion = this.toPromotion(command, now);
    await this.checkRules(promotion, now);

    const token = randomUUID();
    await this.lock(token);
    let epoch: number | undefined;
    try {
      await this.refuseOverlaps(promotion, now);
      const { coupon } = promotion;
      if (coupon && !(await this.repository.claimCoupon({ ...promotion, coupon }))) {
        throw new PromotionsException(
          PromotionsErrorCode.CouponCodeTaken,
          `Coupon code ${coupon.code} is already in use`,
          [{ field: 'coupon.code', message: 'This code is already in use' }],
        );
      }
      try {
        await this.repository.putPromotion(promotion);
        epoch = await this.repository.commitChange(token, Date.now());
        if (epoch === undefined) {
          await this.repository.deletePromotion(promotion.promotionId);
          throw new PromotionsException(
            PromotionsErrorCode.PromotionsBusy,
            'Another promotions change took over; nothing was stored, try again',
          );
        }
      } catch (error) {
        if (coupon) await this.repository.unclaimCoupon(coupon.code, promotion.promotionId);
        throw error;
      }
    } finally {
      if (epoch === undefined) await this.repository.releaseWriteLock(token);
    }
    await this.afterChange(epoch);
    return promotion;
  }

  /**
   * Changes the given fields of a promotion that has not ended. The merged promotion must pass
   * the create rules: fields of its own kind only, dates in order and not over, known
   * categories, no overlap with another exclusive automatic promotion (the promotion itself
   * aside). The change is merged into the stored copy read under the admin-write lease, so two
   * concurrent updates of different fields both land; of two updates of one field the later
   * wins, unless the admin names the version read (`expectedVersion`, If-Match): then a newer
   * stored version answers 409 and nothing is written. Records who changed it and when.
   */
  async update(command: UpdatePromotionCommand, now: Date = new Date()): Promise<PromotionListing> {
    const changed = await this.change(command.promotionId, async (stored) => {
      if (hasEnded(stored, now.getTime())) throw ended(stored);
      if (command.expectedVersion !== undefined && command.expectedVersion !== stored.version) {
        throw new PromotionsException(
          PromotionsErrorCode.PromotionVersionConflict,
          `Promotion ${stored.promotionId} is at version ${stored.version}, not ` +
            `${command.expectedVersion}: read it again and reapply the change`,
        );
      }
      const next = mergeChanges(stored, command.changes, command.updatedBy, now);
      await this.checkRules(next, now);
      await this.refuseOverlaps(next, now);
      return next;
    });
    return (await this.withStatus([changed], now))[0];
  }

  /**
   * Ends a promotion now: its end becomes `now` (its coupon stops redeeming), it stays stored
   * with status `ended`. Ending one that has ended already writes nothing and answers it as it is.
   */
  async end(
    promotionId: string,
    endedBy: string,
    now: Date = new Date(),
  ): Promise<PromotionListing> {
    const nowMs = now.getTime();
    const stored = await this.repository.getPromotion(promotionId);
    if (!stored) throw notFound(promotionId);
    const result = hasEnded(stored, nowMs)
      ? stored
      : await this.change(promotionId, async (current) =>
          hasEnded(current, nowMs)
            ? undefined
            : {
                ...current,
                endsAt: now.toISOString(),
                updatedBy: endedBy,
                updatedAt: now.toISOString(),
                version: current.version + 1,
              },
        );
    return (await this.withStatus([result], now))[0];
  }

  /**
   * One change of a stored promotion under the admin-write lease: reads it (404 when unknown),
   * lets `decide` build the next version (or answer undefined: nothing to change), writes the
   * coupon's terms and the promotion (conditional on the version read), then moves the epoch.
   * A lease lost before the epoch moved undoes both writes. Answers the promotion as stored.
   */
  private async change(
    promotionId: string,
    decide: (stored: Promotion) => Promise<Promotion | undefined>,
  ): Promise<Promotion> {
    const token = randomUUID();
    await this.lock(token);
    let epoch: number | undefined;
    let next: Promotion | undefined;
    try {
      const stored = await this.repository.getPromotion(promotionId);
      if (!stored) throw notFound(promotionId);
      next = await decide(stored);
      if (!next) return stored;
      const { coupon } = stored;
      if (coupon)
        await this.repository.updateCouponTerms(coupon.code, promotionId, couponTerms(next));
      const undoCoupon = async () => {
        if (coupon) {
          await this.repository.updateCouponTerms(coupon.code, promotionId, couponTerms(stored));
        }
      };
      if (!(await this.repository.replacePromotion(next, stored.version))) {
        await undoCoupon();
        throw new PromotionsException(
          PromotionsErrorCode.PromotionVersionConflict,
          `Promotion ${promotionId} changed while this change was being made; try again`,
        );
      }
      epoch = await this.repository.commitChange(token, Date.now());
      if (epoch === undefined) {
        await this.repository.replacePromotion(stored, next.version);
        await undoCoupon();
        throw new PromotionsException(
          PromotionsErrorCode.PromotionsBusy,
          'Another promotions change took over; nothing was changed, try again',
        );
      }
    } finally {
      if (epoch === undefined) await this.repository.releaseWriteLock(token);
    }
    await this.afterChange(epoch);
    return next;
  }

  /** Announces a committed change and reloads this process's copy. */
  private async afterChange(epoch: number): Promise<void> {
    await this.announce(epoch);
    // Stored either way: a failed reload is retried by the poller, never reported as a failure.
    await this.reload().catch((error: unknown) =>
      this.logger.warn(`Promotions reload after a change failed: ${String(error)}`),
    );
  }

  async redeemCoupon(
    code: string,
    customerId: string,
    orderId: string,
    now: Date = new Date(),
  ): Promise<CouponRedemption> {
    return this.repository.redeem(normalizeCouponCode(code), customerId, orderId, now);
  }

  async releaseCoupon(code: string, customerId: string, orderId: string): Promise<CouponRelease> {
    return this.repository.release(normalizeCouponCode(code), customerId, orderId);
  }

  /** Reloads the cached promotions now (also what the poller does when the epoch moves). */
  reload(): Promise<void> {
    this.reloading ??= this.load().finally(() => (this.reloading = undefined));
    return this.reloading;
  }

  private async load(): Promise<void> {
    // Epoch first: a change landing during the read is seen again by the next poll.
    const { epoch } = await this.repository.readEpoch();
    const nowMs = Date.now();
    const all = await this.repository.listPromotions();
    this.promotions = all.filter((p) => !hasEnded(p, nowMs));
    this.loadedEpoch = epoch;
  }

  /**
   * One poll (the timer calls it every PROMOTIONS_POLL_MS): reloads when the epoch moved, and
   * relays the event of a change whose writer died before publishing it.
   */
  async poll(nowMs: number = Date.now()): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const state = await this.repository.readEpoch();
      if (state.epoch !== this.loadedEpoch) await this.reload();
      if (state.epoch > state.publishedEpoch && nowMs - state.changedAt > RELAY_AFTER_MS) {
        await this.announce(state.epoch);
      }
    } catch (error) {
      this.logger.warn(`Promotions poll failed (keeping the cached ones): ${String(error)}`);
    } finally {
      this.polling = false;
    }
  }

  /** Publishes PromotionsChanged; a failure is left to the relay in `poll`, never to the admin. */
  private async announce(epoch: number): Promise<void> {
    if (!this.bus) return;
    try {
      await this.bus.publish(PromotionsChanged, { epoch }, { key: 'promotions' });
      await this.repository.markPublished(epoch);
    } catch (error) {
      this.logger.warn(`PromotionsChanged ${epoch} not published yet: ${String(error)}`);
    }
  }

  private async lock(token: string): Promise<void> {
    const deadline = Date.now() + WRITE_LOCK_WAIT_MS;
    for (let wait = 10; ; wait = Math.min(wait * 2, 200)) {
      if (await this.repository.acquireWriteLock(token, Date.now(), WRITE_LEASE_MS)) return;
      if (Date.now() >= deadline) {
        throw new PromotionsException(
          PromotionsErrorCode.PromotionsBusy,
          'Another promotions change is in progress; try again',
        );
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  /** The stored form: UTC instants, explicit nulls, a new id. */
  private toPromotion(command: CreatePromotionCommand, now: Date): Promotion {
    const common = {
      promotionId: randomUUID(),
      name: command.name,
      target: command.target,
      stacking: command.stacking,
      startsAt: command.startsAt ? new Date(command.startsAt).toISOString() : null,
      endsAt: command.endsAt ? new Date(command.endsAt).toISOString() : null,
      coupon: command.coupon
        ? {
            code: command.coupon.code,
            totalLimit: command.coupon.totalLimit ?? null,
            perCustomerLimit: command.coupon.perCustomerLimit ?? null,
          }
        : null,
      createdBy: command.createdBy,
      createdAt: now.toISOString(),
      updatedBy: null,
      updatedAt: null,
      version: 1,
    };
    switch (command.kind) {
      case 'percentage':
        return { ...common, kind: 'percentage', percentOff: command.percentOff };
      case 'fixed':
        return { ...common, kind: 'fixed', amountOff: command.amountOff };
      case 'buy_x_get_y':
        return {
          ...common,
          kind: 'buy_x_get_y',
          buyQuantity: command.buyQuantity,
          getQuantity: command.getQuantity,
          getPercentOff: command.getPercentOff ?? 100,
        };
    }
  }

  /** What the input schema cannot check: the category tree and the clock. */
  private async checkRules(promotion: Promotion, now: Date): Promise<void> {
    const errors: FieldError[] = windowErrors(promotion, now);
    if (promotion.target.type === 'categories') {
      const { categoryIds } = promotion.target;
      for (const [i, categoryId] of categoryIds.entries()) {
        if (!(await this.categories.find(categoryId))) {
          errors.push({
            field: `target.categoryIds.${i}`,
            message: `Unknown category ${categoryId}`,
          });
        }
      }
    }
    if (errors.length) {
      throw new PromotionsException(
        PromotionsErrorCode.InvalidPromotion,
        'The promotion is not valid',
        errors,
      );
    }
  }

  /** 422 when `promotion` is exclusive and automatic and could meet another such one. */
  private async refuseOverlaps(promotion: Promotion, now: Date): Promise<void> {
    const overlapping = await this.overlappingExclusives(promotion, now.getTime());
    if (overlapping.length) {
      throw new PromotionsException(
        PromotionsErrorCode.OverlappingExclusivePromotions,
        `Exclusive promotion overlaps ${overlapping
          .map((p) => `"${p.name}" (${p.promotionId})`)
          .join(', ')} on the same products in the same period`,
      );
    }
  }

  /**
   * Stored exclusive automatic promotions (other than `promotion` itself) that could meet
   * `promotion` on a product from `nowMs` on (`exclusiveClashes`).
   */
  private async overlappingExclusives(promotion: Promotion, nowMs: number): Promise<Promotion[]> {
    if (!isExclusiveAutomatic(promotion)) return [];
    const stored = await this.repository.listPromotions();
    return exclusiveClashes(
      promotion,
      stored,
      nowMs,
      await this.categoryPaths([promotion, ...stored.filter(isExclusiveAutomatic)]),
    );
  }

  /** The category paths the promotions' targets name, read once from the category tree. */
  private async categoryPaths(promotions: readonly Promotion[]): Promise<CategoryPathOf> {
    const paths = new Map<string, readonly string[]>();
    for (const categoryId of new Set(promotions.flatMap(targetedCategories))) {
      paths.set(
        categoryId,
        (await this.categories.pathOf(categoryId)).map((c) => c.categoryId),
      );
    }
    return (categoryId) => paths.get(categoryId) ?? [];
  }
}

function notFound(promotionId: string): PromotionsException {
  return new PromotionsException(
    PromotionsErrorCode.PromotionNotFound,
    `No promotion has the id ${promotionId}`,
  );
}

function ended(promotion: Promotion): PromotionsException {
  return new PromotionsException(
    PromotionsErrorCode.PromotionEnded,
    `Promotion ${promotion.promotionId} ended at ${promotion.endsAt}; it cannot be changed ` +
      'or revived (create a new promotion instead)',
  );
}

/** What the coupon item of `promotion` copies from it (redemption checks these). */
function couponTerms(promotion: Promotion): CouponTerms {
  return {
    totalLimit: promotion.coupon?.totalLimit ?? null,
    perCustomerLimit: promotion.coupon?.perCustomerLimit ?? null,
    startsAt: promotion.startsAt,
    endsAt: promotion.endsAt,
  };
}
