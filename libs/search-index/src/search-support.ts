import { Logger } from '@nestjs/common';

/** Where adapters log; Nest's Logger by default, `silentSearchLogger` in tests. */
export interface SearchLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentSearchLogger: SearchLogger = {
  log: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

export function defaultSearchLogger(context: string): SearchLogger {
  return new Logger(context);
}

/**
 * Lucene's English stop words (the `english` analyzer's default set), so the embedded index
 * drops the same words from text as OpenSearch does.
 */
export const ENGLISH_STOP_WORDS: readonly string[] = [
  'a',
  'an',
  'and',
  'are',
  'as',
  'at',
  'be',
  'but',
  'by',
  'for',
  'if',
  'in',
  'into',
  'is',
  'it',
  'no',
  'not',
  'of',
  'on',
  'or',
  'such',
  'that',
  'the',
  'their',
  'then',
  'there',
  'these',
  'they',
  'this',
  'to',
  'was',
  'will',
  'with',
];
