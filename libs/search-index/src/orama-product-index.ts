import { count, create, removeMultiple, search, upsertMultiple, type Orama } from '@orama/orama';
import type { Region } from '@mercato/contracts';
import {
  checkQuery,
  FACET_SIZE,
  priceRangesOf,
  ProductIndex,
  validateDocuments,
  type FacetName,
  type FacetValue,
  type IndexFailure,
  type ProductDocument,
  type ProductFacets,
  type ProductSort,
  type ProductSearchQuery,
  type ProductSearchResult,
  type SearchIndexHealth,
} from './product-index';
import { ENGLISH_STOP_WORDS } from './search-support';

const schema = {
  title: 'string',
  description: 'string',
  brandText: 'string',
  attributes: 'string[]',
  brand: 'enum',
  categoryId: 'enum',
  categoryPath: 'enum[]',
  priceUs: 'number',
  priceEu: 'number',
  priceAp: 'number',
  rating: 'number',
  ratingCount: 'number',
  createdAt: 'number',
  available: 'boolean',
} as const;

type ProductDb = Orama<typeof schema>;

const TEXT_FIELDS = ['title', 'description', 'brandText', 'attributes'] as const;
/** The same weights as the OpenSearch adapter's multi_match. */
const BOOST = { title: 3, brandText: 2 };

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
 * fields, so this adapter keeps each document's analysed words and keeps only the candidates
 * that contain every analysed query word — the semantics of the OpenSearch adapter's
 * cross_fields / operator AND query. Scores are Orama's BM25. Filters, sorts and facets run
 * over the stored documents of the text matches, so each facet can leave its own filter out
 * and count exactly what a search with that value as the filter would return.
 */
export class OramaProductIndex extends ProductIndex {
  private db: ProductDb = this.newDb();
  /** productId → the document and the analysed words of its text fields. */
  private docs = new Map<string, { doc: ProductDocument; words: Set<string> }>();

  async init(): Promise<void> {
    await this.ensureIndex();
  }

  ensureIndex(): Promise<void> {
    return Promise.resolve();
  }

  async upsertMany(docs: readonly ProductDocument[]): Promise<IndexFailure[]> {
    const { valid, failures } = validateDocuments(docs);
    // The last write of a productId wins, as in an OpenSearch bulk request.
    const latest = new Map(valid.map((doc) => [doc.productId, doc]));
    if (latest.size > 0) {
      await upsertMultiple(
        this.db,
        [...latest.values()].map((doc) => this.toOrama(doc)),
      );
      for (const doc of latest.values()) {
        this.docs.set(doc.productId, { doc, words: this.analyse(doc) });
      }
    }
    return failures;
  }

  async deleteMany(productIds: readonly string[]): Promise<IndexFailure[]> {
    const known = [...new Set(productIds)].filter((id) => this.docs.has(id));
    if (known.length > 0) await removeMultiple(this.db, known);
    for (const id of known) this.docs.delete(id);
    return [];
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
    const candidates = await this.textMatches(text);
    const matches = candidates
      .filter(({ doc }) => passes(doc, query))
      .sort(compareBy(query.sort ?? 'relevance', query.region));
    const result: ProductSearchResult = {
      total: matches.length,
      hits: matches
        .slice(query.offset, query.offset + query.limit)
        .map(({ doc, score }) => ({ productId: doc.productId, score })),
    };
    if (query.facets?.length) result.facets = countFacets(candidates, query);
    return result;
  }

  /**
   * Every document matching the text (all of them when there is none), with its score; the
   * filters are applied by the caller, so facets can leave one of them out.
   */
  private async textMatches(text: string | undefined): Promise<Candidate[]> {
    if (text === undefined) {
      return [...this.docs.values()].map(({ doc }) => ({ doc, score: 0 }));
    }
    const normalised = normaliseText(text);
    const mustHave = [...new Set(this.db.tokenizer.tokenize(normalised, 'english'))];
    // Only stop words: nothing to match, as with OpenSearch's multi_match.
    if (mustHave.length === 0) return [];
    const result = await search(this.db, {
      term: normalised,
      properties: [...TEXT_FIELDS],
      boost: BOOST,
      limit: Math.max(count(this.db), 1),
      offset: 0,
      // Every word found anywhere; the every-word rule is applied below.
      threshold: 1,
    });
    const candidates: Candidate[] = [];
    for (const hit of result.hits) {
      const stored = this.docs.get(hit.id);
      if (stored && mustHave.every((word) => stored.words.has(word))) {
        candidates.push({ doc: stored.doc, score: hit.score });
      }
    }
    return candidates;
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
      attributes: doc.attributes.map(normaliseText),
      brand: doc.brand,
      categoryId: doc.categoryId,
      categoryPath: doc.categoryPath,
      priceUs: doc.prices.us,
      priceEu: doc.prices.eu,
      priceAp: doc.prices.ap,
      rating: doc.rating,
      ratingCount: doc.ratingCount,
      createdAt: Date.parse(doc.createdAt),
      available: doc.available,
    };
  }

  private analyse(doc: ProductDocument): Set<string> {
    const words = new Set<string>();
    for (const text of [doc.title, doc.description, doc.brand, ...doc.attributes]) {
      for (const word of this.db.tokenizer.tokenize(normaliseText(text), 'english'))
        words.add(word);
    }
    return words;
  }
}

interface Candidate {
  doc: ProductDocument;
  score: number;
}

/** Whether a document passes the query's filters, leaving out the one a facet ignores. */
function passes(doc: ProductDocument, query: ProductSearchQuery, except?: FacetName): boolean {
  if (query.inStock === true && !doc.available) return false;
  if (except !== 'category' && query.categoryId !== undefined) {
    if (!doc.categoryPath.includes(query.categoryId)) return false;
  }
  if (except !== 'brand' && query.brand !== undefined && doc.brand !== query.brand) return false;
  if (except !== 'price') {
    const price = doc.prices[query.region];
    if (query.minPrice !== undefined && price < query.minPrice) return false;
    if (query.maxPrice !== undefined && price > query.maxPrice) return false;
  }
  return true;
}

const byProductId = (a: Candidate, b: Candidate): number =>
  a.doc.productId < b.doc.productId ? -1 : a.doc.productId > b.doc.productId ? 1 : 0;

/** The OpenSearch adapter's sort clauses, as a comparator. */
function compareBy(sort: ProductSort, region: Region): (a: Candidate, b: Candidate) => number {
  const key: (a: Candidate, b: Candidate) => number = {
    relevance: (a: Candidate, b: Candidate) => b.score - a.score,
    price_asc: (a: Candidate, b: Candidate) => a.doc.prices[region] - b.doc.prices[region],
    price_desc: (a: Candidate, b: Candidate) => b.doc.prices[region] - a.doc.prices[region],
    newest: (a: Candidate, b: Candidate) =>
      Date.parse(b.doc.createdAt) - Date.parse(a.doc.createdAt),
    rating: (a: Candidate, b: Candidate) => b.doc.rating - a.doc.rating,
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
      for (const id of new Set(doc.categoryPath)) counts.set(id, (counts.get(id) ?? 0) + 1);
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
    const prices = candidates
      .filter(({ doc }) => passes(doc, query, 'price'))
      .map(({ doc }) => doc.prices[query.region]);
    facets.price = priceRangesOf(query).map((range) => ({
      ...range,
      count: prices.filter(
        (price) =>
          (range.from === undefined || price >= range.from) &&
          (range.to === undefined || price < range.to),
      ).length,
    }));
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
