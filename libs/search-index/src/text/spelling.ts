import { isStopWord, surfaceWords } from './words';
import { editDistance, typoBudget } from './typos';

/** A vocabulary word near a misspelt one, and in how many products it occurs. */
export interface SpellingCandidate {
  word: string;
  documentFrequency: number;
}

/**
 * The correction for one word: among vocabulary words within its typo budget, the one in most
 * products (ties: fewer edits, then alphabetical); undefined when none is close enough.
 * Candidates may come from an engine's own suggester: the budget is checked again here.
 */
export function bestCorrection(
  word: string,
  candidates: readonly SpellingCandidate[],
): string | undefined {
  const budget = typoBudget(word);
  let best: { word: string; df: number; edits: number } | undefined;
  for (const { word: candidate, documentFrequency: df } of candidates) {
    if (candidate === word || df <= 0) continue;
    const edits = editDistance(word, candidate, budget);
    if (edits > budget) continue;
    const better =
      best === undefined ||
      df > best.df ||
      (df === best.df && (edits < best.edits || (edits === best.edits && candidate < best.word)));
    if (better) best = { word: candidate, df, edits };
  }
  return best?.word;
}

/**
 * The words of a query that spelling correction looks at: surface words (lower case, not
 * stemmed) long enough to forgive a typo and not stop words.
 */
export const correctableWords = (text: string): string[] =>
  [...new Set(surfaceWords(text))].filter((word) => !isStopWord(word) && typoBudget(word) > 0);

/**
 * The query with each unknown word replaced by its correction, as lower-case words separated
 * by single spaces; undefined when no word changes. `corrections` maps the unknown words that
 * have one.
 */
export function correctedText(
  text: string,
  corrections: ReadonlyMap<string, string>,
): string | undefined {
  const words = surfaceWords(text);
  if (!words.some((word) => corrections.has(word))) return undefined;
  return words.map((word) => corrections.get(word) ?? word).join(' ');
}
