import { createHash, randomBytes } from 'node:crypto';
import { Injectable, Logger, Optional } from '@nestjs/common';
import {
  foldedSku,
  productInputSchema,
  ProductChanged,
  type ProductInput,
  type ProductWriteResult,
  zodFieldErrors,
} from '@mercato/contracts';
import { MessageBus } from '@mercato/messaging';
import { CatalogErrorCode, CatalogException } from '../catalog.exception';
import { CategoriesRepository } from '../categories/categories.repository';
import { CategoriesService } from '../categories/categories.service';
import {
  derivedItems,
  externalRecordKey,
  idempotencyRecordKey,
  PRODUCT_META_SK,
  ProductsRepository,
  type ProductMetaItem,
  type RegionalPrices,
  type StoredVariant,
} from './products.repository';
import { ProductsService } from './products.service';

export interface CreateProductCommand {
  sellerId: string;
  idempotencyKey?: string;
  /** Validated here (the bus contract has checked it already; the feed has not). */
  product: unknown;
}

export interface UpdateProductCommand {
  productId: string;
  sellerId: string;
  asAdmin: boolean;
  expectedRevision?: number;
  product: unknown;
}

export type UpsertStatus = 'created' | 'updated' | 'unchanged';

/** A SKU claim older than this whose product never got written is free again. */
const STALE_CLAIM_MS = 5 * 60_000;
/** Updates without `expectedRevision` retry this often on a concurrent write (last one wins). */
const UPDATE_ATTEMPTS = 5;
/** Derivation passes at most when the product keeps changing underneath. */
const DERIVE_PASSES = 5;

/** A stable JSON text (sorted keys) of a value, for hashing bodies. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export const inputHashOf = (product: ProductInput): string =>
  createHash('sha256').update(canonical(product)).digest('base64url');

export const newProductId = (): string => `p-${randomBytes(8).toString('hex')}`;

/** Field errors of a failed parse, as dotted paths into the parsed value. */

/** The variant's prices by region: only the regions it is sold in. */
const pricesOf = (prices: ProductInput['variants'][number]['prices']): RegionalPrices =>
  Object.fromEntries(prices.map((p) => [p.region, { amount: p.amount, currency: p.currency }]));

/**
 * Product writes (create, update, feed upsert) without transactions. The meta item is the
 * source of truth: each write is ONE conditional write of it (the whole product, `revision` =
 * `version`, and the outbox mark). Then, idempotently from the meta item alone, `deliver`
 * derives the listing and variant items, files the product under its leaf category (counts),
 * releases SKUs the product dropped, publishes ProductChanged and clears the mark. A writer that
 * dies anywhere after the meta write leaves the mark, and the outbox relay (ProductsOutbox) runs
 * `deliver` for it: every step converges.
 *
 * Before the meta write: the idempotency record (idempotency key or feed externalId) fixes the
 * product id, then every SKU is claimed (`sku#<SKU>` items, conditional puts); a failure there
 * undoes the claims and the record, so a rejected write leaves nothing behind.
 */
@Injectable()
export class ProductWritesService {
  private readonly logger = new Logger(ProductWritesService.name);

  constructor(
    private readonly repository: ProductsRepository,
    private readonly categoriesRepository: CategoriesRepository,
    private readonly categories: CategoriesService,
    private readonly products: ProductsService,
    @Optional() private readonly bus?: MessageBus,
  ) {}

  /** Checks a product body: field rules, then that its category exists and is a leaf. */
  async validate(body: unknown): Promise<ProductInput> {
    const parsed = productInputSchema.safeParse(body);
    if (!parsed.success) {
      throw new CatalogException(
        CatalogErrorCode.ValidationFailed,
        'The product is not valid',
        zodFieldErrors(parsed.error),
      );
    }
    const { exists, leaf } = await this.categories.isLeaf(parsed.data.categoryId);
    if (!exists || !leaf) {
      const message = exists
        ? `category ${parsed.data.categoryId} has subcategories; file the product under one of them`
        : `category ${parsed.data.categoryId} does not exist`;
      throw new CatalogException(CatalogErrorCode.InvalidCategory, message, [
        { field: 'categoryId', message },
      ]);
    }
    return parsed.data;
  }

