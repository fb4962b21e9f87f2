import { Client, errors, type API, type Types } from '@opensearch-project/opensearch';
import { REGIONS } from '@mercato/contracts';
import {
  checkQuery,
  TEXT_FIELD_WEIGHTS,
  FACET_NAMES,
  FACET_SIZE,
  priceRangesOf,
  ProductIndex,
  validateDocuments,
  type FacetName,
  type IndexFailure,
  type ProductDocument,
  type ProductFacets,
  type ProductHit,
  type ProductIndexRebuild,
  type ProductSearchQuery,
  type ProductSearchResult,
  type SearchIndexHealth,
} from './product-index';
import { explainScore, inStockIn, rankingWeightsOf, signalFactors, signalProduct } from './ranking';
import {
  SPELLING_FIELD,
  spellingBody,
  spellingCandidates,
  SUGGEST_SUBFIELDS,
  suggestBody,
  TEXT_ANALYSIS,
  textQuery,
} from './opensearch-text-query';
import { defaultSearchLogger, type SearchLogger } from './search-support';
import { bestCorrection, correctableWords, correctedText } from './text/spelling';
import {
  completionsFrom,
  planSuggest,
  type SuggestQuery,
  type SuggestResult,
} from './text/suggest';
import { typoBudget } from './text/typos';
import { planTextQuery } from './text/words';

export interface OpenSearchProductIndexOptions {
  /** e.g. http://localhost:9200 */
  url: string;
  /**
   * Index name prefix (SEARCH_INDEX_PREFIX): the alias `<prefix>products` names the live
   * concrete index `<prefix>products-<timestamp>`.
   */
  prefix: string;
  /** Primary shards of a new index (default 1). */
  shards?: number;
  /** Replicas of a new index (default 0: one node in development; raise on a cluster). */
  replicas?: number;
  /** Documents per bulk request (default 1,000). */
  bulkSize?: number;
  /** Per-request timeout (default 10 s); health checks use their own short one. */
  requestTimeoutMs?: number;
  /** How long `health()` waits for the cluster (default 2 s). */
  healthTimeoutMs?: number;
  /**
   * How long a completed rebuild keeps the old index before deleting it (default 500 ms), so a
   * search that resolved the alias just before the swap can still finish on it.
   */
  rebuildGraceMs?: number;
  /** Delay between background attempts to create the index while OpenSearch is away (default 5 s). */
  retryMs?: number;
  logger?: SearchLogger;
}

/** The fields of a bulk item's result this adapter reads. */
interface BulkItem {
  _id?: string | null;
  status: number;
  error?: { type?: string; reason?: string | null } | null;
}

/** Bulk items answered 429 (queue full) are sent again this many times, with backoff. */
const BULK_ATTEMPTS = 3;

interface OpenSearchCause {
  type?: string;
  reason?: string;
  caused_by?: OpenSearchCause;
}

/** Why a call failed, in words an operator can act on (the deepest cause OpenSearch gives). */
export function describeOpenSearchError(error: unknown): string {
  if (error instanceof errors.ResponseError) {
    let cause = (error.body as { error?: OpenSearchCause | string } | undefined)?.error;
    if (typeof cause === 'string') return `HTTP ${error.statusCode} ${cause}`;
    while (cause?.caused_by) cause = cause.caused_by;
    return `HTTP ${error.statusCode} ${cause ? `${cause.type}: ${cause.reason}` : error.message}`;
  }
  if (error instanceof errors.TimeoutError) return 'request timed out';
  return error instanceof Error ? error.message : String(error);
}

/** True when the failure says nothing about OpenSearch itself: it could not be reached. */
const isUnreachable = (error: unknown): boolean =>
  error instanceof errors.ConnectionError ||
  error instanceof errors.TimeoutError ||
  error instanceof errors.NoLivingConnectionsError;

