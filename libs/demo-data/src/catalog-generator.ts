import type { Money, Region, WarehouseId } from '@mercato/contracts';
import {
  DEMO_BRANDS_BY_DEPARTMENT,
  DEMO_CATEGORY_BY_ID,
  DEMO_LEAF_CATEGORIES,
  type DemoCategory,
} from './categories';
import { PROFILES, type ProductProfile } from './profiles';
import { mixSeed, Random } from './random';

export interface DemoVariant {
  variantId: string;
  sku: string;
  attributes: Record<string, string>;
  /** Integer minor units per region: us USD cents, eu EUR cents, ap whole yen. */
  prices: Record<Region, Money>;
  /** Units on hand per warehouse (some zero). */
  stock: Record<WarehouseId, number>;
}

export interface DemoProduct {
  productId: string;
  title: string;
  description: string;
  brand: string;
  /** Leaf category. */
  categoryId: string;
  /** Department → leaf category ids. */
  categoryPath: string[];
  images: string[];
  specs: Record<string, string>;
  rating: { average: number; count: number };
  createdAt: string;
  variants: DemoVariant[];
}

export interface CatalogOptions {
  seed: number;
  products: number;
  /**
   * createdAt values spread over the two years before this instant. Fixed by default (not
   * "now") so the same seed gives the same data in every process, on every day.
   */
  until?: string;
}

export const DEFAULT_CATALOG_UNTIL = '2026-11-01T00:00:00.000Z';
const TWO_YEARS_MS = 730 * 24 * 3600 * 1000;
const IMAGE_BASE = 'https://images.mercato.example/p';
const MODELS = ['X', 'S', 'Z', 'M', 'V', 'Q', 'R', 'A'];
const EUR_PER_USD = 0.92;
const JPY_PER_USD = 152;

export const productIdOf = (index: number): string => `p-${String(index + 1).padStart(6, '0')}`;

/** Prices end like real ones: $24.99, €22.99, ¥3,780. */
function retailUsd(dollars: number): number {
  return Math.max(1, Math.round(dollars)) * 100 - 1;
}
function retailEur(usdCents: number): number {
  return Math.max(1, Math.round((usdCents * EUR_PER_USD) / 100)) * 100 - 1;
}
function retailJpy(usdCents: number): number {
  const yen = (usdCents / 100) * JPY_PER_USD;
  return yen >= 2_000 ? Math.round(yen / 100) * 100 - 20 : Math.max(10, Math.round(yen / 10) * 10);
}

function modelName(random: Random): string {
  switch (random.int(0, 3)) {
    case 0:
      return `${random.pick(MODELS)}${random.int(1, 9)}${random.chance(0.5) ? '0' : ''}`;
    case 1:
      return `${random.int(2, 9)}${random.pick(['', ' Plus', ' Max', 's'])}`.trim();
    case 2:
      return `${random.pick(MODELS)}-${random.int(100, 990)}`;
    default:
      return `Series ${random.int(2, 9)}`;
  }
}

function variantsOf(
  random: Random,
  profile: ProductProfile,
): { attributes: Record<string, string>; step: number }[] {
  const count = random.pick([1, 1, 2, 2, 3, 3, 3, 4, 4, 5]);
  const [primary, secondary] = profile.axes;
  const combos: { attributes: Record<string, string>; step: number }[] = [];
  if (!secondary) {
    const start = random.int(0, Math.max(0, primary.values.length - count));
    for (let i = start; i < Math.min(primary.values.length, start + count); i++) {
      combos.push({
        attributes: { [primary.name]: primary.values[i] },
        step: (i - start) * (primary.priceStep ?? 0),
      });
    }
    return combos;
  }
  // Two axes: one or two colours (secondary) times a run of sizes (primary), at most `count`.
  const colours = random.sample(secondary.values, count >= 4 && random.chance(0.5) ? 2 : 1);
  const perColour = Math.ceil(count / colours.length);
  const start = random.int(0, Math.max(0, primary.values.length - perColour));
  for (const colour of colours) {
    for (
      let i = start;
      i < Math.min(primary.values.length, start + perColour) && combos.length < count;
      i++
    ) {
      combos.push({
        attributes: { [primary.name]: primary.values[i], [secondary.name]: colour },
        step: (i - start) * (primary.priceStep ?? 0),
      });
    }
  }
  return combos;
}