  async create(command: CreateProductCommand): Promise<ProductWriteResult> {
    const product = await this.validate(command.product);
    const recordKey =
      command.idempotencyKey === undefined
        ? undefined
        : idempotencyRecordKey(command.sellerId, command.idempotencyKey);
    return this.createValidated(command.sellerId, product, recordKey, 'reject');
  }

  async update(command: UpdateProductCommand): Promise<ProductWriteResult> {
    const notYours = () =>
      new CatalogException(
        CatalogErrorCode.ProductNotFound,
        `Product ${command.productId} is unknown or not yours`,
      );
    const current = await this.repository.findMeta(command.productId);
    if (!current || (!command.asAdmin && current.sellerId !== command.sellerId)) throw notYours();
    const product = await this.validate(command.product);
    for (let attempt = 1; ; attempt++) {
      const meta = attempt === 1 ? current : await this.repository.findMeta(command.productId);
      if (!meta || (!command.asAdmin && meta.sellerId !== command.sellerId)) throw notYours();
      if (command.expectedRevision !== undefined && meta.revision !== command.expectedRevision) {
        throw new CatalogException(
          CatalogErrorCode.RevisionConflict,
          `Product ${command.productId} is at revision ${meta.revision}, not ${command.expectedRevision}`,
        );
      }
      const next = await this.nextMeta(meta, product);
      // Claims are case-insensitive: a SKU whose case changed is still held.
      const held = new Set(meta.variants.map((v) => foldedSku(v.sku)));
      const added = next.variants.filter((v) => !held.has(foldedSku(v.sku))).map((v) => v.sku);
      await this.claimAll(next.productId, added, next.variants);
      if (await this.repository.writeMeta(next, meta.revision)) {
        this.products.forget([next.productId]);
        await this.deliverQuietly(next.productId);
        return this.resultOf(next);
      }
      // Another write got in first: give back what only this attempt claimed.
      const latest = await this.repository.findMeta(command.productId);
      const kept = new Set(latest?.variants.map((v) => foldedSku(v.sku)) ?? []);
      await Promise.all(
        added
          .filter((sku) => !kept.has(foldedSku(sku)))
          .map((sku) => this.repository.releaseSku(sku, next.productId)),
      );
      if (command.expectedRevision !== undefined || attempt >= UPDATE_ATTEMPTS) {
        throw new CatalogException(
          CatalogErrorCode.RevisionConflict,
          `Product ${command.productId} changed while it was being updated; try again`,
        );
      }
    }
  }

  /**
   * Creates or updates the seller's product known by `externalId` (feeds). A body equal to the
   * stored one writes nothing ('unchanged').
   */
  async upsertExternal(
    sellerId: string,
    externalId: string,
    body: unknown,
  ): Promise<{ status: UpsertStatus; result: ProductWriteResult }> {
    const product = await this.validate(body);
    const key = externalRecordKey(sellerId, externalId);
    const record = await this.repository.findRecord(key);
    const meta = record && (await this.repository.findMeta(record.productId));
    if (meta) {
      if (meta.inputHash === inputHashOf(product) && meta.externalId === externalId) {
        return { status: 'unchanged', result: this.resultOf(meta) };
      }
      const result = await this.update({
        productId: meta.productId,
        sellerId,
        asAdmin: false,
        product,
      });
      return { status: 'updated', result };
    }
    const result = await this.createValidated(sellerId, product, key, 'accept', externalId);
    return { status: 'created', result };
  }