/** Settings and mappings every `<prefix>products*` index gets (through the index template). */
export function productIndexTemplate(shards: number, replicas: number) {
  const english = { type: 'text', analyzer: 'english', copy_to: SPELLING_FIELD } as const;
  return {
    settings: {
      number_of_shards: shards,
      number_of_replicas: replicas,
      // One place to change when deep paging moves to search_after (search issue).
      max_result_window: 10_000,
      analysis: TEXT_ANALYSIS,
    },
    mappings: {
      // A field the code does not know is a bug, not something to guess a type for.
      dynamic: 'strict',
      // Derived at write time for sorting only: `_source` stays the ProductDocument.
      _source: { excludes: ['inStockIn'] as string[] },
      properties: {
        productId: { type: 'keyword' },
        title: { ...english, fields: SUGGEST_SUBFIELDS },
        description: english,
        brand: {
          type: 'keyword',
          copy_to: SPELLING_FIELD,
          fields: { text: { type: 'text', analyzer: 'english' }, ...SUGGEST_SUBFIELDS },
        },
        categoryId: { type: 'keyword' },
        categoryPath: { type: 'keyword' },
        categoryNames: english,
        // A region without a price: the product is not sold there (an `exists` filter).
        prices: {
          properties: { us: { type: 'long' }, eu: { type: 'long' }, ap: { type: 'long' } },
        },
        inStockRegions: { type: 'keyword' },
        // One flag per region, so "in stock here first" is a field sort, not a script.
        inStockIn: {
          properties: {
            us: { type: 'boolean' },
            eu: { type: 'boolean' },
            ap: { type: 'boolean' },
          },
        },
        // Doubles, so the ranking script reads the same numbers the explanation is computed from.
        rating: { type: 'double' },
        ratingCount: { type: 'integer' },
        popularity: { type: 'double' },
        salesVelocity: { type: 'double' },
        createdAt: { type: 'date' },
        attributes: { ...english, fields: { keyword: { type: 'keyword' } } },
        specs: english,
        // Every text field's unstemmed words, for spelling correction's term suggester.
        [SPELLING_FIELD]: { type: 'text', analyzer: 'surface' },
      },
    },
  } as const;
}

/** Fields the text query searches, with the embedded adapter's weights. */
const TEXT_FIELDS = [
  `title^${TEXT_FIELD_WEIGHTS.title}`,
  `description^${TEXT_FIELD_WEIGHTS.description}`,
  `brand.text^${TEXT_FIELD_WEIGHTS.brand}`,
  `categoryNames^${TEXT_FIELD_WEIGHTS.categoryNames}`,
  `specs^${TEXT_FIELD_WEIGHTS.specs}`,
  `attributes^${TEXT_FIELD_WEIGHTS.attributes}`,
];

/**
 * `ranking.ts`'s score in Painless: text (1 without text) × popularity × sales velocity ×
 * rating × affinity, every factor 1 + weight × signal.
 */
export const RANKING_SCRIPT = [
  "double pop = 1 + params.popularity * Math.log(1 + doc['popularity'].value);",
  "double vel = 1 + params.salesVelocity * Math.log(1 + doc['salesVelocity'].value);",
  "long n = doc['ratingCount'].value;",
  "double rat = n == 0 ? 1 : 1 + params.rating * (doc['rating'].value / 5.0) * ((double) n / (n + params.ratingPrior));",
  'double cat = 0;',
  "for (def id : doc['categoryPath']) {",
  '  def a = params.categories.get(id);',
  '  if (a != null && ((Number) a).doubleValue() > cat) cat = ((Number) a).doubleValue();',
  '}',
  "def b = params.brands.get(doc['brand'].value);",
  'double aff = 1 + params.affinity * (cat + (b == null ? 0 : ((Number) b).doubleValue()));',
  'return (params.hasText ? _score : 1) * pop * vel * rat * aff;',
].join('\n');

/** What the index stores for a document: the document and its per-region stock flags. */
const toSource = (doc: ProductDocument) => ({
  ...doc,
  inStockIn: Object.fromEntries(REGIONS.map((region) => [region, inStockIn(doc, region)])),
});

type Query = Types.Common_QueryDsl.QueryContainer;

/** The query's filters by what leaves them out: each facet drops its own. */
function filterClauses(query: ProductSearchQuery): {
  always: Query[];
  own: Record<FacetName, Query[]>;
} {
  const own: Record<FacetName, Query[]> = { category: [], brand: [], price: [] };
  if (query.categoryId !== undefined)
    own.category.push({ term: { categoryPath: query.categoryId } });
  if (query.brand !== undefined) own.brand.push({ term: { brand: query.brand } });
  if (query.minPrice !== undefined || query.maxPrice !== undefined) {
    own.price.push({
      range: {
        [`prices.${query.region}`]: {
          ...(query.minPrice !== undefined ? { gte: query.minPrice } : {}),
          ...(query.maxPrice !== undefined ? { lte: query.maxPrice } : {}),
        },
      },
    });
  }
  const always: Query[] = [{ exists: { field: `prices.${query.region}` } }];
  if (query.inStock === true) always.push({ term: { inStockRegions: query.region } });
  if (query.minRating !== undefined) always.push({ range: { rating: { gte: query.minRating } } });
  return { always, own };
}

