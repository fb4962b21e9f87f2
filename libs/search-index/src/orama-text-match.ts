import type { ProductDocument } from './product-index';
import { bestCorrection, correctableWords, correctedText } from './text/spelling';
import type { SuggestPlan } from './text/suggest';
import { typoBudget } from './text/typos';
import { WordPostings } from './text/word-postings';
import { MATCH_WEIGHTS, surfaceWords, type QueryWord } from './text/words';

/** The text a product is found by (title, description, brand, category names, specs, attributes). */
export const searchableText = (doc: ProductDocument): string[] => [
  doc.title,
  doc.description,
  doc.brand,
  ...doc.categoryNames,
  ...doc.specs,
  ...doc.attributes,
];

/** Products matching every query word, each with its relevance factor, and the words to score. */
export interface TextMatch {
  /** productId → product of the matched words' weights (MATCH_WEIGHTS). */
  weights: Map<string, number>;
  /** Every analysed word a match may rest on, for the BM25 search that scores the matches. */
  terms: string[];
}

/**
 * The embedded index's vocabularies for typo tolerance, synonyms, spelling and suggest: the
 * analysed words of every product (what search matches, as OpenSearch's `english` fields),
 * their surface forms (what spelling correction offers, as OpenSearch's `spelling` field) and
 * the surface words of titles and brands (what suggest completes, as the `*.prefix` fields).
 */
export class OramaTextMatcher {
  private readonly analysed = new WordPostings();
  private readonly surface = new WordPostings();
  private readonly titles = new WordPostings();
  private readonly entries = new Map<
    string,
    { analysed: Set<string>; surface: Set<string>; titles: Set<string> }
  >();

  /** `analyse`: the index's analysis (lower case, stop words dropped, stemmed). */
  constructor(private readonly analyse: (text: string) => string[]) {}

  /** Indexes a product's words in place of its previous ones. */
  add(doc: ProductDocument): void {
    this.remove(doc.productId);
    const text = searchableText(doc);
    const entry = {
      analysed: new Set(text.flatMap((part) => this.analyse(part))),
      surface: new Set(text.flatMap(surfaceWords)),
      titles: new Set([doc.title, doc.brand].flatMap(surfaceWords)),
    };
    this.entries.set(doc.productId, entry);
    for (const word of entry.analysed) this.analysed.add(word, doc.productId);
    for (const word of entry.surface) this.surface.add(word, doc.productId);
    for (const word of entry.titles) this.titles.add(word, doc.productId);
  }

  remove(productId: string): void {
    const entry = this.entries.get(productId);
    if (entry === undefined) return;
    for (const word of entry.analysed) this.analysed.remove(word, productId);
    for (const word of entry.surface) this.surface.remove(word, productId);
    for (const word of entry.titles) this.titles.remove(word, productId);
    this.entries.delete(productId);
  }

  private readonly analysedOf = (productId: string): ReadonlySet<string> =>
    this.entries.get(productId)?.analysed ?? NO_WORDS;

  /**
   * The products having every query word — exactly, through a synonym, or within its typo
   * budget — as OpenSearch's per-word clauses (opensearch-text-query.ts) match them.
   */
  match(words: readonly QueryWord[]): TextMatch {
    const terms = new Set<string>();
    let result: Map<string, number> | undefined;
    for (const word of words) {
      const stems = this.analyse(word.text);
      // Nothing left after analysis (OpenSearch's clause would match nothing either).
      if (stems.length === 0) return { weights: new Map(), terms: [] };
      const weights = new Map<string, number>();
      const raise = (ids: Iterable<string>, weight: number) => {
        for (const id of ids) if ((weights.get(id) ?? 0) < weight) weights.set(id, weight);
      };
      if (word.typos > 0) {
        // A word the analysis splits ("don't" → don, t) forgives no more per part than the
        // part's own length allows, so a one-letter part stays exact.
        const budget = (stem: string) =>
          stems.length > 1 ? Math.min(word.typos, typoBudget(stem)) : word.typos;
        const near = stems.map((stem) => this.analysed.near(stem, budget(stem)));
        near.flat().forEach((term) => terms.add(term));
        raise(having(this.analysed, near, this.analysedOf), MATCH_WEIGHTS.typo);
      }
      for (const synonym of word.synonyms) {
        const synonymStems = synonym.flatMap((part) => this.analyse(part));
        if (synonymStems.length === 0) continue;
        synonymStems.forEach((term) => terms.add(term));
        raise(
          having(
            this.analysed,
            synonymStems.map((stem) => [stem]),
            this.analysedOf,
          ),
          MATCH_WEIGHTS.synonym,
        );
      }
      stems.forEach((term) => terms.add(term));
      raise(
        having(
          this.analysed,
          stems.map((stem) => [stem]),
          this.analysedOf,
        ),
        MATCH_WEIGHTS.exact,
      );
      result = result === undefined ? weights : combine(result, weights);
      if (result.size === 0) break;
    }
    return { weights: result ?? new Map(), terms: [...terms] };
  }

  /** See ProductIndex.spellingCorrection: the surface vocabulary, by document frequency. */
  spellingCorrection(text: string): string | undefined {
    const corrections = new Map<string, string>();
    for (const word of correctableWords(text)) {
      if (this.surface.frequency(word) > 0) continue;
      const candidates = this.surface
        .near(word, typoBudget(word))
        .map((near) => ({ word: near, documentFrequency: this.surface.frequency(near) }));
      const best = bestCorrection(word, candidates);
      if (best !== undefined) corrections.set(word, best);
    }
    return correctedText(text, corrections);
  }

  /** Products whose title or brand words match a suggest prefix (see `planSuggest`). */
  suggestMatches(plan: SuggestPlan): Set<string> {
    const slots = [
      ...plan.earlier.map((typed) => this.titles.near(typed.text, typed.typos)),
      this.titles.startingWithin(plan.last.text, plan.last.typos),
    ];
    return having(this.titles, slots, (id) => this.entries.get(id)?.titles ?? NO_WORDS);
  }
}

/**
 * Products having, for every slot, one of its words. The rarest slot gives the candidates; the
 * others are checked against each candidate's own words, so a short prefix ("l", thousands of
 * products) costs as much as the candidates left, not as its postings.
 */
function having(
  postings: WordPostings,
  slots: readonly (readonly string[])[],
  wordsOf: (productId: string) => ReadonlySet<string>,
): Set<string> {
  if (slots.length === 0) return new Set();
  const size = (slot: readonly string[]) =>
    slot.reduce((sum, word) => sum + postings.frequency(word), 0);
  const [rarest, ...others] = [...slots].sort((a, b) => size(a) - size(b));
  let ids = new Set<string>();
  for (const word of rarest) for (const id of postings.productsOf(word)) ids.add(id);
  for (const slot of others) {
    if (ids.size === 0) break;
    const accepted = new Set(slot);
    ids = new Set(
      [...ids].filter((id) => {
        for (const word of wordsOf(id)) if (accepted.has(word)) return true;
        return false;
      }),
    );
  }
  return ids;
}

const NO_WORDS: ReadonlySet<string> = new Set();

/** Products in both, their weights multiplied. */
function combine(a: Map<string, number>, b: Map<string, number>): Map<string, number> {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  const both = new Map<string, number>();
  for (const [id, weight] of small) {
    const other = large.get(id);
    if (other !== undefined) both.set(id, weight * other);
  }
  return both;
}
