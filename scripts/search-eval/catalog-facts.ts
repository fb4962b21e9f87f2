/**
 * What the query-set builder knows of a demo product: the catalog's facts, with the title taken
 * apart, and the word matching its labels rely on. Pure.
 */
import {
  DEMO_CATEGORY_BY_ID,
  DEMO_LEAF_CATEGORIES,
  PROFILES,
  type DemoCategory,
  type DemoProduct,
} from '@mercato/demo-data';
import type { KindOfProduct } from './shopper-terms';

export interface ProductFacts {
  productId: string;
  title: string;
  brand: string;
  adjective: string;
  noun: string;
  model: string;
  leaf: DemoCategory;
  /** Ids from the department down to the leaf. */
  categoryPath: readonly string[];
  /** Every spec value and variant attribute value. */
  values: readonly string[];
  /** Colours of its variants. */
  colours: readonly string[];
}

const longestFirst = (words: readonly string[]) => [...words].sort((a, b) => b.length - a.length);

/** Splits a title `${brand} ${adjective} ${noun} ${model}` (the generator's pattern) into its parts. */
export function factsOf(product: DemoProduct): ProductFacts {
  const leaf = DEMO_CATEGORY_BY_ID.get(product.categoryId)!;
  const rest = product.title.slice(product.brand.length + 1);
  for (const adjective of longestFirst(PROFILES[leaf.profile!].adjectives)) {
    if (!rest.startsWith(`${adjective} `)) continue;
    const afterAdjective = rest.slice(adjective.length + 1);
    const noun = longestFirst(leaf.nouns!).find((n) => afterAdjective.startsWith(`${n} `));
    if (!noun) continue;
    const variantValues = product.variants.flatMap((v) => Object.values(v.attributes));
    return {
      productId: product.productId,
      title: product.title,
      brand: product.brand,
      adjective,
      noun,
      model: afterAdjective.slice(noun.length + 1),
      leaf,
      categoryPath: product.categoryPath,
      values: [...new Set([...Object.values(product.specs), ...variantValues])],
      colours: [
        ...new Set(product.variants.map((v) => v.attributes.colour).filter((c) => c !== undefined)),
      ],
    };
  }
  throw new Error(
    `${product.productId}: title "${product.title}" is not brand adjective noun model`,
  );
}

/** How a shopper types a name: lower case, without accents ("Lumière" → "lumiere"). */
export const typed = (text: string): string =>
  text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '');

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Whether `phrase` occurs in `text` as whole words, ignoring case. */
export const containsPhrase = (text: string, phrase: string): boolean =>
  new RegExp(`(^|[^a-z0-9])${escape(phrase)}($|[^a-z0-9])`, 'i').test(text);

const wordsOf = (text: string) =>
  typed(text)
    .split(/[^a-z0-9-]+/)
    .filter(Boolean);
/** Whether every word of `words` is a word of `text`, ignoring case. */
export const hasWords = (text: string, words: string): boolean => {
  const own = new Set(wordsOf(text));
  return wordsOf(words).every((w) => own.has(w));
};

/** Whether the product is of the kind a shopper's word means. */
export const isKind = (product: ProductFacts, kind: KindOfProduct): boolean =>
  (kind.leaves ?? []).includes(product.leaf.name) || (kind.nouns ?? []).includes(product.noun);

/** One kind made of several ("earphones": earbuds or headphones). */
export const eitherOf = (kinds: readonly KindOfProduct[]): KindOfProduct => ({
  leaves: kinds.flatMap((k) => k.leaves ?? []),
  nouns: kinds.flatMap((k) => k.nouns ?? []),
});

const LEAF_NAMES = new Set(DEMO_LEAF_CATEGORIES.map((c) => c.name));
const NOUNS = new Set(DEMO_LEAF_CATEGORIES.flatMap((c) => c.nouns ?? []));

/**
 * The names of `kind` the demo category tree does not have: a misspelt table entry would
 * otherwise match nothing and quietly judge every product irrelevant.
 */
export const unknownNamesOf = (kind: KindOfProduct): string[] => [
  ...(kind.leaves ?? []).filter((name) => !LEAF_NAMES.has(name)),
  ...(kind.nouns ?? []).filter((noun) => !NOUNS.has(noun)),
];