const matchAll = (filter: Query[]): Query =>
  filter.length === 0 ? { match_all: {} } : { bool: { filter } };

/** Hit order per sort; every one ends with productId so pages never overlap. */
function sortClauses(query: ProductSearchQuery): Types.Common.SortCombinations[] {
  const field = {
    relevance: { _score: { order: 'desc' as const } },
    price_asc: { [`prices.${query.region}`]: { order: 'asc' as const } },
    price_desc: { [`prices.${query.region}`]: { order: 'desc' as const } },
    newest: { createdAt: { order: 'desc' as const } },
    rating: { rating: { order: 'desc' as const } },
  }[query.sort ?? 'relevance'];
  const inStockFirst: Types.Common.SortCombinations[] =
    (query.sort ?? 'relevance') === 'relevance'
      ? [{ [`inStockIn.${query.region}`]: { order: 'desc' } }]
      : [];
  return [...inStockFirst, field, { productId: { order: 'asc' } }];
}

/**
 * Wraps the matching query in the ranking script for the `relevance` sort; other sorts need no
 * score from the engine beyond text relevance.
 */
function ranked(query: ProductSearchQuery, text: string | undefined, matching: Query): Query {
  if ((query.sort ?? 'relevance') !== 'relevance') return matching;
  const { ratingPrior, ...weights } = rankingWeightsOf(query.ranking);
  return {
    script_score: {
      query: matching,
      script: {
        source: RANKING_SCRIPT,
        params: {
          ...weights,
          ratingPrior,
          categories: query.ranking?.affinities?.categories ?? {},
          brands: query.ranking?.affinities?.brands ?? {},
          hasText: text !== undefined,
        },
      },
    },
  };
}

/**
 * The `_search` body for a query. Without facets every filter is in the query. With facets the
 * text and the filters every facet applies (region, `inStock`, `minRating`) stay in the query, the facet-owned filters (category, brand, price) move to
 * `post_filter` (hits and total), and each facet is a `filter` aggregation holding the other
 * facets' filters around its terms or range aggregation — so it counts every filter but its own.
 */
export function productSearchBody(
  query: ProductSearchQuery,
  text: string | undefined,
): API.Search_RequestBody {
  const words = text === undefined ? [] : planTextQuery(text, query);
  const must: Query[] =
    text === undefined
      ? []
      : // Only stop words, or no word at all: nothing matches.
        [words.length === 0 ? { match_none: {} } : textQuery(words, TEXT_FIELDS)];
  const { always, own } = filterClauses(query);
  const body: API.Search_RequestBody = {
    sort: sortClauses(query),
    track_scores: true,
    track_total_hits: true,
    from: query.offset,
    size: query.limit,
  };
  const facets = [...new Set(query.facets ?? [])];
  if (facets.length === 0) {
    return {
      query: ranked(query, text, {
        bool: { must, filter: [...always, ...own.category, ...own.brand, ...own.price] },
      }),
      ...body,
    };
  }
  const others = (facet: FacetName): Query[] =>
    FACET_NAMES.filter((name) => name !== facet).flatMap((name) => own[name]);
  const postFilter = [...own.category, ...own.brand, ...own.price];
  const order: Types.Common_Aggregations.AggregateOrder = [{ _count: 'desc' }, { _key: 'asc' }];
  // The client's generated TermsAggregationFields lacks `field`, which every terms aggregation needs.
  const terms = (field: string, size: number) =>
    ({ terms: { field, size, order } }) as Types.Common_Aggregations.AggregationContainer;
  const values: Record<FacetName, Types.Common_Aggregations.AggregationContainer> = {
    category: terms('categoryPath', FACET_SIZE.category),
    brand: terms('brand', FACET_SIZE.brand),
    price: {
      range: {
        field: `prices.${query.region}`,
        // Keyed by position: OpenSearch answers range buckets sorted by bound, not as asked.
        ranges: priceRangesOf(query).map((range, i) => ({ ...range, key: String(i) })),
      },
    },
  };
  return {
    query: ranked(query, text, { bool: { must, filter: always } }),
    ...(postFilter.length > 0 ? { post_filter: { bool: { filter: postFilter } } } : {}),
    aggs: Object.fromEntries(
      facets.map((facet) => [
        facet,
        { filter: matchAll(others(facet)), aggs: { values: values[facet] } },
      ]),
    ),
    ...body,
  };
}

