/**
 * How many typos a query word forgives (Meilisearch's rule): words of fewer than 4 letters must
 * match exactly, 4–7 letters forgive one edit, 8 or more forgive two. The length is the word as
 * typed (before stemming), so "boots" and "boot" forgive the same.
 */
export function typoBudget(word: string): 0 | 1 | 2 {
  const letters = letterCount(word);
  if (letters < 4) return 0;
  return letters < 8 ? 1 : 2;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** Letters (code points) of a word; strings are indexed as is unless a letter needs two units. */
const lettersOf = (word: string): string | string[] => (SURROGATE.test(word) ? [...word] : word);
const letterCount = (word: string): number => lettersOf(word).length;

/**
 * Damerau edit distance (optimal string alignment: insert, delete, substitute, or swap two
 * neighbours, each one edit), or `max + 1` as soon as it must exceed `max` — most vocabulary
 * words are rejected after a row or two, which keeps a scan of thousands of words cheap.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (a === b) return 0;
  const s = lettersOf(a);
  const t = lettersOf(b);
  if (Math.abs(s.length - t.length) > max) return max + 1;
  const last = distanceRows(s, t, t.length, max);
  if (last === undefined) return max + 1;
  return Math.min(last[t.length], max + 1);
}

/**
 * Whether `word` starts with `prefix` give or take `max` edits: some beginning of the word is
 * within `max` edits of the prefix. This is what a fuzzy match against OpenSearch's edge
 * n-grams of the word accepts.
 */
export function startsWithin(word: string, prefix: string, max: number): boolean {
  if (word.startsWith(prefix)) return true;
  if (max === 0) return false;
  const p = lettersOf(prefix);
  const w = lettersOf(word);
  if (w.length < p.length - max) return false;
  // A beginning longer than the prefix plus the edits cannot be within them.
  const last = distanceRows(p, w, Math.min(w.length, p.length + max), max);
  if (last === undefined) return false;
  // Column 0 is the empty beginning, which no edge n-gram is.
  for (let j = 1; j < last.length; j++) if (last[j] <= max) return true;
  return false;
}

/**
 * The last row of the distance table of `s` against the first `columns` letters of `t`
 * (entry j: the distance from s to t's first j letters), or undefined once a whole row
 * exceeds `max`.
 */
function distanceRows(
  s: string | string[],
  t: string | string[],
  columns: number,
  max: number,
): Int32Array | undefined {
  if (scratch[0].length <= columns) scratch = scratch.map(() => new Int32Array(columns * 2 + 1));
  let [beforePrevious, previous, row] = scratch;
  for (let j = 0; j <= columns; j++) previous[j] = j;
  for (let i = 1; i <= s.length; i++) {
    row[0] = i;
    let best = i;
    for (let j = 1; j <= columns; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        d = Math.min(d, beforePrevious[j - 2] + 1);
      }
      row[j] = d;
      if (d < best) best = d;
    }
    if (best > max) return undefined;
    [beforePrevious, previous, row] = [previous, row, beforePrevious];
  }
  return previous.subarray(0, columns + 1);
}

/** Rows reused by every call (one thread, no re-entry): a scan allocates nothing per word. */
let scratch = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];
