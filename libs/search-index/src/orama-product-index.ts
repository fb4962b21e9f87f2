import {
  components,
  count,
  create,
  removeMultiple,
  upsertMultiple,
  type Orama,
} from '@orama/orama';
import type { Region } from '@mercato/contracts';
import {
  checkQuery,
  TEXT_FIELD_WEIGHTS,
  FACET_SIZE,
  priceRangesOf,
  ProductIndex,
  validateDocuments,
  type FacetName,
  type FacetValue,
  type IndexFailure,
  type ProductDocument,
  type ProductFacets,
  type ProductHit,
  type ProductIndexRebuild,
  type ProductSort,
  type ProductSearchQuery,
  type ProductSearchResult,
  type SearchIndexHealth,
} from './product-index';
import {
  explainScore,
  inStockIn,
  rankingWeightsOf,
  signalFactors,
  signalProduct,
  type SignalFactors,
} from './ranking';
import { OramaTextMatcher } from './orama-text-match';
import { firstInOrder } from './first-in-order';
import { ENGLISH_STOP_WORDS } from './search-support';
import {
  bySuggestRank,
  completionsFrom,
  planSuggest,
  suggestPopularity,
  SUGGEST_SAMPLE,
  type SuggestQuery,
  type SuggestResult,
  withoutTypos,
} from './text/suggest';
import { planTextQuery } from './text/words';

/**
 * BM25 scores of the products having any of `terms` (the index's own analysed words, found by
 * the text matcher): Orama's full-text index component asked directly, for exact terms. Orama's
 * `search()` would also expand every term as a prefix, fetch and sort every document of the
 * result — half of an embedded search's time on the bench mix (docs/performance.md) — when
 * only the scores are needed here.
 */
function bm25Scores(db: ProductDb, terms: readonly string[]): Map<string, number> {
  const pairs = db.index.search(
    db.data.index,
    terms.join(' '),
    db.tokenizer,
    'english',
    [...TEXT_FIELDS],
    true,
    0,
    BOOST,
    { k: 1.2, b: 0.75, d: 0.5 },
    count(db),
    undefined,
    1,
  );
  const scores = new Map<string, number>();
  for (const [internalId, score] of pairs) {
    scores.set(
      components.internalDocumentIDStore.getDocumentIdFromInternalId(
        db.internalDocumentIDStore,
        internalId,
      ),
      score,
    );
  }
  return scores;
}

/** Orama scores text only; filters, sorts and facets run over the stored documents. */
const schema = {
  title: 'string',
  description: 'string',
  brandText: 'string',
  categoryNames: 'string[]',
  specs: 'string[]',
  attributes: 'string[]',
} as const;

type ProductDb = Orama<typeof schema>;

const TEXT_FIELDS = [
  'title',
  'description',
  'brandText',
  'categoryNames',
  'specs',
  'attributes',
] as const;
/** The same weights as the OpenSearch adapter's multi_match. */
const BOOST = {
  title: TEXT_FIELD_WEIGHTS.title,
  description: TEXT_FIELD_WEIGHTS.description,
  brandText: TEXT_FIELD_WEIGHTS.brand,
  categoryNames: TEXT_FIELD_WEIGHTS.categoryNames,
  specs: TEXT_FIELD_WEIGHTS.specs,
  attributes: TEXT_FIELD_WEIGHTS.attributes,
};

/**
 * One Orama database, the documents it holds and their words for typos, synonyms, spelling and
 * suggest: the live index, or one being rebuilt, swapped in whole.
 */
interface Store {
  db: ProductDb;
  docs: Map<string, { doc: ProductDocument }>;
  text: OramaTextMatcher;
}

/**
 * Brings text closer to Lucene's standard tokenizer plus English possessives before Orama's
 * tokenizer (which keeps hyphens and apostrophes inside words): "Acme's" → "Acme",
 * "long-distance" → "long distance".
 */
const normaliseText = (text: string): string =>
  text.replace(/['’]s\b/gi, '').replace(/[-'’]+/g, ' ');

/**
 * The embedded product index: Orama in memory (the embedded store's default, and tests).
 *
 * Orama matches query words as prefixes and has no "every word must match" mode across
 * fields, nor per-word typo budgets, so the matches come from `OramaTextMatcher` (postings of
 * the analysed words: every query word exactly, through a synonym or within its typo budget —
 * the semantics of the OpenSearch adapter's per-word clauses); Orama's BM25 over the words
 * they rest on scores them. Filters, sorts and facets run
 * over the stored documents of the text matches, so each facet can leave its own filter out
 * and count exactly what a search with that value as the filter would return.
 */