interface FacetAggregate {
  values?: { buckets?: { key: string | number; doc_count: number }[] };
}

/** The facets asked for, from the aggregations `productSearchBody` requested. */
export function readFacets(
  aggregations: Record<string, unknown> | undefined,
  query: ProductSearchQuery,
): ProductFacets {
  const buckets = (facet: FacetName) =>
    (aggregations?.[facet] as FacetAggregate | undefined)?.values?.buckets ?? [];
  const facets: ProductFacets = {};
  const asked = new Set(query.facets);
  for (const facet of ['category', 'brand'] as const) {
    if (asked.has(facet)) {
      facets[facet] = buckets(facet).map((bucket) => ({
        value: String(bucket.key),
        count: bucket.doc_count,
      }));
    }
  }
  if (asked.has('price')) {
    const counts = new Map(
      buckets('price').map((bucket) => [String(bucket.key), bucket.doc_count]),
    );
    facets.price = priceRangesOf(query).map((range, i) => ({
      ...range,
      count: counts.get(String(i)) ?? 0,
    }));
  }
  return facets;
}

/**
 * The product index on OpenSearch (2.x; Amazon OpenSearch Service in production).
 *
 * - `ensureIndex` puts the index template `<prefix>products-template` for `<prefix>products*`
 *   (English analysis for text, keywords for filters, longs for prices) and, when the alias
 *   `<prefix>products` is missing, creates a concrete index `<prefix>products-<timestamp>`
 *   behind it. A concrete index named `<prefix>products` (older versions) is replaced in the same
 *   `_aliases` request, empty: the search app's backfill of an empty index fills it.
 * - Reads and writes go through the alias; `beginRebuild` fills a new concrete index (refresh
 *   off) and `complete` moves the alias in one `_aliases` request, then deletes the old index.
 * - Writes go through `_bulk` in batches with `refresh: false`; `refresh()` makes them visible.
 * - `init()` never throws for an unreachable cluster: it logs, keeps creating the index in the
 *   background, and `health()` reports `cannot reach OpenSearch at <url>: <reason>`.
 */
export class OpenSearchProductIndex extends ProductIndex {
  readonly indexName: string;
  readonly templateName: string;
  private readonly client: Client;
  private readonly logger: SearchLogger;
  private ready = false;
  private stopped = false;
  private timer?: NodeJS.Timeout;
  private creating?: Promise<void>;
  /** The concrete index a running rebuild fills, and the ids the port wrote meanwhile. */
  private rebuilding?: { index: string; touched: Set<string> };
  /** A rebuild is creating its index (the port's writes still go to the live one only). */
  private startingRebuild = false;
  /** Why the index could not be created yet (for health). */
  private problem?: string;

  constructor(private readonly options: OpenSearchProductIndexOptions) {
    super();
    this.indexName = `${options.prefix}products`;
    this.templateName = `${options.prefix}products-template`;
    this.logger = options.logger ?? defaultSearchLogger(OpenSearchProductIndex.name);
    this.client = new Client({
      node: options.url,
      requestTimeout: options.requestTimeoutMs ?? 10_000,
      maxRetries: 2,
      compression: 'gzip',
    });
  }

  get url(): string {
    return this.options.url;
  }

  async init(): Promise<void> {
    this.stopped = false;
    try {
      await this.ensureIndex();
      this.logger.log(`OpenSearch at ${this.url}: index ${this.indexName} ready`);
    } catch (error) {
      this.noteFailure(error);
      this.logger.error(`${this.problem} — starting anyway, retrying in the background`);
      this.retryInBackground();
    }
  }

  ensureIndex(): Promise<void> {
    this.creating ??= this.createIndex().finally(() => (this.creating = undefined));
    return this.creating;
  }

  async upsertMany(docs: readonly ProductDocument[]): Promise<IndexFailure[]> {
    const { valid, failures } = validateDocuments(docs);
    const rebuilding = this.rebuilding;
    for (const doc of valid) rebuilding?.touched.add(doc.productId);
    failures.push(...(await this.index(this.indexName, valid)));
    if (rebuilding) await this.index(rebuilding.index, valid);
    return failures;
  }

