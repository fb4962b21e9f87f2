export * from './product-index';
export {
  DEFAULT_RANKING_WEIGHTS,
  explainScore,
  signalFactors,
  type RankingWeights,
  type SignalFactors,
} from './ranking';
export { OramaProductIndex } from './orama-product-index';
export {
  OpenSearchProductIndex,
  describeOpenSearchError,
  productIndexTemplate,
  type OpenSearchProductIndexOptions,
} from './opensearch-product-index';
export {
  createProductIndex,
  assertSearchIndexConfig,
  SEARCH_ADAPTERS,
  type SearchIndexConfig,
} from './create-product-index';
export { SearchIndexModule, SearchIndexLifecycle } from './search-index.module';
export { type SearchLogger, silentSearchLogger, ENGLISH_STOP_WORDS } from './search-support';
export { typoBudget, editDistance } from './text/typos';
export { SYNONYM_GROUPS, synonymsOf } from './text/synonyms';
export {
  planTextQuery,
  surfaceWords,
  MATCH_WEIGHTS,
  MAX_TYPO_WORDS,
  type QueryWord,
} from './text/words';
export {
  SUGGEST_SAMPLE,
  suggestPopularity,
  type SuggestQuery,
  type SuggestResult,
} from './text/suggest';
