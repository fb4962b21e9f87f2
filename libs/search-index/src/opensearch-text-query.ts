import type { Region } from '@mercato/contracts';
import type { API, Types } from '@opensearch-project/opensearch';
import { RATED_SCRIPT, SUGGEST_SAMPLE, withoutTypos, type SuggestPlan } from './text/suggest';
import { MATCH_WEIGHTS, type QueryWord } from './text/words';

type Query = Types.Common_QueryDsl.QueryContainer;

/** Longest word prefix suggest completes from (edge n-grams are indexed up to this length). */
const MAX_PREFIX = 20;

/**
 * Analysis the text features add to the index template: `surface` (the standard tokenizer,
 * possessives dropped, lower case, no stemming: the words spelling correction offers and
 * suggest completes), `prefixes` (the same words as edge n-grams, for suggest's last word) and
 * `prefix_query` (the typed prefix, cut to the longest n-gram).
 */
export const TEXT_ANALYSIS: Types.Indices_Common.IndexSettingsAnalysis = {
  filter: {
    possessive: { type: 'stemmer', language: 'possessive_english' },
    word_prefixes: { type: 'edge_ngram', min_gram: 1, max_gram: MAX_PREFIX },
    prefix_length: { type: 'truncate', length: MAX_PREFIX },
  },
  analyzer: {
    surface: { type: 'custom', tokenizer: 'standard', filter: ['possessive', 'lowercase'] },
    prefixes: {
      type: 'custom',
      tokenizer: 'standard',
      filter: ['possessive', 'lowercase', 'word_prefixes'],
    },
    prefix_query: {
      type: 'custom',
      tokenizer: 'standard',
      filter: ['possessive', 'lowercase', 'prefix_length'],
    },
  },
};

/** The field every searchable text field is copied to, analysed by `surface`. */
export const SPELLING_FIELD = 'spelling';

/** Subfields of title and brand that suggest matches: whole surface words and their prefixes. */
export const SUGGEST_SUBFIELDS = {
  surface: { type: 'text', analyzer: 'surface' },
  prefix: { type: 'text', analyzer: 'prefixes', search_analyzer: 'prefix_query' },
} as const;

/**
 * The text clause of a search: one clause per query word, all required, each the best of an
 * exact match (any field, English analysis), a synonym's words, and — within the word's typo
 * budget, computed in shared code, not AUTO — a fuzzy match; boosted so that exact ranks above
 * synonym above typo (MATCH_WEIGHTS, the embedded index's factors).
 */
export function textQuery(words: readonly QueryWord[], fields: readonly string[]): Query {
  return {
    bool: {
      must: words.map((word): Query => {
        const ways: Query[] = [
          {
            multi_match: {
              query: word.text,
              fields: [...fields],
              type: 'cross_fields',
              operator: 'and',
              boost: MATCH_WEIGHTS.exact,
            },
          },
          ...word.synonyms.map((synonym): Query => ({
            multi_match: {
              query: synonym.join(' '),
              fields: [...fields],
              type: 'cross_fields',
              operator: 'and',
              boost: MATCH_WEIGHTS.synonym,
            },
          })),
        ];
        if (word.typos > 0) {
          ways.push({
            multi_match: {
              query: word.text,
              fields: [...fields],
              operator: 'and',
              fuzziness: word.typos,
              prefix_length: 0,
              fuzzy_transpositions: true,
              boost: MATCH_WEIGHTS.typo,
            },
          });
        }
        return { dis_max: { queries: ways } };
      }),
    },
  };
}

/**
 * One `term` suggester per word to correct, each with the word's own budget (the suggester's
 * `max_edits` is per suggester), over the unstemmed `spelling` field; only words the field does
 * not contain get options. Candidates are ranked again by `bestCorrection`.
 */
export function spellingBody(
  words: readonly { text: string; typos: number }[],
): API.Search_RequestBody {
  return {
    size: 0,
    suggest: Object.fromEntries(
      words.map((word, i) => [
        `w${i}`,
        {
          text: word.text,
          term: {
            field: SPELLING_FIELD,
            suggest_mode: 'missing',
            max_edits: word.typos,
            prefix_length: 0,
            min_word_length: 1,
            string_distance: 'damerau_levenshtein',
            sort: 'frequency',
            accuracy: 0,
            size: 10,
          },
        },
      ]),
    ) as API.Search_RequestBody['suggest'],
  };
}

interface TermSuggestion {
  text: string;
  options?: { text: string; freq: number }[];
}

/** The candidates the suggesters found for word `i` of `spellingBody`. */
export function spellingCandidates(
  suggest: Record<string, unknown> | undefined,
  i: number,
): { word: string; documentFrequency: number }[] {
  const entries = (suggest?.[`w${i}`] ?? []) as TermSuggestion[];
  return entries.flatMap((entry) =>
    (entry.options ?? []).map((option) => ({ word: option.text, documentFrequency: option.freq })),
  );
}

/**
 * Suggest's one request: products sold in `region` whose title or brand has every earlier word
 * (typo rule) and a word starting with the last (one edit from 4 letters), in `bySuggestRank`
 * order (a score of 1 for a match as typed, then units sold, then rating × count, then
 * productId), with their
 * titles — the sample completions are counted over.
 */
export function suggestBody(plan: SuggestPlan, region: Region): API.Search_RequestBody {
  return {
    query: {
      bool: {
        filter: [{ exists: { field: `prices.${region}` } }, ...suggestClauses(plan)],
        should: [
          {
            constant_score: {
              filter: { bool: { filter: suggestClauses(withoutTypos(plan)) } },
              boost: 1,
            },
          },
        ],
      },
    },
    sort: [
      { _score: { order: 'desc' } },
      { popularity: { order: 'desc' } },
      {
        _script: {
          type: 'number',
          script: { source: RATED_SCRIPT, lang: 'painless' },
          order: 'desc',
        },
      },
      { productId: { order: 'asc' } },
    ],
    size: SUGGEST_SAMPLE,
    _source: ['title'],
    track_scores: true,
    track_total_hits: false,
  };
}

/** The words of a suggest prefix as clauses on title and brand words and prefixes. */
function suggestClauses(plan: SuggestPlan): Query[] {
  const fields = (sub: 'surface' | 'prefix') => [`title.${sub}`, `brand.${sub}`];
  return [
    ...plan.earlier.map((typed): Query => ({
      multi_match: {
        query: typed.text,
        fields: fields('surface'),
        fuzziness: typed.typos,
        prefix_length: 0,
        fuzzy_transpositions: true,
      },
    })),
    {
      multi_match: {
        query: plan.last.text,
        fields: fields('prefix'),
        fuzziness: plan.last.typos,
        prefix_length: 0,
        fuzzy_transpositions: true,
      },
    },
  ];
}
