/**
 * Builds the labelled query set of the search evaluation from the demo catalog
 * (docs/search.md, "Evaluation", says how each kind is labelled). Pure: the catalog's products
 * in, the set out; the same catalog always gives the same set.
 */
import {
  DEMO_CATEGORY_BY_ID,
  DEMO_LEAF_CATEGORIES,
  Random,
  mixSeed,
  type DemoProduct,
} from '@mercato/demo-data';
import {
  containsPhrase,
  eitherOf,
  factsOf,
  hasWords,
  isKind,
  typed,
  unknownNamesOf,
  type ProductFacts,
} from './catalog-facts';
import { RELEVANT_FROM, type Grade } from './metrics';
import { MISSPELLINGS, misspellQuery } from './misspell';
import {
  GRADES,
  type JudgedProduct,
  type LabelledQuery,
  type QueryKind,
  type QuerySet,
} from './query-set';
import {
  COLOURED_KINDS,
  COLOURS,
  KINDS,
  PARENT_CATEGORY_QUERIES,
  SPEC_QUERIES,
  SYNONYMS,
  type KindOfProduct,
} from './shopper-terms';

/** How many queries of each generated kind the set holds (curated kinds take their whole table). */
export const QUERIES_PER_KIND = {
  exactTitles: 25,
  partialLines: 12,
  partialModels: 12,
  brands: 12,
  leafCategories: 18,
  brandAndKind: 12,
  colourAndKind: 10,
  brandColourAndKind: 6,
  misspelledPerKind: 6,
} as const;

type Grader = (product: ProductFacts) => Grade | 0;

/** The set as it grows: the catalog's facts, the queries so far, and the helpers every kind uses. */
class Draft {
  readonly facts: readonly ProductFacts[];
  readonly queries: LabelledQuery[] = [];
  private readonly asked = new Set<string>();
  private readonly counters = new Map<QueryKind, number>();

  constructor(
    readonly products: readonly DemoProduct[],
    private readonly seed: number,
  ) {
    this.facts = products.map(factsOf);
  }

  count(kind: QueryKind): number {
    return this.counters.get(kind) ?? 0;
  }

  random(salt: number): Random {
    return new Random(mixSeed(this.seed, salt, 0xe7a1));
  }

  /** Every product `grader` gives a grade, best grade first, then by product id. */
  judge(grader: Grader): JudgedProduct[] {
    return this.facts
      .map((p) => ({ id: p.productId, grade: grader(p), title: p.title }))
      .filter((j): j is JudgedProduct => j.grade > 0)
      .sort((a, b) => b.grade - a.grade || a.id.localeCompare(b.id));
  }

  /**
   * Adds the query unless it was asked already or finds nothing clearly relevant (false then;
   * with `mustAdd`, an error: a hand-written table entry is wrong). `judgments` may be another
   * query: judged as that one.
   */
  add(
    kind: QueryKind,
    q: string,
    why: string,
    judgments: JudgedProduct[] | LabelledQuery,
    options: { mustAdd?: boolean } = {},
  ): boolean {
    const own = Array.isArray(judgments) ? judgments : judgments.judgments!;
    const relevant = own.some((j) => j.grade >= RELEVANT_FROM);
    if (this.asked.has(q.toLowerCase()) || !relevant) {
      if (options.mustAdd) {
        throw new Error(
          `query "${q}" (${kind}) is ${relevant ? 'asked twice' : 'without a relevant product'}`,
        );
      }
      return false;
    }
    this.asked.add(q.toLowerCase());
    const n = this.count(kind) + 1;
    this.counters.set(kind, n);
    const id = `${kind}-${String(n).padStart(2, '0')}`;
    this.queries.push(
      Array.isArray(judgments)
        ? { id, kind, q, why, judgments }
        : { id, kind, q, why, judgedAs: judgments.id },
    );
    return true;
  }

