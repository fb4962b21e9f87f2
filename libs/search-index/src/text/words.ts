import { ENGLISH_STOP_WORDS } from '../search-support';
import { synonymsOf } from './synonyms';
import { typoBudget } from './typos';

const STOP_WORDS = new Set(ENGLISH_STOP_WORDS);

/**
 * Query words beyond this many must still match, but exactly: each typo-tolerant word costs
 * OpenSearch a fuzzy expansion (up to 50 terms per field), and a pasted 200-character title
 * would otherwise pass Lucene's clause limit.
 */
export const MAX_TYPO_WORDS = 10;

/**
 * A word as Lucene's standard tokenizer (Unicode word boundaries) sees one: letters and digits,
 * joined by an apostrophe or a full stop between them ("don't", "3.2") or a comma between
 * digits ("1,000"); anything else separates words.
 */
const WORD = /[\p{L}\p{N}]+(?:(?:['’.]|(?<=\p{N}),(?=\p{N}))[\p{L}\p{N}]+)*/gu;

/**
 * The words of a text as both engines' surface analysis sees them (Lucene's standard tokenizer
 * plus the English possessive filter and lower case): "Acme's USB-C cable, 3.2 GHz" → acme,
 * usb, c, cable, 3.2, ghz. Query syntax ("title:", "*", quotes, braces) is never more than a
 * separator, so no text ever reaches an engine as anything but words.
 */
export function surfaceWords(text: string): string[] {
  return (
    text
      .toLowerCase()
      .replace(/['’]s(?![\p{L}\p{N}])/gu, '')
      .match(WORD) ?? []
  );
}

export const isStopWord = (word: string): boolean => STOP_WORDS.has(word);

/** One word a product must match, and the ways it may. */
export interface QueryWord {
  /** Lower case, as typed. */
  text: string;
  /** Edits forgiven (0 when typo tolerance is off, or beyond MAX_TYPO_WORDS). */
  typos: 0 | 1 | 2;
  /** Other entries of its synonym group, each as words that must all occur. */
  synonyms: string[][];
}

/**
 * The words every matching product must have, for both engines: the text's surface words
 * without English stop words (they match nothing on either engine), each once, with its typo
 * budget and synonyms. Empty when nothing is left to match.
 */
export function planTextQuery(
  text: string,
  options: { typoTolerance?: boolean } = {},
): QueryWord[] {
  const tolerant = options.typoTolerance ?? true;
  const words = [...new Set(surfaceWords(text))].filter((word) => !isStopWord(word));
  return words.map((word, i) => ({
    text: word,
    typos: tolerant && i < MAX_TYPO_WORDS ? typoBudget(word) : 0,
    synonyms: synonymsOf(word),
  }));
}

/**
 * How much a word's match counts towards relevance, by how it matched: exact above a synonym,
 * a synonym above a typo (the Orama score's factor per word, OpenSearch's boost per clause).
 */
export const MATCH_WEIGHTS = { exact: 1, synonym: 0.8, typo: 0.4 } as const;