export class OramaProductIndex extends ProductIndex {
  private db: ProductDb = this.newDb();
  private docs = new Map<string, { doc: ProductDocument }>();
  /** The words of the live documents, for text matching, spelling and suggest. */
  private text = this.newTextMatcher(this.db);
  /** The store a running rebuild fills, which the port's writes also reach, and their ids. */
  private rebuilding?: Store & { touched: Set<string> };

  async init(): Promise<void> {
    await this.ensureIndex();
  }

  ensureIndex(): Promise<void> {
    return Promise.resolve();
  }

  async upsertMany(docs: readonly ProductDocument[]): Promise<IndexFailure[]> {
    const { valid, failures } = validateDocuments(docs);
    const rebuilding = this.rebuilding;
    for (const doc of valid) rebuilding?.touched.add(doc.productId);
    await this.write(this.live(), valid);
    if (rebuilding) await this.write(rebuilding, valid);
    return failures;
  }

  async deleteMany(productIds: readonly string[]): Promise<IndexFailure[]> {
    const rebuilding = this.rebuilding;
    for (const id of productIds) rebuilding?.touched.add(id);
    await this.remove(this.live(), productIds);
    if (rebuilding) await this.remove(rebuilding, productIds);
    return [];
  }

  beginRebuild(): Promise<ProductIndexRebuild> {
    if (this.rebuilding) return Promise.reject(new Error('a rebuild is already running'));
    const db = this.newDb();
    const store = {
      db,
      docs: new Map(),
      text: this.newTextMatcher(db),
      touched: new Set<string>(),
    };
    this.rebuilding = store;
    const finish = (): void => {
      if (this.rebuilding === store) this.rebuilding = undefined;
    };
    return Promise.resolve({
      upsertMany: async (docs) => {
        if (this.rebuilding !== store) throw new Error('rebuild is over');
        const { valid, failures } = validateDocuments(docs);
        // The port wrote these since the rebuild began: its copy is the newer one.
        await this.write(
          store,
          valid.filter((doc) => !store.touched.has(doc.productId)),
        );
        return failures;
      },
      complete: () => {
        if (this.rebuilding !== store) return Promise.reject(new Error('rebuild is over'));
        // All in one synchronous step: a search sees the old store or the new, never a mix.
        this.db = store.db;
        this.docs = store.docs;
        this.text = store.text;
        finish();
        return Promise.resolve();
      },
      abort: () => {
        finish();
        return Promise.resolve();
      },
    });
  }

  private live(): Store {
    return { db: this.db, docs: this.docs, text: this.text };
  }

  private async write(store: Store, valid: readonly ProductDocument[]): Promise<void> {
    // The last write of a productId wins, as in an OpenSearch bulk request.
    const latest = new Map(valid.map((doc) => [doc.productId, doc]));
    if (latest.size === 0) return;
    await upsertMultiple(
      store.db,
      [...latest.values()].map((doc) => this.toOrama(doc)),
    );
    for (const doc of latest.values()) {
      store.docs.set(doc.productId, { doc });
      store.text.add(doc);
    }
  }

  private async remove(store: Store, productIds: readonly string[]): Promise<void> {
    const known = [...new Set(productIds)].filter((id) => store.docs.has(id));
    if (known.length > 0) await removeMultiple(store.db, known);
    for (const id of known) {
      store.docs.delete(id);
      store.text.remove(id);
    }
  }

  /** Writes are visible at once. */
  refresh(): Promise<void> {
    return Promise.resolve();
  }

  count(): Promise<number> {
    return Promise.resolve(count(this.db));
  }

