/**
 * How many typos a query word forgives (Meilisearch's rule): words of fewer than 4 letters must
 * match exactly, 4–7 letters forgive one edit, 8 or more forgive two. The length is the word as
 * typed (before stemming), so "boots" and "boot" forgive the same.
 */
export function typoBudget(word: string): 0 | 1 | 2 {
  const letters = [...word].length;
  if (letters < 4) return 0;
  return letters < 8 ? 1 : 2;
}

/**
 * Damerau edit distance (optimal string alignment: insert, delete, substitute, or swap two
 * neighbours, each one edit), or `max + 1` as soon as it must exceed `max` — most vocabulary
 * words are rejected after a row or two, which keeps a scan of thousands of words cheap.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (a === b) return 0;
  const s = [...a];
  const t = [...b];
  if (Math.abs(s.length - t.length) > max) return max + 1;
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        d = Math.min(d, beforePrevious[j - 2] + 1);
      }
      row.push(d);
      if (d < best) best = d;
    }
    if (best > max) return max + 1;
    beforePrevious = previous;
    previous = row;
  }
  const distance = previous[t.length];
  return distance > max ? max + 1 : distance;
}

/**
 * Whether `word` starts with `prefix` give or take `max` edits: some beginning of the word, one
 * letter shorter to one longer than the prefix, is within `max` edits of it. This is what a
 * fuzzy match against OpenSearch's edge n-grams of the word accepts.
 */
export function startsWithin(word: string, prefix: string, max: number): boolean {
  if (word.startsWith(prefix)) return true;
  if (max === 0) return false;
  const letters = [...word];
  const length = [...prefix].length;
  for (let k = Math.max(1, length - max); k <= Math.min(letters.length, length + max); k++) {
    if (editDistance(letters.slice(0, k).join(''), prefix, max) <= max) return true;
  }
  return false;
}