  async deleteMany(productIds: readonly string[]): Promise<IndexFailure[]> {
    const ids = [...new Set(productIds)];
    const rebuilding = this.rebuilding;
    for (const id of ids) rebuilding?.touched.add(id);
    const failures = await this.delete(this.indexName, ids);
    if (rebuilding) await this.delete(rebuilding.index, ids);
    return failures;
  }

  async beginRebuild(): Promise<ProductIndexRebuild> {
    if (this.rebuilding || this.startingRebuild) throw new Error('a rebuild is already running');
    this.startingRebuild = true;
    let target: string;
    try {
      await this.ensureIndex();
      // Refresh off while bulk loading: the new index is searched only after `complete`.
      target = await this.createConcrete({ refresh_interval: '-1' });
    } finally {
      this.startingRebuild = false;
    }
    // Writes before this point reach the live index only; the rebuild reads after it.
    const rebuilding = { index: target, touched: new Set<string>() };
    this.rebuilding = rebuilding;
    const running = () => {
      if (this.rebuilding !== rebuilding) throw new Error('rebuild is over');
    };
    return {
      upsertMany: async (docs) => {
        running();
        const { valid, failures } = validateDocuments(docs);
        // The port wrote these since the rebuild began: its copy is the newer one.
        const fresh = valid.filter((doc) => !rebuilding.touched.has(doc.productId));
        failures.push(...(await this.index(target, fresh)));
        return failures;
      },
      complete: async () => {
        running();
        await this.client.indices.putSettings({
          index: target,
          // OpenSearch's default; the template sets none.
          body: { index: { refresh_interval: '1s' } },
        });
        await this.client.indices.refresh({ index: target });
        const old = await this.liveIndices();
        await this.client.indices.updateAliases({
          body: {
            actions: [
              { add: { index: target, alias: this.indexName } },
              ...old.map((index) => ({ remove: { index, alias: this.indexName } })),
            ],
          },
        });
        this.rebuilding = undefined;
        this.logger.log(`rebuild complete: ${this.indexName} → ${target}`);
        if (old.length === 0) return;
        await new Promise((resolve) => setTimeout(resolve, this.options.rebuildGraceMs ?? 500));
        try {
          await this.client.indices.delete({ index: old }, { ignore: [404] });
        } catch (error) {
          // The swap is done; a leftover index costs disk only.
          this.logger.warn(
            `rebuild complete but old index ${old.join(', ')} not deleted: ${describeOpenSearchError(error)}`,
          );
        }
      },
      abort: async () => {
        if (this.rebuilding === rebuilding) this.rebuilding = undefined;
        await this.client.indices.delete({ index: target }, { ignore: [404] });
      },
    };
  }

  async refresh(): Promise<void> {
    await this.client.indices.refresh({ index: this.indexName });
  }

  async count(): Promise<number> {
    const { body } = await this.client.count({ index: this.indexName });
    return body.count;
  }

  async search(query: ProductSearchQuery): Promise<ProductSearchResult> {
    const text = checkQuery(query);
    const { body } = await this.client.search({
      index: this.indexName,
      body: productSearchBody(query, text),
    });
    const total = body.hits.total;
    const weights = rankingWeightsOf(query.ranking);
    const scripted = (query.sort ?? 'relevance') === 'relevance';
    const result: ProductSearchResult = {
      total: typeof total === 'number' ? total : (total?.value ?? 0),
      hits: body.hits.hits.map((hit) => {
        const document = hit._source as ProductDocument;
        const factors = signalFactors(document, weights, query.ranking?.affinities);
        const engineScore = typeof hit._score === 'number' ? hit._score : 0;
        // The script's score is the total; other sorts leave the text score to multiply here.
        const textScore =
          text === undefined ? 1 : scripted ? engineScore / signalProduct(factors) : engineScore;
        const explanation = explainScore(textScore, factors, inStockIn(document, query.region));
        const productHit: ProductHit = {
          productId: String(hit._id),
          score: scripted ? engineScore : explanation.total,
          document,
        };
        if (query.explain) productHit.explanation = explanation;
        return productHit;
      }),
    };
    if (query.facets?.length) result.facets = readFacets(body.aggregations, query);
    return result;
  }

