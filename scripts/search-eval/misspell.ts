/**
 * Deterministic misspellings of real words, the three slips shoppers make most on a keyboard:
 * two neighbouring letters swapped, a letter left out, a letter typed twice. The slip lands in
 * the middle of the word: first letters are rarely wrong, and a slip there is what typo
 * tolerance must handle (a prefix search would not).
 */
export const MISSPELLINGS = ['transposed', 'missing', 'doubled'] as const;
export type Misspelling = (typeof MISSPELLINGS)[number];

/** Shortest word the evaluation misspells: typo tolerance starts at 4 letters. */
export const MIN_MISSPELLED_LENGTH = 4;

/**
 * `word` with one slip of kind `how`, or undefined when the word is too short or the slip
 * would not change it (swapping two equal letters).
 */
export function misspell(word: string, how: Misspelling): string | undefined {
  if (word.length < MIN_MISSPELLED_LENGTH || !/^[a-z]+$/i.test(word)) return undefined;
  const middle = Math.floor(word.length / 2);
  switch (how) {
    case 'transposed': {
      // The pair straddling the middle, else the next pair that differs.
      for (let i = middle - 1; i < word.length - 1; i++) {
        if (word[i].toLowerCase() !== word[i + 1].toLowerCase()) {
          return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
        }
      }
      return undefined;
    }
    case 'missing':
      return word.slice(0, middle) + word.slice(middle + 1);
    case 'doubled':
      return word.slice(0, middle + 1) + word.slice(middle);
  }
}

/**
 * `query` with its longest word (of at least 4 letters; the first of equals) misspelled, trying
 * `how` first and then the other slips in order, and skipping any result `isWord` knows (a
 * misspelling that is another real word is a different query). Undefined when no word can be
 * misspelled that way.
 */
export function misspellQuery(
  query: string,
  how: Misspelling,
  isWord: (word: string) => boolean,
): { q: string; word: string; misspelled: string; how: Misspelling } | undefined {
  const words = query.split(' ');
  const order = words
    .map((word, index) => ({ word, index }))
    .filter(({ word }) => /^[a-z]+$/i.test(word) && word.length >= MIN_MISSPELLED_LENGTH)
    .sort((a, b) => b.word.length - a.word.length || a.index - b.index);
  const slips = [how, ...MISSPELLINGS.filter((m) => m !== how)];
  for (const { word, index } of order) {
    for (const slip of slips) {
      const misspelled = misspell(word, slip);
      if (misspelled === undefined || isWord(misspelled.toLowerCase())) continue;
      const q = words.map((w, i) => (i === index ? misspelled : w)).join(' ');
      return { q, word, misspelled, how: slip };
    }
  }
  return undefined;
}
