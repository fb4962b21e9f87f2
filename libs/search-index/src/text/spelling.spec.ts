import { bestCorrection, correctableWords, correctedText } from './spelling';

describe('bestCorrection', () => {
  const candidate = (word: string, documentFrequency: number) => ({ word, documentFrequency });

  it('picks the candidate in most products within the typo budget', () => {
    expect(bestCorrection('sofe', [candidate('sofa', 1), candidate('soft', 2)])).toBe('soft');
  });

  it('breaks a frequency tie by fewer edits, then alphabetically', () => {
    expect(
      bestCorrection('headphnes', [candidate('headsets', 3), candidate('headphones', 3)]),
    ).toBe('headphones');
    expect(bestCorrection('velvat', [candidate('velvot', 1), candidate('velvet', 1)])).toBe(
      'velvet',
    );
  });

  it("ignores candidates beyond the word's budget, the word itself and absent words", () => {
    expect(bestCorrection('lpatpo', [candidate('laptop', 9)])).toBeUndefined();
    expect(bestCorrection('tc', [candidate('tv', 9)])).toBeUndefined();
    expect(bestCorrection('sofa', [candidate('sofa', 9)])).toBeUndefined();
    expect(bestCorrection('sofe', [candidate('sofa', 0)])).toBeUndefined();
  });
});

describe('correctableWords', () => {
  it('keeps words of 4 letters or more that are not stop words, once each', () => {
    expect(correctableWords('The tv and the Laptpo laptpo')).toEqual(['laptpo']);
  });
});

describe('correctedText', () => {
  it('replaces corrected words and writes the rest in lower case, single spaces', () => {
    expect(correctedText('The  Laptpo STAND', new Map([['laptpo', 'laptop']]))).toBe(
      'the laptop stand',
    );
  });

  it('answers undefined when no word changes', () => {
    expect(correctedText('Laptop', new Map([['laptpo', 'laptop']]))).toBeUndefined();
  });
});
