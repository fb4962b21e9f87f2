/**
 * The labelled query set of the search evaluation, built from the demo catalog (docs/search.md,
 * "Evaluation", says how each kind is labelled). Pure: the catalog's products in, the set out;
 * the same catalog always gives the same set.
 */
import {
  DEMO_CATEGORY_BY_ID,
  DEMO_LEAF_CATEGORIES,
  PROFILES,
  Random,
  mixSeed,
  type DemoCategory,
  type DemoProduct,
} from '@mercato/demo-data';
import { z } from 'zod';
import { RELEVANT_FROM, type Grade } from './metrics';
import { MISSPELLINGS, misspellQuery } from './misspell';
import {
  COLOURED_KINDS,
  COLOURS,
  KINDS,
  PARENT_CATEGORY_QUERIES,
  SPEC_QUERIES,
  SYNONYMS,
  type KindOfProduct,
} from './shopper-terms';

export const QUERY_KINDS = [
  'exact-title',
  'partial',
  'brand',
  'category',
  'spec',
  'synonym',
  'multi-word',
  'misspelling',
] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];

export interface JudgedProduct {
  id: string;
  grade: Grade;
  title: string;
}

export interface LabelledQuery {
  id: string;
  kind: QueryKind;
  q: string;
  /** Why these products and grades: the rule applied, in words. */
  why: string;
  /** Best grade first, then by product id. */
  judgments?: JudgedProduct[];
  /** Instead of `judgments`: judged as this other query (a misspelling as its correct spelling). */
  judgedAs?: string;
}

export interface QuerySet {
  about: string;
  catalog: { seed: number; products: number };
  grades: Record<'3' | '2' | '1', string>;
  queries: LabelledQuery[];
}

/** How many queries of each generated kind the set holds (curated kinds take their whole table). */
export const QUERIES_PER_KIND = {
  'exact-title': 25,
  partialLines: 12,
  partialModels: 12,
  brand: 12,
  leafCategories: 18,
  brandAndKind: 12,
  colourAndKind: 10,
  brandColourAndKind: 6,
  misspelledPerKind: 6,
} as const;

export const GRADES: QuerySet['grades'] = {
  '3': 'the product (or one of the products) the query asks for',
  '2': 'clearly relevant: what a broad query (a brand, a category) asks for',
  '1': 'acceptable: the right kind of product, missing one detail the query names',
};

/** What the builder knows of a product: the catalog's facts, the title taken apart. */
export interface ProductFacts {
  productId: string;
  title: string;
  brand: string;
  adjective: string;
  noun: string;
  model: string;
  leaf: DemoCategory;
  /** Ids from the department down to the leaf. */
  categoryPath: readonly string[];
  /** Every spec value and variant attribute value. */
  values: readonly string[];
  /** Colours of its variants. */
  colours: readonly string[];
}

const longestFirst = (words: readonly string[]) => [...words].sort((a, b) => b.length - a.length);

/** Splits a title `${brand} ${adjective} ${noun} ${model}` (the generator's pattern) into its parts. */
export function factsOf(product: DemoProduct): ProductFacts {
  const leaf = DEMO_CATEGORY_BY_ID.get(product.categoryId)!;
  const rest = product.title.slice(product.brand.length + 1);
  for (const adjective of longestFirst(PROFILES[leaf.profile!].adjectives)) {
    if (!rest.startsWith(`${adjective} `)) continue;
    const afterAdjective = rest.slice(adjective.length + 1);
    const noun = longestFirst(leaf.nouns!).find((n) => afterAdjective.startsWith(`${n} `));
    if (!noun) continue;
    const variantValues = product.variants.flatMap((v) => Object.values(v.attributes));
    return {
      productId: product.productId,
      title: product.title,
      brand: product.brand,
      adjective,
      noun,
      model: afterAdjective.slice(noun.length + 1),
      leaf,
      categoryPath: product.categoryPath,
      values: [...new Set([...Object.values(product.specs), ...variantValues])],
      colours: [
        ...new Set(product.variants.map((v) => v.attributes.colour).filter((c) => c !== undefined)),
      ],
    };
  }
  throw new Error(
    `${product.productId}: title "${product.title}" is not brand adjective noun model`,
  );
}