  async search(query: ProductSearchQuery): Promise<ProductSearchResult> {
    const text = checkQuery(query);
    const weights = rankingWeightsOf(query.ranking);
    // A count (no hits, no facets: the spelling check's) needs which products match, not scores.
    const scored = query.limit > 0 || Boolean(query.facets?.length);
    const candidates = (await this.textMatches(text, query.typoTolerance, scored)).filter(
      ({ doc }) => always(doc, query),
    );
    // Signals only for what passes the filters; facets need the candidates, not their scores.
    const matches = candidates
      .filter(({ doc }) => passes(doc, query))
      .map(({ doc, score }): Ranked => {
        const factors = signalFactors(doc, weights, query.ranking?.affinities);
        const textScore = text === undefined ? 1 : score;
        return {
          doc,
          text: textScore,
          factors,
          score: textScore * signalProduct(factors),
          inStock: inStockIn(doc, query.region),
        };
      });
    const page = firstInOrder(
      matches,
      query.offset + query.limit,
      compareBy(query.sort ?? 'relevance', query.region),
    ).slice(query.offset);
    const result: ProductSearchResult = {
      total: matches.length,
      hits: page.map((ranked) => {
        const hit: ProductHit = {
          productId: ranked.doc.productId,
          score: ranked.score,
          document: ranked.doc,
        };
        if (query.explain)
          hit.explanation = explainScore(ranked.text, ranked.factors, ranked.inStock);
        return hit;
      }),
    };
    if (query.facets?.length) result.facets = countFacets(candidates, query);
    return result;
  }

  /**
   * Every document matching the text (all of them when there is none), with its score; the
   * filters are applied by the caller, so facets can leave one of them out.
   */
  private async textMatches(
    text: string | undefined,
    typoTolerance: boolean | undefined,
    scored = true,
  ): Promise<Candidate[]> {
    // Read once: a rebuild completing meanwhile swaps the store, and this search keeps the old.
    const { db, docs, text: matcher } = this.live();
    if (text === undefined) {
      return [...docs.values()].map(({ doc }) => ({ doc, score: 0 }));
    }
    // Only stop words, or no word at all: nothing to match, as on OpenSearch.
    const { weights, terms } = matcher.match(planTextQuery(text, { typoTolerance }));
    if (weights.size === 0) return [];
    if (!scored) {
      return [...weights.keys()].flatMap((productId) => {
        const stored = docs.get(productId);
        return stored ? [{ doc: stored.doc, score: 0 }] : [];
      });
    }
    // BM25 over every word a match rests on; the weights rank exact above synonym above typo.
    const scores = bm25Scores(db, terms);
    const candidates: Candidate[] = [];
    for (const [productId, weight] of weights) {
      const stored = docs.get(productId);
      if (stored)
        candidates.push({ doc: stored.doc, score: (scores.get(productId) ?? 0) * weight });
    }
    return candidates;
  }

  spellingCorrection(text: string): Promise<string | undefined> {
    return Promise.resolve(this.live().text.spellingCorrection(text));
  }

  suggest(query: SuggestQuery): Promise<SuggestResult> {
    const plan = planSuggest(query.prefix);
    if (plan === undefined) return Promise.resolve({ completions: [], products: [] });
    // Read once: a rebuild completing meanwhile swaps the store, and this suggest keeps the old.
    const { docs, text } = this.live();
    const asTyped = text.suggestMatches(withoutTypos(plan));
    const sample = [...text.suggestMatches(plan)]
      .map((id) => docs.get(id)?.doc)
      .filter((doc): doc is ProductDocument => doc?.prices[query.region] !== undefined)
      .map((doc) => ({
        doc,
        productId: doc.productId,
        exact: asTyped.has(doc.productId),
        ...suggestPopularity(doc),
      }))
      .sort(bySuggestRank)
      .slice(0, SUGGEST_SAMPLE);
    return Promise.resolve({
      completions: completionsFrom(
        sample.map(({ doc }) => doc.title),
        plan,
        query.limit,
      ),
      products: sample
        .slice(0, query.limit)
        .map(({ productId, sold, doc }) => ({ productId, score: sold, title: doc.title })),
    });
  }

  health(): Promise<SearchIndexHealth> {
    return Promise.resolve({
      up: true,
      detail: `embedded Orama index: ${count(this.db)} products`,
    });
  }

