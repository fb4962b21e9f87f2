import { editDistance } from './typos';

/**
 * Words → the products that have them, with the lookups typo tolerance needs. Near words are
 * found by scanning only the words whose length is within the edit budget, with a distance
 * that gives up early: at the demo catalog's vocabulary (a few thousand words at 5,000
 * products) that is well under a millisecond per query word (measured in the adapter's spec).
 */
export class WordPostings {
  private readonly products = new Map<string, Set<string>>();
  private readonly byLength = new Map<number, Set<string>>();

  add(word: string, productId: string): void {
    let ids = this.products.get(word);
    if (ids === undefined) {
      ids = new Set();
      this.products.set(word, ids);
      const length = [...word].length;
      if (!this.byLength.has(length)) this.byLength.set(length, new Set());
      this.byLength.get(length)!.add(word);
    }
    ids.add(productId);
  }

  remove(word: string, productId: string): void {
    const ids = this.products.get(word);
    if (ids === undefined) return;
    ids.delete(productId);
    if (ids.size === 0) {
      this.products.delete(word);
      this.byLength.get([...word].length)?.delete(word);
    }
  }

  /** The products having the word (an empty set when none). */
  productsOf(word: string): ReadonlySet<string> {
    return this.products.get(word) ?? EMPTY;
  }

  frequency(word: string): number {
    return this.products.get(word)?.size ?? 0;
  }

  /** Indexed words within `max` edits of `word`, the word itself included when indexed. */
  near(word: string, max: number): string[] {
    if (max === 0) return this.products.has(word) ? [word] : [];
    const length = [...word].length;
    const found: string[] = [];
    for (let l = Math.max(1, length - max); l <= length + max; l++) {
      for (const candidate of this.byLength.get(l) ?? []) {
        if (editDistance(word, candidate, max) <= max) found.push(candidate);
      }
    }
    return found;
  }

  /** Indexed words accepted by `test`; a scan, for the short title vocabulary of suggest. */
  matching(test: (word: string) => boolean): string[] {
    return [...this.products.keys()].filter(test);
  }
}

const EMPTY: ReadonlySet<string> = new Set();