const lower = (text: string) => text.toLowerCase();
/** How a shopper types a name: lower case, without accents ("Lumière" → "lumiere"). */
const typed = (text: string) =>
  lower(text)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '');

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Whether `phrase` occurs in `text` as whole words, ignoring case. */
export const containsPhrase = (text: string, phrase: string): boolean =>
  new RegExp(`(^|[^a-z0-9])${escape(phrase)}($|[^a-z0-9])`, 'i').test(text);

const wordsOf = (text: string) =>
  typed(text)
    .split(/[^a-z0-9-]+/)
    .filter(Boolean);
/** Whether every word of `words` is a word of `text`, ignoring case. */
export const hasWords = (text: string, words: string): boolean => {
  const own = new Set(wordsOf(text));
  return wordsOf(words).every((w) => own.has(w));
};

/** Whether the product is of the kind a shopper's word means. */
export const isKind = (product: ProductFacts, kind: KindOfProduct): boolean =>
  (kind.leaves ?? []).includes(product.leaf.name) || (kind.nouns ?? []).includes(product.noun);

/** One kind made of several ("earphones": earbuds or headphones). */
const eitherOf = (kinds: readonly KindOfProduct[]): KindOfProduct => ({
  leaves: kinds.flatMap((k) => k.leaves ?? []),
  nouns: kinds.flatMap((k) => k.nouns ?? []),
});

type Grader = (product: ProductFacts) => Grade | 0;

/**
 * Builds the set. `products` is the whole catalog the evaluated store is seeded with; `seed` is
 * the catalog's seed, which also seeds the picks here so another catalog gets its own picks.
 */
