import {
  count,
  create,
  removeMultiple,
  search,
  upsertMultiple,
  type Orama,
  type SearchParams,
} from '@orama/orama';
import {
  checkQuery,
  ProductIndex,
  validateDocuments,
  type IndexFailure,
  type ProductDocument,
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
type Where = NonNullable<SearchParams<ProductDb>['where']>;

const TEXT_FIELDS = ['title', 'description', 'brandText', 'attributes'] as const;
/** The same weights as the OpenSearch adapter's multi_match. */
const BOOST = { title: 3, brandText: 2 };
const PRICE_FIELD = { us: 'priceUs', eu: 'priceEu', ap: 'priceAp' } as const;

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
 * cross_fields / operator AND query. Scores are Orama's BM25.
 */
export class OramaProductIndex extends ProductIndex {
  private db: ProductDb = this.newDb();
  /** productId → the analysed words of its text fields. */
  private words = new Map<string, Set<string>>();

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
      for (const doc of latest.values()) this.words.set(doc.productId, this.analyse(doc));
    }
    return failures;
  }

  async deleteMany(productIds: readonly string[]): Promise<IndexFailure[]> {
    const known = [...new Set(productIds)].filter((id) => this.words.has(id));
    if (known.length > 0) await removeMultiple(this.db, known);
    for (const id of known) this.words.delete(id);
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
    const all = count(this.db);
    const params: SearchParams<ProductDb> = {
      where: this.where(query),
      limit: Math.max(all, 1),
      offset: 0,
      // Every word found anywhere; the every-word rule is applied below.
      threshold: 1,
    };
    let mustHave: string[] = [];
    if (text !== undefined) {
      const normalised = normaliseText(text);
      mustHave = [...new Set(this.db.tokenizer.tokenize(normalised, 'english'))];
      // Only stop words: nothing to match, as with OpenSearch's multi_match.
      if (mustHave.length === 0) return { total: 0, hits: [] };
      Object.assign(params, { term: normalised, properties: [...TEXT_FIELDS], boost: BOOST });
    }
    const result = await search(this.db, params);
    const matches = result.hits
      .filter((hit) => {
        const words = this.words.get(hit.id);
        return words !== undefined && mustHave.every((word) => words.has(word));
      })
      .map((hit) => ({ productId: hit.id, score: text === undefined ? 0 : hit.score }))
      .sort(
        (a, b) =>
          b.score - a.score || (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0),
      );
    return {
      total: matches.length,
      hits: matches.slice(query.offset, query.offset + query.limit),
    };
  }

  health(): Promise<SearchIndexHealth> {
    return Promise.resolve({
      up: true,
      detail: `embedded Orama index: ${count(this.db)} products`,
    });
  }

  drop(): Promise<void> {
    this.db = this.newDb();
    this.words = new Map();
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private newDb(): ProductDb {
    return create({
      schema,
      // Results are ordered here (score, then productId); no sort indexes needed.
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

  private where(query: ProductSearchQuery): Where {
    const where: Record<string, unknown> = {};
    if (query.categoryId !== undefined) where.categoryPath = { containsAll: [query.categoryId] };
    if (query.brand !== undefined) where.brand = { eq: query.brand };
    if (query.inStock === true) where.available = true;
    const { minPrice, maxPrice } = query;
    if (minPrice !== undefined || maxPrice !== undefined) {
      where[PRICE_FIELD[query.region]] =
        minPrice !== undefined && maxPrice !== undefined
          ? { between: [minPrice, maxPrice] }
          : minPrice !== undefined
            ? { gte: minPrice }
            : { lte: maxPrice };
    }
    return where as Where;
  }
}
