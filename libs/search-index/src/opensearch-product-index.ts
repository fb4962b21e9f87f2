import { Client, errors, type API, type Types } from '@opensearch-project/opensearch';
import {
  checkQuery,
  FACET_NAMES,
  FACET_SIZE,
  priceRangesOf,
  ProductIndex,
  validateDocuments,
  type FacetName,
  type IndexFailure,
  type ProductDocument,
  type ProductFacets,
  type ProductSearchQuery,
  type ProductSearchResult,
  type SearchIndexHealth,
} from './product-index';
import { defaultSearchLogger, type SearchLogger } from './search-support';

export interface OpenSearchProductIndexOptions {
  /** e.g. http://localhost:9200 */
  url: string;
  /** Index name prefix (SEARCH_INDEX_PREFIX): the index is `<prefix>products`. */
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
  const english = { type: 'text', analyzer: 'english' } as const;
  return {
    settings: {
      number_of_shards: shards,
      number_of_replicas: replicas,
      // One place to change when deep paging moves to search_after (search issue).
      max_result_window: 10_000,
    },
    mappings: {
      // A field the code does not know is a bug, not something to guess a type for.
      dynamic: 'strict',
      properties: {
        productId: { type: 'keyword' },
        title: english,
        description: english,
        brand: { type: 'keyword', fields: { text: english } },
        categoryId: { type: 'keyword' },
        categoryPath: { type: 'keyword' },
        prices: {
          properties: { us: { type: 'long' }, eu: { type: 'long' }, ap: { type: 'long' } },
        },
        rating: { type: 'float' },
        ratingCount: { type: 'integer' },
        available: { type: 'boolean' },
        createdAt: { type: 'date' },
        attributes: { ...english, fields: { keyword: { type: 'keyword' } } },
      },
    },
  } as const;
}

/** Fields the text query searches, with the embedded adapter's weights. */
const TEXT_FIELDS = ['title^3', 'description', 'brand.text^2', 'attributes'];

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
  const always: Query[] = query.inStock === true ? [{ term: { available: true } }] : [];
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
  return [field, { productId: { order: 'asc' } }];
}

/**
 * The `_search` body for a query. Without facets every filter is in the query. With facets the
 * text and `inStock` stay in the query, the facet-owned filters (category, brand, price) move to
 * `post_filter` (hits and total), and each facet is a `filter` aggregation holding the other
 * facets' filters around its terms or range aggregation — so it counts every filter but its own.
 */
export function productSearchBody(
  query: ProductSearchQuery,
  text: string | undefined,
): API.Search_RequestBody {
  const must: Query[] =
    text === undefined
      ? []
      : [
          {
            multi_match: {
              query: text,
              fields: TEXT_FIELDS,
              // Every word must occur, in any of the fields (one analyzer: English).
              type: 'cross_fields',
              operator: 'and',
            },
          },
        ];
  const { always, own } = filterClauses(query);
  const body: API.Search_RequestBody = {
    sort: sortClauses(query),
    track_scores: true,
    track_total_hits: true,
    from: query.offset,
    size: query.limit,
    _source: false,
  };
  const facets = [...new Set(query.facets ?? [])];
  if (facets.length === 0) {
    return {
      query: { bool: { must, filter: [...always, ...own.category, ...own.brand, ...own.price] } },
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
    query: { bool: { must, filter: always } },
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
 *   (English analysis for text, keywords for filters, longs for prices) and creates
 *   `<prefix>products` when missing.
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
    const size = this.options.bulkSize ?? 1_000;
    for (let start = 0; start < valid.length; start += size) {
      const batch = valid.slice(start, start + size);
      failures.push(
        ...(await this.bulk(
          batch.map((doc) => ({
            id: doc.productId,
            lines: [{ index: { _id: doc.productId } }, doc],
          })),
        )),
      );
    }
    return failures;
  }

  async deleteMany(productIds: readonly string[]): Promise<IndexFailure[]> {
    const failures: IndexFailure[] = [];
    const ids = [...new Set(productIds)];
    const size = this.options.bulkSize ?? 1_000;
    for (let start = 0; start < ids.length; start += size) {
      const batch = ids.slice(start, start + size);
      failures.push(
        ...(await this.bulk(batch.map((id) => ({ id, lines: [{ delete: { _id: id } }] })))),
      );
    }
    return failures;
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
    const result: ProductSearchResult = {
      total: typeof total === 'number' ? total : (total?.value ?? 0),
      hits: body.hits.hits.map((hit) => ({
        productId: String(hit._id),
        // Without text every hit scores the same (1 for match_all): report 0, as documented.
        score: text !== undefined && typeof hit._score === 'number' ? hit._score : 0,
      })),
    };
    if (query.facets?.length) result.facets = readFacets(body.aggregations, query);
    return result;
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
    await this.client.indices.delete({ index: this.indexName }, { ignore: [404] });
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
    const { body: exists } = await this.client.indices.exists({ index: this.indexName });
    if (!exists) {
      try {
        await this.client.indices.create({ index: this.indexName });
        this.logger.log(`created index ${this.indexName}`);
      } catch (error) {
        // Another process created it first: fine.
        if (!describeOpenSearchError(error).includes('resource_already_exists_exception'))
          throw error;
      }
    }
    this.ready = true;
    this.problem = undefined;
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
    operations: { id: string; lines: Record<string, unknown>[] }[],
  ): Promise<IndexFailure[]> {
    let pending = operations;
    const failures: IndexFailure[] = [];
    for (let attempt = 1; pending.length > 0; attempt++) {
      const { body } = await this.client.bulk({
        index: this.indexName,
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