export function buildQuerySet(products: readonly DemoProduct[], seed: number): QuerySet {
  const facts = products.map(factsOf);
  const queries: LabelledQuery[] = [];
  const asked = new Set<string>();
  const counters = new Map<QueryKind, number>();
  const random = (salt: number) => new Random(mixSeed(seed, salt, 0xe7a1));

  const judge = (grader: Grader): JudgedProduct[] =>
    facts
      .map((p) => ({ id: p.productId, grade: grader(p), title: p.title }))
      .filter((j): j is JudgedProduct => j.grade > 0)
      .sort((a, b) => b.grade - a.grade || a.id.localeCompare(b.id));

  /**
   * Adds the query unless it was asked already or finds nothing clearly relevant (false then).
   * `judgments` may be another query's id: judged as that one.
   */
  const add = (
    kind: QueryKind,
    q: string,
    why: string,
    judgments: JudgedProduct[] | LabelledQuery,
    options: { mustAdd?: boolean } = {},
  ): boolean => {
    const own = Array.isArray(judgments) ? judgments : judgments.judgments!;
    const relevant = own.some((j) => j.grade >= RELEVANT_FROM);
    if (asked.has(lower(q)) || !relevant) {
      if (options.mustAdd) {
        throw new Error(
          `query "${q}" (${kind}) is ${relevant ? 'asked twice' : 'without a relevant product'}`,
        );
      }
      return false;
    }
    asked.add(lower(q));
    const n = (counters.get(kind) ?? 0) + 1;
    counters.set(kind, n);
    const id = `${kind}-${String(n).padStart(2, '0')}`;
    queries.push(
      Array.isArray(judgments)
        ? { id, kind, q, why, judgments }
        : { id, kind, q, why, judgedAs: judgments.id },
    );
    return true;
  };

  /** The items in an order fixed by `salt` (Fisher–Yates). */
  const shuffled = <T>(salt: number, items: readonly T[]): T[] => {
    const r = random(salt);
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = r.int(0, i);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  };
  /** Tries `candidates` in a shuffled order until `count` were added. */
  const addFromShuffled = <T>(
    salt: number,
    candidates: readonly T[],
    count: number,
    tryAdd: (candidate: T) => boolean,
  ) => {
    let added = 0;
    for (const candidate of shuffled(salt, candidates)) {
      if (added === count) break;
      if (tryAdd(candidate)) added++;
    }
    if (added < count) throw new Error(`only ${added} of ${count} queries (salt ${salt})`);
  };
  const kindOf = (term: string): KindOfProduct => {
    const kind = KINDS[term];
    if (!kind) throw new Error(`no kind "${term}" in shopper-terms.ts`);
    return kind;
  };

  // Exact titles: the product with that title (every one, if two share it) is what is asked;
  // another model of the same line (brand, adjective, noun) is acceptable.
  for (const p of shuffled(1, facts)) {
    if ((counters.get('exact-title') ?? 0) === QUERIES_PER_KIND['exact-title']) break;
    add(
      'exact-title',
      p.title,
      'the product with this title; 1: another model of the same brand, adjective and noun',
      judge((o) =>
        lower(o.title) === lower(p.title)
          ? 3
          : o.brand === p.brand && o.adjective === p.adjective && o.noun === p.noun
            ? 1
            : 0,
      ),
    );
  }

  // Partial words, a product line: brand, adjective and noun without the model. Judged by the
  // words, so "voltix smart tv" finds a "Voltix Vision Smart TV" as well as a "Voltix Smart TV".
  let lines = 0;
  for (const p of shuffled(2, facts)) {
    if (lines === QUERIES_PER_KIND.partialLines) break;
    const inLine = (o: ProductFacts) =>
      o.brand === p.brand && hasWords(o.title, `${p.adjective} ${p.noun}`);
    if (facts.filter(inLine).length > 5) continue;
    const q = typed(`${p.brand} ${p.adjective} ${p.noun}`);
    const why =
      'every product of the brand with these words in its title; 1: the brand and the noun only';
    const grade: Grader = (o) =>
      inLine(o) ? 3 : o.brand === p.brand && hasWords(o.title, p.noun) ? 1 : 0;
    if (add('partial', q, why, judge(grade))) lines++;
  }

  // Partial words, a model: brand (or noun) and a distinctive model name, e.g. "voltix x-450".
  let models = 0;
  for (const [i, p] of shuffled(3, facts).entries()) {
    if (models === QUERIES_PER_KIND.partialModels) break;
    if (!/\d/.test(p.model) || /^(Series \d|\d( Plus| Max|s)?)$/.test(p.model)) continue;
    const byBrand = i % 2 === 0;
    const named = byBrand ? p.brand : p.noun;
    const matches = (o: ProductFacts) =>
      o.model === p.model && (byBrand ? o.brand === p.brand : o.noun === p.noun);
    if (facts.filter(matches).length > 3) continue;
    const q = typed(`${named} ${p.model}`);
    const why = `every product of ${byBrand ? 'this brand' : 'this noun'} with this model name`;
    if (
      add(
        'partial',
        q,
        why,
        judge((o) => (matches(o) ? 3 : 0)),
      )
    )
      models++;
  }

  // Brands: every product of the brand, or naming it in a spec (a publisher).
  const brands = [...new Set(facts.map((p) => p.brand))].sort();
  addFromShuffled(4, brands, QUERIES_PER_KIND.brand, (brand) =>
    add(
      'brand',
      typed(brand),
      'every product of the brand, or with the brand in a spec (a book publisher)',
      judge((o) => (o.brand === brand || o.values.some((v) => containsPhrase(v, brand)) ? 2 : 0)),
    ),
  );

  // Categories: parents (everything below) and leaves (the leaves of that name, and products
  // elsewhere with one of their nouns).
  for (const name of PARENT_CATEGORY_QUERIES) {
    const nodes = [...DEMO_CATEGORY_BY_ID.values()].filter((c) => c.name === name);
    if (nodes.length !== 1 || nodes[0].children.length === 0) {
      throw new Error(`"${name}" is not exactly one parent category`);
    }
    add(
      'category',
      typed(name),
      'every product in the category or below it',
      judge((o) => (o.categoryPath.includes(nodes[0].categoryId) ? 2 : 0)),
      { mustAdd: true },
    );
  }
  const leafNames = [...new Set(DEMO_LEAF_CATEGORIES.map((c) => c.name))]
    .filter((name) => /^[A-Za-z -]+$/.test(name))
    .sort();
  addFromShuffled(5, leafNames, QUERIES_PER_KIND.leafCategories, (name) => {
    const leaves = DEMO_LEAF_CATEGORIES.filter((c) => c.name === name);
    const kind = { leaves: [name], nouns: leaves.flatMap((c) => c.nouns ?? []) };
    return add(
      'category',
      typed(name),
      'every product in a leaf category of this name, or elsewhere with one of its nouns',
      judge((o) => (isKind(o, kind) ? 2 : 0)),
    );
  });

  // Specs: the kind with the value is asked for; the kind without it is acceptable.
  for (const spec of SPEC_QUERIES) {
    const kind = kindOf(spec.kind);
    add(
      'spec',
      spec.q,
      `a ${spec.kind} with "${spec.value}" in a spec or variant; 1: a ${spec.kind} without it`,
      judge((o) =>
        !isKind(o, kind) ? 0 : o.values.some((v) => containsPhrase(v, spec.value)) ? 3 : 1,
      ),
      { mustAdd: true },
    );
  }

  // Synonyms: the shopper's word alone (every product of the kind), and after a brand.
  const brandsOf = (kind: KindOfProduct) => {
    const counts = new Map<string, number>();
    for (const p of facts.filter((o) => isKind(o, kind))) {
      counts.set(p.brand, (counts.get(p.brand) ?? 0) + 1);
    }
    return [...counts]
      .filter(([, n]) => n >= 2)
      .map(([brand]) => brand)
      .sort();
  };
  for (const [i, { word, means: kinds }] of SYNONYMS.entries()) {
    const kind = eitherOf(kinds.map(kindOf));
    const means = kinds.join(' or ');
    add(
      'synonym',
      word,
      `"${word}" means ${means}: every ${means}`,
      judge((o) => (isKind(o, kind) ? 2 : 0)),
      { mustAdd: true },
    );
    if (i % 2 === 1) continue;
    const brand = random(100 + i).pick(brandsOf(kind));
    add(
      'synonym',
      typed(`${brand} ${word}`),
      `"${word}" means ${means}: a ${brand} ${means}; 1: another brand's ${means}`,
      judge((o) => (!isKind(o, kind) ? 0 : o.brand === brand ? 3 : 1)),
      { mustAdd: true },
    );
  }

  // Multi-word: a brand and a kind, a colour and a kind, all three.
  const terms = Object.keys(KINDS).sort();
  addFromShuffled(6, terms, QUERIES_PER_KIND.brandAndKind, (term) => {
    const kind = kindOf(term);
    const brand = random(200 + terms.indexOf(term)).pick(brandsOf(kind));
    return add(
      'multi-word',
      typed(`${brand} ${term}`),
      `a ${brand} ${term}; 1: another brand's ${term}`,
      judge((o) => (!isKind(o, kind) ? 0 : o.brand === brand ? 3 : 1)),
    );
  });
  const hasColour = (o: ProductFacts, colour: string) =>
    o.colours.some((c) => containsPhrase(c, colour));
  const colourPairs = COLOURED_KINDS.flatMap((term) =>
    COLOURS.map((colour) => ({ term, colour })),
  ).filter(({ term, colour }) => {
    const kind = kindOf(term);
    return facts.filter((o) => isKind(o, kind) && hasColour(o, colour)).length >= 2;
  });
  addFromShuffled(7, colourPairs, QUERIES_PER_KIND.colourAndKind, ({ term, colour }) => {
    const kind = kindOf(term);
    return add(
      'multi-word',
      `${colour} ${term}`,
      `a ${term} with a ${colour} variant; 1: a ${term} in other colours`,
      judge((o) => (!isKind(o, kind) ? 0 : hasColour(o, colour) ? 3 : 1)),
    );
  });
  addFromShuffled(8, colourPairs, QUERIES_PER_KIND.brandColourAndKind, ({ term, colour }) => {
    const kind = kindOf(term);
    const candidates = brandsOf(kind).filter((brand) =>
      facts.some((o) => isKind(o, kind) && o.brand === brand && hasColour(o, colour)),
    );
    if (candidates.length === 0) return false;
    const brand = random(
      300 + colourPairs.findIndex((c) => c.term === term && c.colour === colour),
    ).pick(candidates);
    return add(
      'multi-word',
      typed(`${brand} ${colour} ${term}`),
      `a ${brand} ${term} with a ${colour} variant; 1: a ${term} with the brand or the colour, not both`,
      judge((o) => {
        if (!isKind(o, kind)) return 0;
        const facets = Number(o.brand === brand) + Number(hasColour(o, colour));
        return facets === 2 ? 3 : facets === 1 ? 1 : 0;
      }),
    );
  });

  // Misspellings: a query of another kind with one slip in its longest word, judged as that
  // query is. A slip that makes another word of the catalog is skipped.
  const vocabulary = new Set(
    [
      ...facts.flatMap((p) => [p.title, ...p.values]),
      ...products.map((p) => p.description),
      ...[...DEMO_CATEGORY_BY_ID.values()].map((c) => c.name),
      ...Object.keys(KINDS),
      ...SYNONYMS.map((s) => s.word),
    ].flatMap((text) => typed(text).split(/[^a-z]+/)),
  );
  const misspelledKinds: QueryKind[] = [
    'exact-title',
    'partial',
    'brand',
    'category',
    'multi-word',
  ];
  const bases = queries.slice();
  let slip = 0;
  for (const [k, kind] of misspelledKinds.entries()) {
    addFromShuffled(
      9 + k,
      bases.filter((b) => b.kind === kind),
      QUERIES_PER_KIND.misspelledPerKind,
      (base) => {
        const how = MISSPELLINGS[slip % MISSPELLINGS.length];
        const misspelt = misspellQuery(base.q, how, (w) => vocabulary.has(w));
        if (!misspelt) return false;
        const added = add(
          'misspelling',
          misspelt.q,
          `"${misspelt.word}" ${misspelt.how} as "${misspelt.misspelled}": judged as "${base.q}"`,
          base,
        );
        if (added) slip++;
        return added;
      },
    );
  }

  return {
    about:
      'Labelled queries of the search evaluation (npm run search:eval), built by ' +
      'scripts/search-eval/query-set.cli.ts from the demo catalog; docs/search.md, "Evaluation", ' +
      'says how each kind is labelled. Do not edit by hand: change the builder and rebuild.',
    catalog: { seed, products: products.length },
    grades: GRADES,
    queries,
  };
}

