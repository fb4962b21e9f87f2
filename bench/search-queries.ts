import {
  DEMO_CATEGORY_BY_ID,
  PROFILES,
  Random,
  generateProduct,
  type DemoProduct,
} from '@mercato/demo-data';

/**
 * The search benchmark's query mix: what shoppers type into a shop's search box, drawn from the
 * demo catalog the store seeded (`generateProduct` is `generateCatalog`'s product at an index, so
 * a 100,000-product catalog needs no full pass). Each search is built around one product of the
 * catalog — its words, and a filter that product passes — so most queries find something and the
 * facets have values to count, as in a real shop where people search for what is sold. Queries
 * repeat (a head of popular words, a long tail of brand and model combinations), as real traffic
 * does. The same options give the same paths in every process.
 */

/** The facets every benchmarked search asks for (the must-show is search "with facets"). */
export const BENCH_FACETS = 'category,brand,price';

/** The seed the demo data is loaded with unless MERCATO_SEED_RANDOM says otherwise. */
export const DEMO_CATALOG_SEED = 42;

export interface QueryMixOptions {
  /** Products in the store's catalog: queries are drawn from products 0 … products − 1. */
  products: number;
  searches: number;
  suggests: number;
  /** The catalog's MERCATO_SEED_RANDOM. */
  catalogSeed?: number;
  /** Seed of the draw (which products, which words, which filters). */
  seed?: number;
}

export interface QueryMix {
  /** `GET /v1/search?…` paths, every one asking for the three facets. */
  searches: string[];
  /** `GET /v1/search/suggest?q=…` paths, prefixes of 2–6 letters. */
  suggests: string[];
}

/** The words a product's title was made of (`brand adjective noun model`), in lower case. */
interface ProductWords {
  brand: string;
  adjective: string;
  noun: string;
  /** The names of its categories, department first. */
  categories: string[];
}

function wordsOf(product: DemoProduct): ProductWords {
  const leaf = DEMO_CATEGORY_BY_ID.get(product.categoryId)!;
  const rest = product.title.slice(product.brand.length + 1);
  // The title starts `brand adjective noun `: find which of the leaf's nouns and the profile's
  // adjectives it used, rather than guess from the words (nouns and models have several).
  const adjective = PROFILES[leaf.profile!].adjectives.find((a) => rest.startsWith(`${a} `))!;
  const noun = leaf
    .nouns!.filter((n) => rest.startsWith(`${adjective} ${n} `))
    .sort((a, b) => b.length - a.length)[0];
  return {
    brand: product.brand.toLowerCase(),
    adjective: adjective.toLowerCase(),
    noun: noun.toLowerCase(),
    categories: product.categoryPath.map((id) => DEMO_CATEGORY_BY_ID.get(id)!.name.toLowerCase()),
  };
}

/** Words of a name without its punctuation (`keyboards & mice` → keyboards, mice). */
const wordsIn = (text: string): string[] => text.split(/\s+/).filter((w) => /[a-z0-9]/.test(w));

/** The last `n` words of a text, as one query. */
const lastWords = (text: string, n: number): string => wordsIn(text).slice(-n).join(' ');

/**
 * One- and two-word queries a shopper looking for this product might type, with their weights
 * (a brand is typed whole, so `maison clair rug` has three).
 */
const QUERY_KINDS: readonly [number, (w: ProductWords, random: Random) => string][] = [
  [25, (w) => lastWords(w.noun, 1)], // "laptop", "bulb"
  [20, (w) => `${w.adjective} ${lastWords(w.noun, 1)}`], // "pro laptop"
  [15, (w) => lastWords(w.noun, 2)], // "smart tv", "usb-c cable"
  [12, (w) => w.brand], // "voltix"
  [13, (w) => `${w.brand} ${lastWords(w.noun, 1)}`], // "voltix laptop"
  [15, (w, random) => lastWords(random.pick(w.categories.slice(1)), 2)], // "light bulbs"
];

const weighted = <T>(random: Random, choices: readonly (readonly [number, T])[]): T => {
  let roll = random.float() * choices.reduce((sum, [weight]) => sum + weight, 0);
  for (const [weight, choice] of choices) {
    roll -= weight;
    if (roll < 0) return choice;
  }
  return choices[choices.length - 1][1];
};

/** The product's lowest price in the us region (the benchmark's requests carry no region). */
const lowestUsPrice = (product: DemoProduct): number =>
  Math.min(...product.variants.map((v) => v.prices.us.amount));

/** About half the searches narrow by one filter the product passes; a fifth sort by price. */
function searchPath(product: DemoProduct, random: Random): string {
  const words = wordsOf(product);
  const params = new URLSearchParams({ q: weighted(random, QUERY_KINDS)(words, random) });
  const filter = weighted(random, [
    [50, 'none'],
    [13, 'brand'],
    [13, 'category'],
    [12, 'price'],
    [12, 'inStock'],
  ] as const);
  if (filter === 'brand') params.set('brand', product.brand);
  if (filter === 'category') params.set('category', random.pick(product.categoryPath));
  if (filter === 'price') {
    // A band around the product's price, in whole dollars, as a price slider gives.
    const price = lowestUsPrice(product);
    params.set('minPrice', String(Math.floor((price * 0.5) / 100) * 100));
    params.set('maxPrice', String(Math.ceil((price * 1.5) / 100) * 100));
  }
  if (filter === 'inStock') params.set('inStock', 'true');
  const sort = weighted(random, [
    [80, undefined],
    [12, 'price_asc'],
    [8, 'price_desc'],
  ] as const);
  if (sort) params.set('sort', sort);
  params.set('facets', BENCH_FACETS);
  params.set('limit', '20');
  return `/v1/search?${params}`;
}

/** What a shopper has typed so far of a word of the product: 2–6 letters (no `t-` of t-shirt). */
function suggestPath(product: DemoProduct, random: Random): string {
  const words = wordsOf(product);
  const word = random.pick(
    [words.brand, words.adjective, words.noun, words.categories.at(-1)!]
      .flatMap(wordsIn)
      .filter((w) => /^[a-z]{2,}$/.test(w)),
  );
  const prefix = word.slice(0, random.int(2, Math.min(6, word.length)));
  return `/v1/search/suggest?${new URLSearchParams({ q: prefix })}`;
}

export function queryMix(options: QueryMixOptions): QueryMix {
  const random = new Random(options.seed ?? 19);
  const catalogSeed = options.catalogSeed ?? DEMO_CATALOG_SEED;
  const product = () => generateProduct(catalogSeed, random.int(0, options.products - 1));
  return {
    searches: Array.from({ length: options.searches }, () => searchPath(product(), random)),
    suggests: Array.from({ length: options.suggests }, () => suggestPath(product(), random)),
  };
}
