/** The catalog the evaluation is built for and run on: the store's default demo catalog. */
export const EVAL_CATALOG = { seed: 42, products: 5_000 } as const;

/** Where the query set lives (relative to the repository root, where npm runs scripts). */
export const DEFAULT_QUERY_SET_PATH = 'scripts/search-eval/labelled-queries.json';

/** Where a run writes its JSON report unless told otherwise: `embedded.json` or `url.json`. */
export const DEFAULT_REPORT_DIR = '.data/search-eval';

/** Region of every evaluated search (prices and availability are the region's). */
export const EVAL_REGION = 'us';

/** Results scored per query: the first page a shopper sees. */
export const EVAL_DEPTH = 10;

/** Targets of issue 19 on both engines. */
export const TARGETS = { ndcg: 0.85, zeroResultRate: 0.02 } as const;