const judgedProductSchema = z.object({
  id: z.string().min(1),
  grade: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  title: z.string(),
});
const querySetSchema = z.object({
  about: z.string(),
  catalog: z.object({ seed: z.number().int(), products: z.number().int().positive() }),
  grades: z.object({ '3': z.string(), '2': z.string(), '1': z.string() }),
  queries: z
    .array(
      z.object({
        id: z.string().min(1),
        kind: z.enum(QUERY_KINDS),
        q: z.string().min(1),
        why: z.string(),
        judgments: z.array(judgedProductSchema).optional(),
        judgedAs: z.string().min(1).optional(),
      }),
    )
    .min(1),
});

/**
 * A query set read from its file, checked: every query judged once (its own judgments or
 * another query's, which has its own), with a product it must find, and ids unique.
 */
export function parseQuerySet(json: unknown): QuerySet {
  const set = querySetSchema.parse(json);
  const byId = new Map(set.queries.map((q) => [q.id, q]));
  if (byId.size !== set.queries.length) throw new Error('query ids are not unique');
  for (const query of set.queries) {
    const judged = query.judgedAs ? byId.get(query.judgedAs) : query;
    if ((query.judgments === undefined) === (query.judgedAs === undefined) || !judged?.judgments) {
      throw new Error(`${query.id}: needs either judgments or judgedAs (a query with judgments)`);
    }
    if (!judged.judgments.some((j) => j.grade >= RELEVANT_FROM)) {
      throw new Error(`${query.id}: no product of grade ${RELEVANT_FROM} or more`);
    }
  }
  return set;
}

/** The judgments of `query` in `set`, its own or those of the query it is judged as. */
export function judgmentsOf(set: QuerySet, query: LabelledQuery): readonly JudgedProduct[] {
  const judged = query.judgedAs ? set.queries.find((q) => q.id === query.judgedAs) : query;
  if (!judged?.judgments) throw new Error(`${query.id}: no judgments`);
  return judged.judgments;
}