  /**
   * Brings everything derived from the product's meta item in line with it, publishes
   * ProductChanged at its revision and clears its outbox mark. Idempotent; the outbox relay
   * calls it for marks left behind.
   */
  async deliver(productId: string): Promise<void> {
    let meta: ProductMetaItem | undefined;
    for (let pass = 1; pass <= DERIVE_PASSES; pass++) {
      const partition = await this.repository.findPartition(productId);
      meta = partition.meta;
      if (!meta) return;
      const { listings, variants } = derivedItems(meta);
      const wanted = new Set([...listings, ...variants].map((i) => i.variantId));
      // Folded, like the claims: a SKU that only changed case keeps its claim.
      const skus = new Set(meta.variants.map((v) => foldedSku(v.sku)));
      await this.categoriesRepository.addProduct(meta.categoryId, productId);
      const staleListings = partition.listings.filter((l) => !wanted.has(l.variantId));
      const staleVariants = partition.variants.filter((v) => !wanted.has(v.variantId));
      // Undo what the stale items stand for before deleting them, so a crash in between is
      // redone by the next pass (the stale items are still there to say what to undo).
      const oldLeaves = new Set(staleListings.map((l) => l.categoryId));
      oldLeaves.delete(meta.categoryId);
      await Promise.all([
        ...[...oldLeaves].map((leaf) => this.categoriesRepository.removeProduct(leaf, productId)),
        ...staleVariants
          .filter((v) => !skus.has(foldedSku(v.sku)))
          .map((v) => this.repository.releaseSku(v.sku, productId)),
      ]);
      await this.repository.writeDerived(
        [...listings, ...variants],
        [...staleListings, ...staleVariants].map((i) => ({
          productId,
          variantId: i.variantId,
        })),
      );
      // A write that landed meanwhile may have been derived before this pass's puts: redo.
      const latest = await this.repository.findMeta(productId);
      if (!latest || latest.revision === meta.revision) break;
    }
    if (!meta) return;
    this.products.forget([productId]);
    this.categories.countsChanged();
    if (!this.bus) {
      this.logger.warn(`no message bus here: ProductChanged ${productId} left to the relay`);
      return;
    }
    await this.bus.publish(
      ProductChanged,
      {
        productId,
        revision: meta.revision,
        sellerId: meta.sellerId,
        variants: meta.variants.map((v) => ({ variantId: v.variantId, sku: v.sku })),
      },
      { key: productId },
    );
    await this.repository.clearPending(productId, meta.version);
  }

  private async createValidated(
    sellerId: string,
    product: ProductInput,
    recordKey: string | undefined,
    otherBody: 'reject' | 'accept',
    externalId?: string,
  ): Promise<ProductWriteResult> {
    const inputHash = inputHashOf(product);
    let productId = newProductId();
    let ownRecord = false;
    if (recordKey) {
      const existing = await this.repository.putRecordIfAbsent({
        key: recordKey,
        productId,
        inputHash,
        createdAt: new Date().toISOString(),
      });
      ownRecord = !existing;
      if (existing) {
        if (existing.inputHash !== inputHash && otherBody === 'reject') {
          throw new CatalogException(
            CatalogErrorCode.IdempotencyKeyReused,
            'This idempotency key was used with another body',
          );
        }
        productId = existing.productId;
        // The first attempt got as far as the product: answer what it answered.
        if (otherBody === 'reject' && (await this.repository.findMeta(productId)))
          return this.firstResult(productId, product);
        // Otherwise its writer died before the product was written: finish the job.
      }
    }
    const now = new Date().toISOString();
    const meta: ProductMetaItem = {
      ...this.contentOf(product, await this.pathOf(product.categoryId)),
      productId,
      variantId: PRODUCT_META_SK,
      ratingAverage: 0,
      ratingCount: 0,
      createdAt: now,
      updatedAt: now,
      revision: 1,
      version: 1,
      sellerId,
      variants: product.variants.map((v, i) => this.variantOf(`${productId}-${i + 1}`, v)),
      variantSeq: product.variants.length,
      inputHash,
      ...(externalId === undefined ? {} : { externalId }),
    };
    try {
      await this.claimAll(
        productId,
        meta.variants.map((v) => v.sku),
        meta.variants,
      );
    } catch (error) {
      if (recordKey && ownRecord) await this.repository.deleteRecord(recordKey, productId);
      throw error;
    }
    if (!(await this.repository.writeMeta(meta, null))) {
      // A concurrent replay of the same record wrote it first.
      if (await this.repository.findMeta(productId)) return this.firstResult(productId, product);
      throw new Error(`could not create product ${productId}`);
    }
    await this.deliverQuietly(productId);
    return this.resultOf(meta);
  }