  /** The items in an order fixed by `salt` (Fisher–Yates). */
  shuffled<T>(salt: number, items: readonly T[]): T[] {
    const random = this.random(salt);
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = random.int(0, i);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  /** Tries `candidates` in an order fixed by `salt` until `count` were added. */
  addFromShuffled<T>(
    salt: number,
    candidates: readonly T[],
    count: number,
    tryAdd: (candidate: T) => boolean,
  ): void {
    let added = 0;
    for (const candidate of this.shuffled(salt, candidates)) {
      if (added === count) break;
      if (tryAdd(candidate)) added++;
    }
    if (added < count) throw new Error(`only ${added} of ${count} queries (salt ${salt})`);
  }

  /** The kind a shopper's word of shopper-terms.ts means. */
  kindOf(term: string): KindOfProduct {
    const kind = KINDS[term];
    if (!kind) throw new Error(`no kind "${term}" in shopper-terms.ts`);
    const unknown = unknownNamesOf(kind);
    if (unknown.length > 0)
      throw new Error(`kind "${term}": no ${unknown.join(', ')} in the catalog`);
    return kind;
  }

  /** Brands with at least two products of the kind, by name. */
  brandsOf(kind: KindOfProduct): string[] {
    const counts = new Map<string, number>();
    for (const p of this.facts.filter((o) => isKind(o, kind))) {
      counts.set(p.brand, (counts.get(p.brand) ?? 0) + 1);
    }
    return [...counts]
      .filter(([, n]) => n >= 2)
      .map(([brand]) => brand)
      .sort();
  }
}

/**
 * Exact titles, as pasted: the product with that title (every one, if two share it) is what is
 * asked; another model of the same line (brand, adjective, noun) is acceptable.
 */
function askExactTitles(draft: Draft): void {
  for (const p of draft.shuffled(1, draft.facts)) {
    if (draft.count('exact-title') === QUERIES_PER_KIND.exactTitles) break;
    const sameLine = (o: ProductFacts) =>
      o.brand === p.brand && o.adjective === p.adjective && o.noun === p.noun;
    draft.add(
      'exact-title',
      p.title,
      'the product with this title; 1: another model of the same brand, adjective and noun',
      draft.judge((o) =>
        o.title.toLowerCase() === p.title.toLowerCase() ? 3 : sameLine(o) ? 1 : 0,
      ),
    );
  }
}

/**
 * Partial words. A product line (brand, adjective and noun without the model), judged by the
 * words, so "voltix smart tv" finds a "Voltix Vision Smart TV" as well as a "Voltix Smart TV";
 * and a model (brand or noun and a distinctive model name, e.g. "voltix x-450").
 */
function askPartialWords(draft: Draft): void {
  let lines = 0;
  for (const p of draft.shuffled(2, draft.facts)) {
    if (lines === QUERIES_PER_KIND.partialLines) break;
    const inLine = (o: ProductFacts) =>
      o.brand === p.brand && hasWords(o.title, `${p.adjective} ${p.noun}`);
    if (draft.facts.filter(inLine).length > 5) continue;
    const grade: Grader = (o) =>
      inLine(o) ? 3 : o.brand === p.brand && hasWords(o.title, p.noun) ? 1 : 0;
    const added = draft.add(
      'partial',
      typed(`${p.brand} ${p.adjective} ${p.noun}`),
      'every product of the brand with these words in its title; 1: the brand and the noun only',
      draft.judge(grade),
    );
    if (added) lines++;
  }

  let models = 0;
  for (const [i, p] of draft.shuffled(3, draft.facts).entries()) {
    if (models === QUERIES_PER_KIND.partialModels) break;
    // "Series 3" or "5 Plus" name dozens of products: not what a shopper copies from a box.
    if (!/\d/.test(p.model) || /^(Series \d|\d( Plus| Max|s)?)$/.test(p.model)) continue;
    const byBrand = i % 2 === 0;
    const matches = (o: ProductFacts) =>
      o.model === p.model && (byBrand ? o.brand === p.brand : o.noun === p.noun);
    if (draft.facts.filter(matches).length > 3) continue;
    const added = draft.add(
      'partial',
      typed(`${byBrand ? p.brand : p.noun} ${p.model}`),
      `every product of ${byBrand ? 'this brand' : 'this noun'} with this model name`,
      draft.judge((o) => (matches(o) ? 3 : 0)),
    );
    if (added) models++;
  }
}

/** Brands: every product of the brand, or naming it in a spec (a book publisher). */
function askBrands(draft: Draft): void {
  const brands = [...new Set(draft.facts.map((p) => p.brand))].sort();
  draft.addFromShuffled(4, brands, QUERIES_PER_KIND.brands, (brand) =>
    draft.add(
      'brand',
      typed(brand),
      'every product of the brand, or with the brand in a spec (a book publisher)',
      draft.judge((o) =>
        o.brand === brand || o.values.some((v) => containsPhrase(v, brand)) ? 2 : 0,
      ),
    ),
  );
}

/**
 * Categories: parents (everything below) and leaves (the leaves of that name, and products
 * elsewhere with one of their nouns).
 */
function askCategories(draft: Draft): void {
  for (const name of PARENT_CATEGORY_QUERIES) {
    const nodes = [...DEMO_CATEGORY_BY_ID.values()].filter((c) => c.name === name);
    if (nodes.length !== 1 || nodes[0].children.length === 0) {
      throw new Error(`"${name}" is not exactly one parent category`);
    }
    draft.add(
      'category',
      typed(name),
      'every product in the category or below it',
      draft.judge((o) => (o.categoryPath.includes(nodes[0].categoryId) ? 2 : 0)),
      { mustAdd: true },
    );
  }
  const leafNames = [...new Set(DEMO_LEAF_CATEGORIES.map((c) => c.name))]
    .filter((name) => /^[A-Za-z -]+$/.test(name))
    .sort();
  draft.addFromShuffled(5, leafNames, QUERIES_PER_KIND.leafCategories, (name) => {
    const leaves = DEMO_LEAF_CATEGORIES.filter((c) => c.name === name);
    const kind = { leaves: [name], nouns: leaves.flatMap((c) => c.nouns ?? []) };
    return draft.add(
      'category',
      typed(name),
      'every product in a leaf category of this name, or elsewhere with one of its nouns',
      draft.judge((o) => (isKind(o, kind) ? 2 : 0)),
    );
  });
}

/** Specs: the kind with the value is asked for; the kind without it is acceptable. */
function askSpecs(draft: Draft): void {
  for (const spec of SPEC_QUERIES) {
    const kind = draft.kindOf(spec.kind);
    const hasValue = (o: ProductFacts) => o.values.some((v) => containsPhrase(v, spec.value));
    draft.add(
      'spec',
      spec.q,
      `a ${spec.kind} with "${spec.value}" in a spec or variant; 1: a ${spec.kind} without it`,
      draft.judge((o) => (!isKind(o, kind) ? 0 : hasValue(o) ? 3 : 1)),
      { mustAdd: true },
    );
  }
}

/** Synonyms: the shopper's word alone (every product of the kind), and every other one after a brand. */
function askSynonyms(draft: Draft): void {
  for (const [i, { word, means: terms }] of SYNONYMS.entries()) {
    const kind = eitherOf(terms.map((term) => draft.kindOf(term)));
    const means = terms.join(' or ');
    draft.add(
      'synonym',
      word,
      `"${word}" means ${means}: every ${means}`,
      draft.judge((o) => (isKind(o, kind) ? 2 : 0)),
      { mustAdd: true },
    );
    if (i % 2 === 1) continue;
    const brand = draft.random(100 + i).pick(draft.brandsOf(kind));
    draft.add(
      'synonym',
      typed(`${brand} ${word}`),
      `"${word}" means ${means}: a ${brand} ${means}; 1: another brand's ${means}`,
      draft.judge((o) => (!isKind(o, kind) ? 0 : o.brand === brand ? 3 : 1)),
      { mustAdd: true },
    );
  }
}

/** Multi-word: a brand and a kind, a colour and a kind, all three. */
function askMultiWord(draft: Draft): void {
  const terms = Object.keys(KINDS).sort();
  draft.addFromShuffled(6, terms, QUERIES_PER_KIND.brandAndKind, (term) => {
    const kind = draft.kindOf(term);
    const brand = draft.random(200 + terms.indexOf(term)).pick(draft.brandsOf(kind));
    return draft.add(
      'multi-word',
      typed(`${brand} ${term}`),
      `a ${brand} ${term}; 1: another brand's ${term}`,
      draft.judge((o) => (!isKind(o, kind) ? 0 : o.brand === brand ? 3 : 1)),
    );
  });

  const hasColour = (o: ProductFacts, colour: string) =>
    o.colours.some((c) => containsPhrase(c, colour));
  const colourPairs = COLOURED_KINDS.flatMap((term) =>
    COLOURS.map((colour) => ({ term, colour })),
  ).filter(({ term, colour }) => {
    const kind = draft.kindOf(term);
    return draft.facts.filter((o) => isKind(o, kind) && hasColour(o, colour)).length >= 2;
  });
  draft.addFromShuffled(7, colourPairs, QUERIES_PER_KIND.colourAndKind, ({ term, colour }) => {
    const kind = draft.kindOf(term);
    return draft.add(
      'multi-word',
      `${colour} ${term}`,
      `a ${term} with a ${colour} variant; 1: a ${term} in other colours`,
      draft.judge((o) => (!isKind(o, kind) ? 0 : hasColour(o, colour) ? 3 : 1)),
    );
  });

  draft.addFromShuffled(8, colourPairs, QUERIES_PER_KIND.brandColourAndKind, (pair) => {
    const { term, colour } = pair;
    const kind = draft.kindOf(term);
    const candidates = draft
      .brandsOf(kind)
      .filter((brand) =>
        draft.facts.some((o) => isKind(o, kind) && o.brand === brand && hasColour(o, colour)),
      );
    if (candidates.length === 0) return false;
    const brand = draft.random(300 + colourPairs.indexOf(pair)).pick(candidates);
    return draft.add(
      'multi-word',
      typed(`${brand} ${colour} ${term}`),
      `a ${brand} ${term} with a ${colour} variant; 1: a ${term} with the brand or the colour, not both`,
      draft.judge((o) => {
        if (!isKind(o, kind)) return 0;
        const facets = Number(o.brand === brand) + Number(hasColour(o, colour));
        return facets === 2 ? 3 : facets === 1 ? 1 : 0;
      }),
    );
  });
}

/**
 * Misspellings: queries of other kinds with one slip in their longest word, judged as those
 * queries are. A slip that makes another word of the catalog is skipped: that is another query.
 */
function askMisspellings(draft: Draft): void {
  const vocabulary = new Set(
    [
      ...draft.facts.flatMap((p) => [p.title, ...p.values]),
      ...draft.products.map((p) => p.description),
      ...[...DEMO_CATEGORY_BY_ID.values()].map((c) => c.name),
      ...Object.keys(KINDS),
      ...SYNONYMS.map((s) => s.word),
    ].flatMap((text) => typed(text).split(/[^a-z]+/)),
  );
  const misspelled: QueryKind[] = ['exact-title', 'partial', 'brand', 'category', 'multi-word'];
  const bases = draft.queries.slice();
  let slips = 0;
  for (const [k, kind] of misspelled.entries()) {
    draft.addFromShuffled(
      9 + k,
      bases.filter((b) => b.kind === kind),
      QUERIES_PER_KIND.misspelledPerKind,
      (base) => {
        const how = MISSPELLINGS[slips % MISSPELLINGS.length];
        const slip = misspellQuery(base.q, how, (w) => vocabulary.has(w));
        if (!slip) return false;
        const added = draft.add(
          'misspelling',
          slip.q,
          `"${slip.word}" ${slip.how} as "${slip.misspelled}": judged as "${base.q}"`,
          base,
        );
        if (added) slips++;
        return added;
      },
    );
  }
}

/**
 * Builds the set. `products` is the whole catalog the evaluated store is seeded with; `seed` is
 * the catalog's seed, which also seeds the picks here so another catalog gets its own picks.
 */
export function buildQuerySet(products: readonly DemoProduct[], seed: number): QuerySet {
  const draft = new Draft(products, seed);
  askExactTitles(draft);
  askPartialWords(draft);
  askBrands(draft);
  askCategories(draft);
  askSpecs(draft);
  askSynonyms(draft);
  askMultiWord(draft);
  askMisspellings(draft);
  return {
    about:
      'Labelled queries of the search evaluation (npm run search:eval), built by ' +
      'scripts/search-eval/query-set.cli.ts from the demo catalog; docs/search.md, "Evaluation", ' +
      'says how each kind is labelled. Do not edit by hand: change the builder and rebuild.',
    catalog: { seed, products: products.length },
    grades: GRADES,
    queries: draft.queries,
  };
}