  async spellingCorrection(text: string): Promise<string | undefined> {
    const words = correctableWords(text).map((word) => ({ text: word, typos: typoBudget(word) }));
    if (words.length === 0) return undefined;
    const { body } = await this.client.search({
      index: this.indexName,
      body: spellingBody(words),
    });
    const corrections = new Map<string, string>();
    words.forEach((word, i) => {
      const best = bestCorrection(word.text, spellingCandidates(body.suggest, i));
      if (best !== undefined) corrections.set(word.text, best);
    });
    return correctedText(text, corrections);
  }

  async suggest(query: SuggestQuery): Promise<SuggestResult> {
    const plan = planSuggest(query.prefix);
    if (plan === undefined) return { completions: [], products: [] };
    const { body } = await this.client.search({
      index: this.indexName,
      body: suggestBody(plan, query.region),
    });
    const hits = body.hits.hits.map((hit) => ({
      productId: String(hit._id),
      title: String((hit._source as { title?: unknown } | undefined)?.title ?? ''),
      // Sorted by [as typed, units sold, rating × count, productId]: units sold is the second.
      score: Number(hit.sort?.[1] ?? 0),
    }));
    return {
      completions: completionsFrom(
        hits.map((hit) => hit.title),
        plan,
        query.limit,
      ),
      products: hits
        .slice(0, query.limit)
        .map(({ productId, score, title }) => ({ productId, score, title })),
    };
  }

  async health(): Promise<SearchIndexHealth> {
    const timeoutMs = this.options.healthTimeoutMs ?? 2_000;
    try {
      const { body } = await this.client.cluster.health(
        { timeout: `${Math.max(1, Math.floor(timeoutMs / 2))}ms` },
        { requestTimeout: timeoutMs, maxRetries: 0 },
      );
      if (body.status === 'red') {
        return {
          up: false,
          detail: `OpenSearch at ${this.url}: cluster ${body.cluster_name} is red`,
        };
      }
      if (!this.ready) {
        return {
          up: false,
          detail:
            this.problem ??
            `OpenSearch at ${this.url} (${body.status}): index ${this.indexName} not created yet`,
        };
      }
      return {
        up: true,
        detail: `OpenSearch at ${this.url}: cluster ${body.cluster_name} ${body.status}, index ${this.indexName}`,
      };
    } catch (error) {
      return {
        up: false,
        detail: `cannot reach OpenSearch at ${this.url}: ${describeOpenSearchError(error)}`,
      };
    }
  }

  async drop(): Promise<void> {
    const indices = await this.liveIndices();
    if (this.rebuilding?.index) indices.push(this.rebuilding.index);
    this.rebuilding = undefined;
    if (indices.length > 0) {
      await this.client.indices.delete({ index: indices }, { ignore: [404] });
    }
    await this.client.indices.deleteIndexTemplate({ name: this.templateName }, { ignore: [404] });
    this.ready = false;
  }

  async close(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.client.close();
  }

  private async createIndex(): Promise<void> {
    const { settings, mappings } = productIndexTemplate(
      this.options.shards ?? 1,
      this.options.replicas ?? 0,
    );
    await this.client.indices.putIndexTemplate({
      name: this.templateName,
      body: {
        index_patterns: [`${this.options.prefix}products*`],
        template: { settings, mappings },
        _meta: { owner: 'mercato', port: 'ProductIndex' },
      },
    });
    if ((await this.liveIndices()).length === 0) await this.createAlias();
    this.ready = true;
    this.problem = undefined;
  }

  /** The concrete indices behind the alias (one, but for a moment of a race); [] without it. */
  private async liveIndices(): Promise<string[]> {
    const { body, statusCode } = await this.client.indices.getAlias(
      { name: this.indexName },
      { ignore: [404] },
    );
    return statusCode === 404 ? [] : Object.keys(body as Record<string, unknown>);
  }

