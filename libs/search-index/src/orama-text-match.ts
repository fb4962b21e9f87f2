import type { ProductDocument } from './product-index';
import { bestCorrection, correctableWords, correctedText } from './text/spelling';
import { matchesPrefix, type SuggestPlan } from './text/suggest';
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
    { analysed: Set<string>; surface: Set<string>; titles: Set<string>; title: string }
  >();

  /** `analyse`: the index's analysis (lower case, stop words dropped, stemmed). */
  constructor(private readonly analyse: (text: string) => string[]) {}

  /** Indexes a product's words in place of its previous ones; returns its analysed words. */
  add(doc: ProductDocument): Set<string> {
    this.remove(doc.productId);
    const text = searchableText(doc);
    const entry = {
      analysed: new Set(text.flatMap((part) => this.analyse(part))),
      surface: new Set(text.flatMap(surfaceWords)),
      titles: new Set([doc.title, doc.brand].flatMap(surfaceWords)),
      title: doc.title,
    };
    this.entries.set(doc.productId, entry);
    for (const word of entry.analysed) this.analysed.add(word, doc.productId);
    for (const word of entry.surface) this.surface.add(word, doc.productId);
    for (const word of entry.titles) this.titles.add(word, doc.productId);
    return entry.analysed;
  }

  remove(productId: string): void {
    const entry = this.entries.get(productId);
    if (entry === undefined) return;
    for (const word of entry.analysed) this.analysed.remove(word, productId);
    for (const word of entry.surface) this.surface.remove(word, productId);
    for (const word of entry.titles) this.titles.remove(word, productId);
    this.entries.delete(productId);
  }

  titleOf(productId: string): string | undefined {
    return this.entries.get(productId)?.title;
  }

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
        const near = stems.map((stem) => this.analysed.near(stem, word.typos));
        near.flat().forEach((term) => terms.add(term));
        raise(having(this.analysed, near), MATCH_WEIGHTS.typo);
      }
      for (const synonym of word.synonyms) {
        const synonymStems = synonym.flatMap((part) => this.analyse(part));
        if (synonymStems.length === 0) continue;
        synonymStems.forEach((term) => terms.add(term));
        raise(
          having(
            this.analysed,
            synonymStems.map((stem) => [stem]),
          ),
          MATCH_WEIGHTS.synonym,
        );
      }
      stems.forEach((term) => terms.add(term));
      raise(
        having(
          this.analysed,
          stems.map((stem) => [stem]),
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
        .near(word, 2)
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
      this.titles.matching((word) => matchesPrefix(word, plan.last)),
    ];
    return having(this.titles, slots);
  }
}

/** Products having, for every slot, one of its words. */
function having(postings: WordPostings, slots: readonly (readonly string[])[]): Set<string> {
  let ids: Set<string> | undefined;
  for (const slot of slots) {
    const any = new Set<string>();
    for (const word of slot) for (const id of postings.productsOf(word)) any.add(id);
    ids = ids === undefined ? any : new Set([...ids].filter((id) => any.has(id)));
    if (ids.size === 0) break;
  }
  return ids ?? new Set();
}

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
