import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateCatalog } from '@mercato/demo-data';
import { containsPhrase, factsOf, typed, unknownNamesOf } from './catalog-facts';
import { judgmentsOf, parseQuerySet, QUERY_KINDS, type LabelledQuery } from './query-set';
import { buildQuerySet } from './query-set.builder';
import { EVAL_CATALOG } from './search-eval.config';
import { COLOURS, KINDS, SPEC_QUERIES } from './shopper-terms';

const catalog = [...generateCatalog(EVAL_CATALOG)];
const byId = new Map(catalog.map((p) => [p.productId, p]));
const built = buildQuerySet(catalog, EVAL_CATALOG.seed);
const committed = JSON.parse(
  readFileSync(join(__dirname, 'labelled-queries.json'), 'utf8'),
) as unknown;
const ofKind = (kind: string) => built.queries.filter((q) => q.kind === kind);
const grades = (query: LabelledQuery, grade: number) =>
  judgmentsOf(built, query).filter((j) => j.grade === grade);

describe('the committed query set', () => {
  it('is exactly what the builder makes from the demo catalog (rebuild it after a change)', () => {
    expect(committed).toEqual(JSON.parse(JSON.stringify(built)));
  });

  it('reads back as a valid query set', () => {
    expect(parseQuerySet(committed).queries).toHaveLength(built.queries.length);
  });
});

describe('buildQuerySet', () => {
  it('asks at least 150 queries, every kind at least 10 times, none twice', () => {
    expect(built.queries.length).toBeGreaterThanOrEqual(150);
    for (const kind of QUERY_KINDS) expect(ofKind(kind).length).toBeGreaterThanOrEqual(10);
    const texts = built.queries.map((q) => q.q.toLowerCase());
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('builds the same set from the same catalog', () => {
    expect(buildQuerySet(catalog, EVAL_CATALOG.seed)).toEqual(built);
  });

  it('judges only catalog products, each under its own title, best grade first', () => {
    for (const query of built.queries) {
      const judged = judgmentsOf(built, query);
      for (const j of judged) expect(byId.get(j.id)?.title).toBe(j.title);
      expect(judged.map((j) => j.grade)).toEqual([...judged.map((j) => j.grade)].sort().reverse());
    }
  });

  it('asks an exact title for the product with that title; other models are only acceptable', () => {
    for (const query of ofKind('exact-title')) {
      expect(grades(query, 3).length).toBeGreaterThanOrEqual(1);
      for (const j of grades(query, 3)) expect(j.title).toBe(query.q);
      for (const j of grades(query, 1)) expect(j.title).not.toBe(query.q);
    }
  });

  it('asks a brand for every product of the brand', () => {
    for (const query of ofKind('brand')) {
      const ofBrand = catalog.filter((p) => typed(p.brand) === query.q).map((p) => p.productId);
      expect(ofBrand.length).toBeGreaterThan(0);
      expect(grades(query, 2).map((j) => j.id)).toEqual(expect.arrayContaining(ofBrand));
    }
  });

  it('asks a spec query for products of the kind with the value, and takes the kind without it as acceptable', () => {
    for (const query of ofKind('spec')) {
      const { value } = SPEC_QUERIES.find((s) => s.q === query.q)!;
      const has = (id: string) =>
        factsOf(byId.get(id)!).values.some((v) => containsPhrase(v, value));
      expect(grades(query, 3).every((j) => has(j.id))).toBe(true);
      expect(grades(query, 1).some((j) => has(j.id))).toBe(false);
    }
  });

  it('asks a colour and a kind for that kind in that colour, and takes other colours as acceptable', () => {
    const coloured = ofKind('multi-word').filter((q) => COLOURS.includes(q.q.split(' ')[0]));
    expect(coloured.length).toBeGreaterThan(0);
    for (const query of coloured) {
      const colour = query.q.split(' ')[0];
      const inColour = (id: string) =>
        factsOf(byId.get(id)!).colours.some((c) => containsPhrase(c, colour));
      expect(grades(query, 3).every((j) => inColour(j.id))).toBe(true);
      expect(grades(query, 1).some((j) => inColour(j.id))).toBe(false);
    }
  });

  it('asks a brand and a kind for that brand first, and takes other brands as acceptable', () => {
    for (const query of [...ofKind('multi-word'), ...ofKind('synonym')]) {
      const best = grades(query, 3);
      if (best.length === 0 || COLOURS.includes(query.q.split(' ')[0])) continue;
      const brand = byId.get(best[0].id)!.brand;
      expect(query.q.startsWith(typed(brand))).toBe(true);
      expect(best.every((j) => byId.get(j.id)!.brand === brand)).toBe(true);
      if (query.q.split(' ').length === typed(brand).split(' ').length + 1) {
        expect(grades(query, 1).some((j) => byId.get(j.id)!.brand === brand)).toBe(false);
      }
    }
  });

  it('misspells one word of another query by one slip and judges it as that query', () => {
    for (const query of ofKind('misspelling')) {
      const base = built.queries.find((q) => q.id === query.judgedAs)!;
      expect(base.kind).not.toBe('misspelling');
      const words = query.q.split(' ');
      const baseWords = base.q.split(' ');
      expect(words).toHaveLength(baseWords.length);
      const changed = words.filter((w, i) => w !== baseWords[i]);
      expect(changed).toHaveLength(1);
      expect(
        Math.abs(changed[0].length - baseWords[words.indexOf(changed[0])].length),
      ).toBeLessThanOrEqual(1);
      expect(judgmentsOf(built, query)).toBe(base.judgments);
    }
  });

  it('gives every query at least one product it must find', () => {
    for (const query of built.queries) {
      expect(judgmentsOf(built, query).some((j) => j.grade >= 2)).toBe(true);
    }
  });
});

describe('the shopper terms', () => {
  it('name only categories and nouns the catalog has', () => {
    for (const [term, kind] of Object.entries(KINDS)) {
      expect({ term, unknown: unknownNamesOf(kind) }).toEqual({ term, unknown: [] });
    }
  });
});
