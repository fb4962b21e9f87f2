import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { judgmentsOf, parseQuerySet, type QuerySet } from './query-set';

const committed = JSON.parse(
  readFileSync(join(__dirname, 'labelled-queries.json'), 'utf8'),
) as unknown;

describe('parseQuerySet', () => {
  const valid = (): QuerySet => JSON.parse(JSON.stringify(committed)) as QuerySet;

  it('refuses a query with both judgments and judgedAs, or neither', () => {
    const both = valid();
    const misspelled = both.queries.find((q) => q.judgedAs)!;
    misspelled.judgments = [{ id: 'p-000001', grade: 3, title: 'x' }];
    expect(() => parseQuerySet(both)).toThrow(/either judgments or judgedAs/);
    const neither = valid();
    delete neither.queries[0].judgments;
    expect(() => parseQuerySet(neither)).toThrow(/either judgments or judgedAs/);
  });

  it('refuses a query judged as one that does not exist', () => {
    const set = valid();
    set.queries.find((q) => q.judgedAs)!.judgedAs = 'brand-99';
    expect(() => parseQuerySet(set)).toThrow(/judgedAs/);
  });

  it('refuses a query without a product it must find', () => {
    const set = valid();
    set.queries[0].judgments = [{ id: 'p-000001', grade: 1, title: 'x' }];
    expect(() => parseQuerySet(set)).toThrow(/no product of grade 2/);
  });

  it('refuses repeated query ids', () => {
    const set = valid();
    set.queries[1].id = set.queries[0].id;
    expect(() => parseQuerySet(set)).toThrow(/not unique/);
  });
});

describe('judgmentsOf', () => {
  it('gives a query its own judgments, or those of the query it is judged as', () => {
    const set = parseQuerySet(committed);
    const misspelled = set.queries.find((q) => q.judgedAs)!;
    const base = set.queries.find((q) => q.id === misspelled.judgedAs)!;
    expect(judgmentsOf(set, misspelled)).toBe(base.judgments);
    expect(judgmentsOf(set, base)).toBe(base.judgments);
  });
});