/** Product number `index` (0-based) of the catalog for `seed`; needs no other product. */
export function generateProduct(
  seed: number,
  index: number,
  until = DEFAULT_CATALOG_UNTIL,
): DemoProduct {
  const random = new Random(mixSeed(seed, index, 0x5eed));
  const productId = productIdOf(index);
  const category: DemoCategory =
    DEMO_LEAF_CATEGORIES[mixSeed(seed, index) % DEMO_LEAF_CATEGORIES.length];
  const profile: ProductProfile = PROFILES[category.profile!];
  const department = DEMO_CATEGORY_BY_ID.get(category.path[0])!;
  const brand = random.pick(DEMO_BRANDS_BY_DEPARTMENT.get(department.categoryId)!);
  const noun = random.pick(category.nouns!);
  const adjective = random.pick(profile.adjectives);
  const title = `${brand} ${adjective} ${noun} ${modelName(random)}`;

  const specs: Record<string, string> = {};
  for (const [key, values] of Object.entries(profile.specs)) specs[key] = random.pick(values);

  const [low, high] = profile.priceUsd;
  // Skewed towards the cheaper end of the band, like real assortments.
  const baseUsd = low + (high - low) * random.float() ** 2;
  const skuStem = `${brand
    .replace(/[^A-Za-z]/g, '')
    .slice(0, 3)
    .toUpperCase()}-${productId.slice(2)}`;
  const variants: DemoVariant[] = variantsOf(random, profile).map(({ attributes, step }, i) => {
    const usd = retailUsd(baseUsd * (1 + step));
    const zeroChance = 0.2;
    const stockOf = () => (random.chance(zeroChance) ? 0 : random.int(1, 250));
    return {
      variantId: `${productId}-${i + 1}`,
      sku: `${skuStem}-${i + 1}`,
      attributes,
      prices: {
        us: { amount: usd, currency: 'USD' },
        eu: { amount: retailEur(usd), currency: 'EUR' },
        ap: { amount: retailJpy(usd), currency: 'JPY' },
      },
      stock: { 'us-east': stockOf(), 'eu-west': stockOf(), 'ap-south': stockOf() },
    };
  });

  const ratingCount = random.chance(0.05) ? 0 : Math.floor(random.float() ** 3 * 8_000) + 1;
  const average = ratingCount === 0 ? 0 : Math.round((5 - random.float() ** 2 * 2.6) * 10) / 10;
  const imageCount = random.int(1, 5);
  const untilMs = Date.parse(until);
  const createdAt = new Date(untilMs - Math.floor(random.float() * TWO_YEARS_MS)).toISOString();
  const description =
    `The ${brand} ${adjective} ${noun} brings ${Object.entries(specs)
      .slice(0, 2)
      .map(([k, v]) => `${k.toLowerCase()} ${v}`)
      .join(' and ')} to your ${department.name.toLowerCase()} line-up. ` +
    `Designed for everyday use and backed by ${brand}'s customer care.`;

  return {
    productId,
    title,
    description,
    brand,
    categoryId: category.categoryId,
    categoryPath: [...category.path],
    images: Array.from({ length: imageCount }, (_, n) => `${IMAGE_BASE}/${productId}/${n + 1}.jpg`),
    specs,
    rating: { average, count: ratingCount },
    createdAt,
    variants,
  };
}

/**
 * The demo catalog, one product at a time (100,000 products never sit in memory together).
 * The same seed and count give the same products in any process.
 */
export function* generateCatalog(options: CatalogOptions): Generator<DemoProduct> {
  for (let index = 0; index < options.products; index++) {
    yield generateProduct(options.seed, index, options.until);
  }
}
