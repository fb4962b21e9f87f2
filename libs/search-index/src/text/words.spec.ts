import { MAX_TYPO_WORDS, planTextQuery, surfaceWords } from './words';

describe('surfaceWords', () => {
  it('lower-cases and splits on anything that is not a letter or digit', () => {
    expect(surfaceWords('USB-C  Cable, 2m')).toEqual(['usb', 'c', 'cable', '2m']);
  });

  it("drops the English possessive 's, as Lucene's possessive filter does", () => {
    expect(surfaceWords("Chef's Knife")).toEqual(['chef', 'knife']);
    expect(surfaceWords('Acme’s')).toEqual(['acme']);
  });

  it('keeps an apostrophe or full stop inside a word and a comma inside a number, as Lucene does', () => {
    expect(surfaceWords("Don't stop")).toEqual(["don't", 'stop']);
    expect(surfaceWords('8-core 3.2 GHz, 1,000 mAh.')).toEqual([
      '8',
      'core',
      '3.2',
      'ghz',
      '1,000',
      'mah',
    ]);
    expect(surfaceWords('red,blue')).toEqual(['red', 'blue']);
  });

  it('keeps letters outside ASCII', () => {
    expect(surfaceWords('Lumière Crème')).toEqual(['lumière', 'crème']);
  });

  it('leaves query syntax as separators only', () => {
    expect(surfaceWords('{"query":{"match_all":{}}}')).toEqual(['query', 'match', 'all']);
    expect(surfaceWords('/lap.*/')).toEqual(['lap']);
  });
});

describe('planTextQuery', () => {
  it('gives each word its typo budget and synonyms, dropping stop words and repeats', () => {
    expect(planTextQuery('The laptop and the Couch couch')).toEqual([
      { text: 'laptop', typos: 1, synonyms: [['notebook']] },
      { text: 'couch', typos: 1, synonyms: [['sofa'], ['settee']] },
    ]);
  });

  it('forgives no typo when typo tolerance is off, and keeps synonyms', () => {
    expect(planTextQuery('laptop', { typoTolerance: false })).toEqual([
      { text: 'laptop', typos: 0, synonyms: [['notebook']] },
    ]);
  });

  it('forgives typos in the first MAX_TYPO_WORDS words only', () => {
    const words = Array.from({ length: MAX_TYPO_WORDS + 2 }, (_, i) => `word${'x'.repeat(i)}`);
    const typos = planTextQuery(words.join(' ')).map((word) => word.typos);
    expect(typos.slice(MAX_TYPO_WORDS)).toEqual([0, 0]);
    expect(typos.slice(0, MAX_TYPO_WORDS).every((budget) => budget > 0)).toBe(true);
  });

  it('plans nothing for stop words or syntax alone', () => {
    expect(planTextQuery('the and of')).toEqual([]);
    expect(planTextQuery('" OR ""="')).toEqual([]);
  });
});