  /** Claims `skus` for the product; on a conflict gives back the ones just claimed and throws. */
  private async claimAll(
    productId: string,
    skus: string[],
    variants: StoredVariant[],
  ): Promise<void> {
    const staleBefore = Date.now() - STALE_CLAIM_MS;
    const outcomes = await Promise.all(
      skus.map((sku) => this.repository.claimSku(sku, productId, staleBefore)),
    );
    const taken = outcomes.filter((c) => c !== null);
    if (taken.length === 0) return;
    const lost = new Set(taken.map((c) => c.sku));
    await Promise.all(
      skus.filter((s) => !lost.has(s)).map((sku) => this.repository.releaseSku(sku, productId)),
    );
    throw new CatalogException(
      CatalogErrorCode.SkuTaken,
      `SKU ${taken.map((c) => c.sku).join(', ')} already belongs to another product`,
      variants
        .map((v, i) => ({ v, i }))
        .filter(({ v }) => lost.has(v.sku))
        .map(({ v, i }) => ({
          field: `variants.${i}.sku`,
          message: `SKU ${v.sku} already belongs to another product`,
        })),
    );
  }

  private async nextMeta(meta: ProductMetaItem, product: ProductInput): Promise<ProductMetaItem> {
    const idOfSku = new Map(meta.variants.map((v) => [v.sku, v.variantId]));
    let seq = meta.variantSeq ?? meta.variants.length;
    const variants = product.variants.map((v) =>
      this.variantOf(idOfSku.get(v.sku) ?? `${meta.productId}-${++seq}`, v),
    );
    return {
      ...meta,
      ...this.contentOf(product, await this.pathOf(product.categoryId)),
      updatedAt: new Date().toISOString(),
      revision: meta.revision + 1,
      version: meta.revision + 1,
      variants,
      variantSeq: seq,
      inputHash: inputHashOf(product),
    };
  }

  private contentOf(product: ProductInput, categoryPath: string[]) {
    return {
      title: product.title,
      description: product.description,
      brand: product.brand,
      categoryId: product.categoryId,
      categoryPath,
      images: product.images,
      specs: product.specs,
    };
  }

  private variantOf(variantId: string, v: ProductInput['variants'][number]): StoredVariant {
    return { variantId, sku: v.sku, attributes: v.attributes, prices: pricesOf(v.prices) };
  }

  private async pathOf(categoryId: string): Promise<string[]> {
    return (await this.categories.pathOf(categoryId)).map((c) => c.categoryId);
  }

  private resultOf(meta: ProductMetaItem): ProductWriteResult {
    return {
      productId: meta.productId,
      revision: meta.revision,
      variants: meta.variants.map((v) => ({ variantId: v.variantId, sku: v.sku })),
    };
  }

  /** What a create answers, computable again from its body (idempotent replays). */
  private firstResult(productId: string, product: ProductInput): ProductWriteResult {
    return {
      productId,
      revision: 1,
      variants: product.variants.map((v, i) => ({
        variantId: `${productId}-${i + 1}`,
        sku: v.sku,
      })),
    };
  }

  /** Delivers at once; a failure is logged and left to the outbox relay (the write stands). */
  private async deliverQuietly(productId: string): Promise<void> {
    try {
      await this.deliver(productId);
    } catch (error) {
      this.logger.warn(
        `product ${productId} written, its derived items or event left to the relay: ${(error as Error).message}`,
      );
    }
  }
}
