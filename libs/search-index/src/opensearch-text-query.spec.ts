import { productIndexTemplate, productSearchBody } from './opensearch-product-index';
import { spellingBody, spellingCandidates, suggestBody, textQuery } from './opensearch-text-query';
import { RATED_SCRIPT, planSuggest, SUGGEST_SAMPLE } from './text/suggest';
import { MATCH_WEIGHTS, planTextQuery } from './text/words';

const FIELDS = ['title^3', 'description'];

describe('textQuery', () => {
  it('requires every word, each the best of exact, synonym and fuzzy matches', () => {
    expect(textQuery(planTextQuery('laptop'), FIELDS)).toEqual({
      bool: {
        must: [
          {
            dis_max: {
              queries: [
                {
                  multi_match: {
                    query: 'laptop',
                    fields: FIELDS,
                    type: 'cross_fields',
                    operator: 'and',
                    boost: MATCH_WEIGHTS.exact,
                  },
                },
                {
                  multi_match: {
                    query: 'notebook',
                    fields: FIELDS,
                    type: 'cross_fields',
                    operator: 'and',
                    boost: MATCH_WEIGHTS.synonym,
                  },
                },
                {
                  multi_match: {
                    query: 'laptop',
                    fields: FIELDS,
                    operator: 'and',
                    fuzziness: 1,
                    prefix_length: 0,
                    fuzzy_transpositions: true,
                    boost: MATCH_WEIGHTS.typo,
                  },
                },
              ],
            },
          },
        ],
      },
    });
  });

  it('gives each word its own fuzziness from the shared budget, never AUTO', () => {
    const fuzziness = (text: string) =>
      JSON.stringify(textQuery(planTextQuery(text), FIELDS)).match(/"fuzziness":[^,}]+/g);
    expect(fuzziness('oak espresso sofa')).toEqual(['"fuzziness":2', '"fuzziness":1']);
    expect(fuzziness('oak')).toBeNull();
  });

  it('sends a synonym phrase as one clause needing all its words', () => {
    const [word] = planTextQuery('tee');
    const clause = textQuery([word], FIELDS).bool?.must as { dis_max: { queries: unknown[] } }[];
    expect(clause[0].dis_max.queries).toContainEqual({
      multi_match: expect.objectContaining({ query: 't shirt', operator: 'and' }),
    });
  });
});

describe('productSearchBody text', () => {
  const base = { region: 'us' as const, limit: 10, offset: 0 };

  it('matches nothing when only stop words or syntax are left', () => {
    // A sort other than relevance: the query without the ranking script around it.
    expect(productSearchBody({ ...base, sort: 'newest' }, 'the " OR').query).toEqual({
      bool: { must: [{ match_none: {} }], filter: [{ exists: { field: 'prices.us' } }] },
    });
  });

  it('ranks the text clause by the business signals for the relevance sort', () => {
    expect(productSearchBody(base, 'laptop').query).toMatchObject({
      script_score: {
        query: { bool: { must: [{ bool: { must: [{ dis_max: expect.anything() }] } }] } },
        script: { params: { hasText: true } },
      },
    });
  });

  it('asks for exact words only when typo tolerance is off', () => {
    const body = productSearchBody({ ...base, typoTolerance: false }, 'espresso');
    expect(JSON.stringify(body)).not.toContain('fuzziness');
  });
});

describe('spellingBody', () => {
  it('sends one term suggester per word with its own edit budget over the unstemmed field', () => {
    const body = spellingBody([
      { text: 'laptpo', typos: 1 },
      { text: 'headphnes', typos: 2 },
    ]);
    expect(body.size).toBe(0);
    expect(body.suggest).toEqual({
      w0: { text: 'laptpo', term: expect.objectContaining({ field: 'spelling', max_edits: 1 }) },
      w1: { text: 'headphnes', term: expect.objectContaining({ max_edits: 2 }) },
    });
    expect(body.suggest?.w0).toMatchObject({
      term: { suggest_mode: 'missing', prefix_length: 0, string_distance: 'damerau_levenshtein' },
    });
  });

  it('reads the options of word i as candidates with their document frequency', () => {
    const suggest = {
      w0: [{ text: 'laptpo', options: [{ text: 'laptop', freq: 3, score: 0.8 }] }],
      w1: [{ text: 'zzzz', options: [] }],
    };
    expect(spellingCandidates(suggest, 0)).toEqual([{ word: 'laptop', documentFrequency: 3 }]);
    expect(spellingCandidates(suggest, 1)).toEqual([]);
    expect(spellingCandidates(undefined, 0)).toEqual([]);
  });
});

describe('suggestBody', () => {
  it('filters to the region, earlier words on whole words, the last on prefixes', () => {
    const body = suggestBody(planSuggest('nimbus air lapt')!, 'eu');
    expect(body.query).toEqual({
      bool: {
        should: [expect.anything()],
        filter: [
          { exists: { field: 'prices.eu' } },
          {
            multi_match: expect.objectContaining({
              query: 'nimbus',
              fields: ['title.surface', 'brand.surface'],
              fuzziness: 1,
            }),
          },
          { multi_match: expect.objectContaining({ query: 'air', fuzziness: 0 }) },
          {
            multi_match: expect.objectContaining({
              query: 'lapt',
              fields: ['title.prefix', 'brand.prefix'],
              fuzziness: 1,
            }),
          },
        ],
      },
    });
  });

  it('scores 1 a product matching the prefix as typed', () => {
    const body = suggestBody(planSuggest('nimbsu lapt')!, 'us');
    expect(body.query?.bool?.should).toEqual([
      {
        constant_score: {
          filter: {
            bool: {
              filter: [
                { multi_match: expect.objectContaining({ query: 'nimbsu', fuzziness: 0 }) },
                { multi_match: expect.objectContaining({ query: 'lapt', fuzziness: 0 }) },
              ],
            },
          },
          boost: 1,
        },
      },
    ]);
  });

  it('reads a sample of titles, as typed first, then by units sold, then rating × count, ties by productId', () => {
    const body = suggestBody(planSuggest('la')!, 'us');
    expect(body.sort).toEqual([
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
    ]);
    expect(body).toMatchObject({ size: SUGGEST_SAMPLE, _source: ['title'] });
  });
});

describe('productIndexTemplate text analysis', () => {
  const { settings, mappings } = productIndexTemplate(1, 0);

  it('copies every searchable field into the unstemmed spelling field', () => {
    expect(mappings.properties.spelling).toEqual({ type: 'text', analyzer: 'surface' });
    for (const field of [
      'title',
      'description',
      'brand',
      'categoryNames',
      'specs',
      'attributes',
    ] as const) {
      expect(mappings.properties[field]).toMatchObject({ copy_to: 'spelling' });
    }
  });

  it('gives title and brand whole-word and prefix subfields for suggest', () => {
    for (const field of [mappings.properties.title, mappings.properties.brand]) {
      expect(field.fields).toMatchObject({
        surface: { analyzer: 'surface' },
        prefix: { analyzer: 'prefixes', search_analyzer: 'prefix_query' },
      });
    }
    expect(Object.keys(settings.analysis.analyzer ?? {})).toEqual([
      'surface',
      'prefixes',
      'prefix_query',
    ]);
  });

  it('keeps the ranking and region fields beside the text ones', () => {
    expect(mappings.properties).toMatchObject({
      inStockIn: { properties: { us: { type: 'boolean' } } },
      popularity: { type: 'double' },
      salesVelocity: { type: 'double' },
    });
  });
});