  /**
   * A first concrete index behind the alias, replacing a concrete index of the alias's name
   * (older versions) in the same request. Processes starting together may each add one: the
   * alias then keeps the first by name and the others take theirs away.
   */
  private async createAlias(): Promise<void> {
    const { body: legacy } = await this.client.indices.exists({ index: this.indexName });
    const concrete = await this.createConcrete();
    try {
      await this.client.indices.updateAliases({
        body: {
          actions: [
            { add: { index: concrete, alias: this.indexName } },
            ...(legacy ? [{ remove_index: { index: this.indexName } }] : []),
          ],
        },
      });
    } catch (error) {
      await this.client.indices.delete({ index: concrete }, { ignore: [404] });
      // Another process replaced the old index first: fine.
      if ((await this.liveIndices()).length > 0) return;
      throw error;
    }
    const live = (await this.liveIndices()).sort();
    if (live.length > 1 && live[0] !== concrete) {
      await this.client.indices.updateAliases({
        body: { actions: [{ remove_index: { index: concrete } }] },
      });
      return;
    }
    this.logger.log(
      `created index ${concrete} behind ${this.indexName}${legacy ? ', replacing the old index' : ''}`,
    );
  }

  /** Creates `<alias>-<UTC timestamp to the ms>`, a later name when that one exists. */
  private async createConcrete(settings: Record<string, unknown> = {}): Promise<string> {
    for (let ms = Date.now(); ; ms++) {
      const index = `${this.indexName}-${new Date(ms).toISOString().replace(/\D/g, '')}`;
      try {
        await this.client.indices.create({ index, body: { settings } });
        return index;
      } catch (error) {
        if (!describeOpenSearchError(error).includes('resource_already_exists_exception'))
          throw error;
      }
    }
  }

  private async index(index: string, docs: readonly ProductDocument[]): Promise<IndexFailure[]> {
    const failures: IndexFailure[] = [];
    const size = this.options.bulkSize ?? 1_000;
    for (let start = 0; start < docs.length; start += size) {
      const batch = docs.slice(start, start + size);
      failures.push(
        ...(await this.bulk(
          index,
          batch.map((doc) => ({
            id: doc.productId,
            lines: [{ index: { _id: doc.productId } }, toSource(doc)],
          })),
        )),
      );
    }
    return failures;
  }

  private async delete(index: string, ids: readonly string[]): Promise<IndexFailure[]> {
    const failures: IndexFailure[] = [];
    const size = this.options.bulkSize ?? 1_000;
    for (let start = 0; start < ids.length; start += size) {
      const batch = ids.slice(start, start + size);
      failures.push(
        ...(await this.bulk(
          index,
          batch.map((id) => ({ id, lines: [{ delete: { _id: id } }] })),
        )),
      );
    }
    return failures;
  }

  private noteFailure(error: unknown): void {
    this.problem = isUnreachable(error)
      ? `cannot reach OpenSearch at ${this.url}: ${describeOpenSearchError(error)}`
      : `OpenSearch at ${this.url} refused index ${this.indexName}: ${describeOpenSearchError(error)}`;
  }

  private retryInBackground(): void {
    const attempt = async (): Promise<void> => {
      if (this.stopped || this.ready) return;
      try {
        await this.ensureIndex();
        this.logger.log(
          `OpenSearch at ${this.url} is reachable again; index ${this.indexName} ready`,
        );
      } catch (error) {
        this.noteFailure(error);
        if (!this.stopped) this.schedule(attempt);
      }
    };
    this.schedule(attempt);
  }

  private schedule(attempt: () => Promise<void>): void {
    this.timer = setTimeout(() => void attempt(), this.options.retryMs ?? 5_000);
    this.timer.unref();
  }

  /** Sends one batch through _bulk, resending items refused with 429; returns the failures. */
  private async bulk(
    index: string,
    operations: { id: string; lines: Record<string, unknown>[] }[],
  ): Promise<IndexFailure[]> {
    let pending = operations;
    const failures: IndexFailure[] = [];
    for (let attempt = 1; pending.length > 0; attempt++) {
      const { body } = await this.client.bulk({
        index,
        refresh: false,
        body: pending.flatMap((operation) => operation.lines),
      });
      if (!body.errors) return failures;
      const retry: typeof pending = [];
      body.items.forEach((entry, i) => {
        const item = Object.values(entry)[0] as BulkItem | undefined;
        const operation = pending[i];
        if (!item?.error) return;
        if (item.status === 404 && 'delete' in entry) return;
        if (item.status === 429 && attempt < BULK_ATTEMPTS) {
          retry.push(operation);
          return;
        }
        failures.push({
          productId: operation.id,
          reason: `${item.error.type ?? `HTTP ${item.status}`}: ${item.error.reason ?? ''}`.trim(),
        });
      });
      pending = retry;
      if (pending.length > 0)
        await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
    }
    return failures;
  }
}
