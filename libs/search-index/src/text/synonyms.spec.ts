import { SYNONYM_GROUPS, synonymsOf } from './synonyms';

describe('synonymsOf', () => {
  it("answers the other entries of the word's group", () => {
    expect(synonymsOf('laptop')).toEqual([['notebook']]);
    expect(synonymsOf('couch')).toEqual([['sofa'], ['settee']]);
  });

  it('splits a phrase entry into the words that must all occur', () => {
    expect(synonymsOf('tee')).toEqual([['t', 'shirt'], ['tshirt']]);
    expect(synonymsOf('skillet')).toEqual([['frying', 'pan']]);
  });

  it('finds the group from a plural or a singular of an entry', () => {
    expect(synonymsOf('couches')).toEqual([['sofa'], ['settee']]);
    expect(synonymsOf('laptops')).toEqual([['notebook']]);
    expect(synonymsOf('headphone')).toEqual([['headset']]);
  });

  it('answers nothing for a word in no group, and does not look phrases up', () => {
    expect(synonymsOf('velvet')).toEqual([]);
    expect(synonymsOf('frying')).toEqual([]);
  });
});

describe('SYNONYM_GROUPS', () => {
  it('holds 20 to 40 groups of lower-case entries, each entry in one group only', () => {
    const entries = SYNONYM_GROUPS.flat();
    expect(SYNONYM_GROUPS.length).toBeGreaterThanOrEqual(20);
    expect(SYNONYM_GROUPS.length).toBeLessThanOrEqual(40);
    expect(new Set(entries).size).toBe(entries.length);
    expect(entries.filter((entry) => entry !== entry.toLowerCase().trim())).toEqual([]);
    expect(SYNONYM_GROUPS.filter((group) => group.length < 2)).toEqual([]);
  });
});