  drop(): Promise<void> {
    this.db = this.newDb();
    this.docs = new Map();
    this.text = this.newTextMatcher(this.db);
    this.rebuilding = undefined;
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private newDb(): ProductDb {
    return create({
      schema,
      // Results are filtered and ordered here; Orama only scores text, so no sort indexes.
      sort: { enabled: false },
      components: {
        tokenizer: { language: 'english', stemming: true, stopWords: [...ENGLISH_STOP_WORDS] },
      },
    });
  }

  private toOrama(doc: ProductDocument) {
    return {
      id: doc.productId,
      title: normaliseText(doc.title),
      description: normaliseText(doc.description),
      brandText: normaliseText(doc.brand),
      categoryNames: doc.categoryNames.map(normaliseText),
      specs: doc.specs.map(normaliseText),
      attributes: doc.attributes.map(normaliseText),
    };
  }

  private newTextMatcher(db: ProductDb): OramaTextMatcher {
    return new OramaTextMatcher((text) => db.tokenizer.tokenize(normaliseText(text), 'english'));
  }
}

interface Candidate {
  doc: ProductDocument;
  score: number;
}

/** A match with its ranking: `score` = `text` × the signal factors. */
interface Ranked extends Candidate {
  text: number;
  factors: SignalFactors;
  inStock: boolean;
}

/** The filters every facet applies: sold in the region, in stock there, rating. */
function always(doc: ProductDocument, query: ProductSearchQuery): boolean {
  if (doc.prices[query.region] === undefined) return false;
  if (query.inStock === true && !inStockIn(doc, query.region)) return false;
  if (query.minRating !== undefined && doc.rating < query.minRating) return false;
  return true;
}

/** Whether a document passes the facet-owned filters, leaving out the one a facet ignores. */
function passes(doc: ProductDocument, query: ProductSearchQuery, except?: FacetName): boolean {
  if (except !== 'category' && query.categoryId !== undefined) {
    if (!doc.categoryPath.includes(query.categoryId)) return false;
  }
  if (except !== 'brand' && query.brand !== undefined && doc.brand !== query.brand) return false;
  if (except !== 'price') {
    const price = doc.prices[query.region] ?? 0;
    if (query.minPrice !== undefined && price < query.minPrice) return false;
    if (query.maxPrice !== undefined && price > query.maxPrice) return false;
  }
  return true;
}

const byProductId = (a: Candidate, b: Candidate): number =>
  a.doc.productId < b.doc.productId ? -1 : a.doc.productId > b.doc.productId ? 1 : 0;

/** The OpenSearch adapter's sort clauses, as a comparator (every match is sold in `region`). */
function compareBy(sort: ProductSort, region: Region): (a: Ranked, b: Ranked) => number {
  const price = (r: Ranked) => r.doc.prices[region] ?? 0;
  const key: (a: Ranked, b: Ranked) => number = {
    relevance: (a: Ranked, b: Ranked) => Number(b.inStock) - Number(a.inStock) || b.score - a.score,
    price_asc: (a: Ranked, b: Ranked) => price(a) - price(b),
    price_desc: (a: Ranked, b: Ranked) => price(b) - price(a),
    newest: (a: Ranked, b: Ranked) => Date.parse(b.doc.createdAt) - Date.parse(a.doc.createdAt),
    rating: (a: Ranked, b: Ranked) => b.doc.rating - a.doc.rating,
  }[sort];
  return (a, b) => key(a, b) || byProductId(a, b);
}

/** The facets asked for, counted over the text matches with every filter but the facet's own. */
function countFacets(candidates: Candidate[], query: ProductSearchQuery): ProductFacets {
  const facets: ProductFacets = {};
  const asked = new Set(query.facets);
  if (asked.has('category')) {
    const counts = new Map<string, number>();
    for (const { doc } of candidates) {
      if (!passes(doc, query, 'category')) continue;
      const path = doc.categoryPath;
      for (let i = 0; i < path.length; i++) {
        // Each category once per product, as a terms aggregation counts documents.
        if (path.indexOf(path[i]) === i) counts.set(path[i], (counts.get(path[i]) ?? 0) + 1);
      }
    }
    facets.category = topValues(counts, FACET_SIZE.category);
  }
  if (asked.has('brand')) {
    const counts = new Map<string, number>();
    for (const { doc } of candidates) {
      if (passes(doc, query, 'brand')) counts.set(doc.brand, (counts.get(doc.brand) ?? 0) + 1);
    }
    facets.brand = topValues(counts, FACET_SIZE.brand);
  }
  if (asked.has('price')) {
    const ranges = priceRangesOf(query);
    const counts = ranges.map(() => 0);
    for (const { doc } of candidates) {
      if (!passes(doc, query, 'price')) continue;
      const price = doc.prices[query.region] ?? 0;
      // Ranges may overlap (a query's own), so every range is checked.
      for (let i = 0; i < ranges.length; i++) {
        const { from, to } = ranges[i];
        if ((from === undefined || price >= from) && (to === undefined || price < to)) counts[i]++;
      }
    }
    facets.price = ranges.map((range, i) => ({ ...range, count: counts[i] }));
  }
  return facets;
}

/** Most products first, ties by value ascending (OpenSearch's terms order), at most `size`. */
function topValues(counts: Map<string, number>, size: number): FacetValue[] {
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
    .slice(0, size);
}
