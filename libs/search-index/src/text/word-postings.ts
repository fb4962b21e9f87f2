/**
 * Words → the products that have them, with the lookups typo tolerance needs: near words and
 * fuzzy prefixes by a pruned walk of a trie of the words (at the demo catalog's 5,000 products,
 * ~1,500 analysed words, a few hundred microseconds per query word: orama-text-match.spec.ts).
 */
/** Walk answers kept at most (each a few words): bounded memory whatever shoppers type. */
const MAX_REMEMBERED_WALKS = 10_000;

export class WordPostings {
  private readonly products = new Map<string, Set<string>>();
  /** The words as a trie for prefix lookups, rebuilt on the first lookup after a new word. */
  private trie?: TrieNode;
  /**
   * Answers of earlier walks, valid until the vocabulary changes (a word added or gone; stock
   * and price re-indexes rarely do that). Shoppers repeat words, and a walk was the largest
   * single cost of an embedded search (docs/performance.md).
   */
  private readonly walks = new Map<string, readonly string[]>();

  add(word: string, productId: string): void {
    let ids = this.products.get(word);
    if (ids === undefined) {
      ids = new Set();
      this.products.set(word, ids);
      this.vocabularyChanged();
    }
    ids.add(productId);
  }

  remove(word: string, productId: string): void {
    const ids = this.products.get(word);
    if (ids === undefined) return;
    ids.delete(productId);
    if (ids.size === 0) {
      this.products.delete(word);
      this.vocabularyChanged();
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
  near(word: string, max: number): readonly string[] {
    if (max === 0) return this.products.has(word) ? [word] : [];
    return this.walk(word, max, 'whole');
  }

  /** Indexed words starting with `prefix` give or take `max` edits (see `startsWithin`). */
  startingWithin(prefix: string, max: number): readonly string[] {
    return this.walk(prefix, max, 'prefix');
  }

  /**
   * A walk of the words' trie that computes one row of the distance table per node and leaves
   * a branch as soon as no word below it can be within `max` edits: shared beginnings are
   * computed once and most of the vocabulary is never visited.
   */
  private walk(typed: string, max: number, mode: 'whole' | 'prefix'): readonly string[] {
    const key = `${mode} ${max} ${typed}`;
    const known = this.walks.get(key);
    if (known) return known;
    if (this.walks.size >= MAX_REMEMBERED_WALKS) this.walks.clear();
    // Frozen: every later caller gets this same array.
    const found = Object.freeze(this.walkTrie(typed, max, mode));
    this.walks.set(key, found);
    return found;
  }

  private vocabularyChanged(): void {
    this.trie = undefined;
    this.walks.clear();
  }

  private walkTrie(typed: string, max: number, mode: 'whole' | 'prefix'): string[] {
    this.trie ??= buildTrie(this.products.keys());
    const p = [...typed];
    const found: string[] = [];
    const visit = (
      node: TrieNode,
      letter: string,
      previous: Int32Array,
      beforePrevious: Int32Array | undefined,
      previousLetter: string | undefined,
    ): void => {
      // Distances from each beginning of the typed word to the node's letters.
      const row = new Int32Array(p.length + 1);
      row[0] = previous[0] + 1;
      let best = row[0];
      for (let i = 1; i <= p.length; i++) {
        const cost = p[i - 1] === letter ? 0 : 1;
        let d = Math.min(row[i - 1] + 1, previous[i] + 1, previous[i - 1] + cost);
        if (beforePrevious && i > 1 && p[i - 1] === previousLetter && p[i - 2] === letter) {
          d = Math.min(d, beforePrevious[i - 2] + 1);
        }
        row[i] = d;
        if (d < best) best = d;
      }
      if (mode === 'prefix' && row[p.length] <= max) {
        collect(node, found);
        return;
      }
      if (mode === 'whole' && node.word !== undefined && row[p.length] <= max) {
        found.push(node.word);
      }
      if (best > max) return;
      for (const [next, child] of node.children) visit(child, next, row, previous, letter);
    };
    const first = Int32Array.from({ length: p.length + 1 }, (_, i) => i);
    for (const [letter, child] of this.trie.children)
      visit(child, letter, first, undefined, undefined);
    return found;
  }
}

interface TrieNode {
  children: Map<string, TrieNode>;
  word?: string;
}

function buildTrie(words: Iterable<string>): TrieNode {
  const root: TrieNode = { children: new Map() };
  for (const word of words) {
    let node = root;
    for (const letter of word) {
      let child = node.children.get(letter);
      if (child === undefined) {
        child = { children: new Map() };
        node.children.set(letter, child);
      }
      node = child;
    }
    node.word = word;
  }
  return root;
}

/** Every word at or below a node. */
function collect(node: TrieNode, into: string[]): void {
  if (node.word !== undefined) into.push(node.word);
  for (const child of node.children.values()) collect(child, into);
}

const EMPTY: ReadonlySet<string> = new Set();
