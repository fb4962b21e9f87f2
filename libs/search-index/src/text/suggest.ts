import { MIN_SUGGEST_LENGTH, type Region } from '@mercato/contracts';
import type { ProductHit } from '../product-index';
import { startsWithin, editDistance, typoBudget } from './typos';
import { surfaceWords } from './words';

export interface SuggestQuery {
  /** What the shopper has typed so far: earlier words whole, the last one a prefix. */
  prefix: string;
  /** Only products sold in this region are suggested. */
  region: Region;
  /** Most completions, and most products. */
  limit: number;
}

export interface SuggestResult {
  /** Distinct lower-case phrases from titles starting with what was typed, best first. */
  completions: string[];
  /**
   * The matching products sold in the region, best first (`bySuggestRank`); `score` is the units
   * sold (`ProductDocument.popularity`); `title` is what a suggestion shows.
   */
  products: (Pick<ProductHit, 'productId' | 'score'> & { title: string })[];
}

/**
 * Completions are counted over this many matching products, in suggest's product order, on
 * both engines: OpenSearch reads their titles in the one request suggest sends. The fetch is
 * most of that request's cost: at 100,000 demo products a sample of 200 took a median 5–7 ms
 * and a p99 of 19 ms, 50 about half the median (bench/search-text.bench.ts, docs/search.md).
 * A phrase's count is its count among these products, which ranks the common phrases the same.
 */
export const SUGGEST_SAMPLE = 50;

/** A typed word of the prefix and the edits it forgives. */
export interface SuggestWord {
  text: string;
  typos: 0 | 1 | 2;
}

export interface SuggestPlan {
  /** Whole words: each must be a word of the product's title or brand (typo rule). */
  earlier: SuggestWord[];
  /** The word being typed: a title or brand word must start with it (one edit from 4 letters). */
  last: SuggestWord;
}

/**
 * The words of a suggest prefix, or undefined when there is too little to suggest from (under
 * two characters, or no word at all). Stop words count here: "the l" is a title's beginning.
 */
export function planSuggest(prefix: string): SuggestPlan | undefined {
  if (prefix.trim().length < MIN_SUGGEST_LENGTH) return undefined;
  const words = surfaceWords(prefix);
  if (words.length === 0) return undefined;
  const last = words[words.length - 1];
  return {
    earlier: words.slice(0, -1).map((text) => ({ text, typos: typoBudget(text) })),
    last: { text: last, typos: [...last].length >= 4 ? 1 : 0 },
  };
}

/** Whether a title or brand word matches a typed earlier word. */
export const matchesWhole = (word: string, typed: SuggestWord): boolean =>
  editDistance(word, typed.text, typed.typos) <= typed.typos;

/** Whether a title or brand word matches the word being typed. */
export const matchesPrefix = (word: string, typed: SuggestWord): boolean =>
  startsWithin(word, typed.text, typed.typos);

/** The same prefix with no typo forgiven: what ranks first in completions and products. */
export const withoutTypos = (plan: SuggestPlan): SuggestPlan => ({
  earlier: plan.earlier.map(({ text }) => ({ text, typos: 0 })),
  last: { text: plan.last.text, typos: 0 },
});

/**
 * Popularity for suggest: what sells first (`sold`, the document's `popularity`: units sold),
 * then, among products selling alike (a new catalog sells nothing yet), rating × number of
 * ratings (`rated`). OpenSearch sorts on the `popularity` field, then `RATED_SCRIPT`.
 */
export const suggestPopularity = (doc: {
  popularity: number;
  rating: number;
  ratingCount: number;
}): { sold: number; rated: number } => ({
  sold: doc.popularity,
  rated: doc.rating * doc.ratingCount,
});
export const RATED_SCRIPT = "doc['rating'].value * doc['ratingCount'].value";

/** A product matching a suggest prefix, as `bySuggestRank` orders them. */
export interface SuggestCandidate {
  productId: string;
  /** Whether it matches the prefix as typed (`withoutTypos`), not only through a typo. */
  exact: boolean;
  /** Units sold (`suggestPopularity`). */
  sold: number;
  /** Rating × number of ratings (`suggestPopularity`). */
  rated: number;
}

/**
 * Suggest's product order, in one place: products matching as typed before those matching
 * through a typo, then what sells most, then the best rated by count, ties by productId.
 * OpenSearch sorts the same way: a score of 1 for a match as typed, 0 otherwise, then the
 * `popularity` field, then `RATED_SCRIPT`, then productId.
 */
export const bySuggestRank = (a: SuggestCandidate, b: SuggestCandidate): number =>
  Number(b.exact) - Number(a.exact) ||
  b.sold - a.sold ||
  b.rated - a.rated ||
  (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0);

/**
 * Completions from the titles of matching products: every place in a title where the typed
 * words occur in a row (earlier words by the typo rule, the last as a prefix) gives the phrase
 * from there to the end of the current word ("lap" → "laptop"), and that phrase plus the next
 * word when it narrows usefully — at least two products, but fewer than the phrase alone
 * ("laptop stand"). Best first: phrases matching as typed before those reached through a typo
 * ("head" → "headphones" before "hearthstone"), then by products matched, then shorter, then
 * alphabetical.
 */
export function completionsFrom(
  titles: readonly string[],
  plan: SuggestPlan,
  limit: number,
): string[] {
  const products = new Map<string, number>();
  const words = plan.earlier.length + 1;
  // Titles share most of their words: each word is compared once per typed word.
  const whole = plan.earlier.map((typed) => memo((word: string) => matchesWhole(word, typed)));
  const prefix = memo((word: string) => matchesPrefix(word, plan.last));
  for (const title of titles) {
    const tokens = surfaceWords(title);
    const seen = new Set<string>();
    for (let i = 0; i + words <= tokens.length; i++) {
      if (!whole.every((matches, k) => matches(tokens[i + k]))) continue;
      if (!prefix(tokens[i + words - 1])) continue;
      const phrase = tokens.slice(i, i + words).join(' ');
      seen.add(phrase);
      if (i + words < tokens.length) seen.add(`${phrase} ${tokens[i + words]}`);
    }
    for (const phrase of seen) products.set(phrase, (products.get(phrase) ?? 0) + 1);
  }
  const phraseOf = (extended: string) => extended.slice(0, extended.lastIndexOf(' '));
  const exact = withoutTypos(plan);
  const asTyped = memo((phrase: string) => {
    const tokens = phrase.split(' ');
    return (
      exact.earlier.every((typed, k) => tokens[k] === typed.text) &&
      tokens[words - 1].startsWith(exact.last.text)
    );
  });
  return [...products]
    .filter(([phrase, count]) => {
      if (phrase.split(' ').length === words) return true;
      return count >= 2 && count < (products.get(phraseOf(phrase)) ?? 0);
    })
    .sort(
      ([a, countA], [b, countB]) =>
        Number(asTyped(b)) - Number(asTyped(a)) ||
        countB - countA ||
        a.length - b.length ||
        (a < b ? -1 : a > b ? 1 : 0),
    )
    .slice(0, limit)
    .map(([phrase]) => phrase);
}

function memo(test: (word: string) => boolean): (word: string) => boolean {
  const known = new Map<string, boolean>();
  return (word) => {
    let answer = known.get(word);
    if (answer === undefined) {
      answer = test(word);
      known.set(word, answer);
    }
    return answer;
  };
}
