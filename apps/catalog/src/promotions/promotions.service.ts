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
  CURRENCIES,
  REGION_CURRENCY,
  type CouponRedemption,
  type CouponRelease,
  type PricedCart,
  type PriceLine,
  type Promotion,
  type PromotionInput,
  type PromotionListing,
  type Region,
} from '@mercato/contracts';
import { MessageBus } from '@mercato/messaging';
import { CategoriesService } from '../categories/categories.service';
import { FieldError, PromotionsErrorCode, PromotionsException } from './promotions.exception';
import {
  isActiveAt,
  normalizeCouponCode,
  priceCart,
  priceProduct,
  type PricingProduct,
  type ProductPricing,
  appliesInCurrency,
} from './promotions.pricing';
import { PromotionsRepository } from './promotions.repository';

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

export interface PriceCartQuery {
  region: Region;
  customerId?: string;
  lines: PriceLine[];
  coupons: string[];
}

type Window = { startsAt: string | null; endsAt: string | null };

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
    const usage = await this.repository.couponUsage(
      promotions.flatMap((p) => (p.coupon ? [p.coupon.code] : [])),
    );
    const nowMs = now.getTime();
    return promotions
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .map((p): PromotionListing => {
        const used = p.coupon ? (usage.get(p.coupon.code)?.used ?? 0) : 0;
        return {
          ...p,
          status: isActiveAt(p, nowMs)
            ? 'active'
            : p.startsAt !== null && nowMs < Date.parse(p.startsAt)
              ? 'scheduled'
              : 'ended',
          usage: p.coupon
            ? {
                used,
                remaining:
                  p.coupon.totalLimit === null ? null : Math.max(0, p.coupon.totalLimit - used),
              }
            : null,
        };
      });
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
      const overlapping = await this.overlappingExclusives(promotion);
      if (overlapping.length) {
        throw new PromotionsException(
          PromotionsErrorCode.OverlappingExclusivePromotions,
          `Exclusive promotion overlaps ${overlapping
            .map((p) => `"${p.name}" (${p.promotionId})`)
            .join(', ')} on the same products in the same period`,
        );
      }
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
    await this.announce(epoch);
    // Stored either way: a failed reload is retried by the poller, never reported as a failure.
    await this.reload().catch((error: unknown) =>
      this.logger.warn(`Promotions reload after a change failed: ${String(error)}`),
    );
    return promotion;
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
    this.promotions = all.filter((p) => p.endsAt === null || Date.parse(p.endsAt) > nowMs);
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
    const errors: FieldError[] = [];
    if (promotion.endsAt !== null && Date.parse(promotion.endsAt) <= now.getTime()) {
      errors.push({ field: 'endsAt', message: 'The promotion would already be over' });
    }
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

  /** Stored exclusive automatic promotions that could meet `promotion` on a product. */
  private async overlappingExclusives(promotion: Promotion): Promise<Promotion[]> {
    if (promotion.stacking !== 'exclusive' || promotion.coupon !== null) return [];
    const others = (await this.repository.listPromotions()).filter(
      (p) =>
        p.stacking === 'exclusive' &&
        p.coupon === null &&
        windowsOverlap(p, promotion) &&
        currenciesOverlap(p, promotion),
    );
    const result: Promotion[] = [];
    for (const other of others) {
      if (await this.targetsOverlap(other, promotion)) result.push(other);
    }
    return result;
  }

  /**
   * Same target, `all`, a shared brand or SKU, or categories where one contains the other.
   * Targets of different types (a brand and a category) are not compared: the engine still
   * picks the better exclusive for a product both reach.
   */
  private async targetsOverlap(a: Promotion, b: Promotion): Promise<boolean> {
    const [x, y] = [a.target, b.target];
    if (x.type === 'all' || y.type === 'all') return true;
    if (x.type === 'brands' && y.type === 'brands')
      return x.brands.some((v) => y.brands.includes(v));
    if (x.type === 'skus' && y.type === 'skus') return x.skus.some((v) => y.skus.includes(v));
    if (x.type === 'categories' && y.type === 'categories') {
      for (const first of x.categoryIds) {
        const firstPath = (await this.categories.pathOf(first)).map((c) => c.categoryId);
        for (const second of y.categoryIds) {
          if (firstPath.includes(second)) return true;
          const secondPath = (await this.categories.pathOf(second)).map((c) => c.categoryId);
          if (secondPath.includes(first)) return true;
        }
      }
    }
    return false;
  }
}

function windowsOverlap(a: Window, b: Window): boolean {
  const start = (w: Window) => (w.startsAt === null ? -Infinity : Date.parse(w.startsAt));
  const end = (w: Window) => (w.endsAt === null ? Infinity : Date.parse(w.endsAt));
  return start(a) < end(b) && start(b) < end(a);
}

/** Fixed promotions only apply where they have an amount; the others apply everywhere. */
function currenciesOverlap(a: Promotion, b: Promotion): boolean {
  return CURRENCIES.some((c) => appliesInCurrency(a, c) && appliesInCurrency(b, c));
}
