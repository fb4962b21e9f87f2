/**
 * The maintained synonym list, applied at query time on both engines: a query word that is an
 * entry of a group also matches every other entry of its group (a multi-word entry such as
 * "t shirt" matches when all its words occur, as any query does). Edit here; no re-index is
 * needed, since documents are indexed as written.
 *
 * Chosen for the demo catalog's vocabulary (libs/demo-data: category nouns, adjectives): each
 * group names something the catalog sells in words shoppers use instead — British and American
 * English ("trainers"/"sneakers", "spanner"/"wrench"), shop slang ("tee", "kicks") and spelling
 * variants ("moisturizer"). A word is in at most one group, so matching is never transitive.
 * Only single-word entries are looked up from the query; phrases are what a word expands to.
 */
export const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  // Electronics
  ['tv', 'television', 'telly'],
  ['phone', 'smartphone', 'mobile', 'cellphone'],
  ['laptop', 'notebook'],
  ['headphones', 'headset'],
  ['earbuds', 'earphones'],
  ['speaker', 'loudspeaker'],
  ['monitor', 'display'],
  ['desktop', 'pc'],
  ['mouse', 'mice'],
  ['charger', 'adapter'],
  ['cable', 'cord'],
  ['power bank', 'powerbank'],
  ['drone', 'quadcopter'],
  ['controller', 'gamepad', 'joypad'],
  // Home & Kitchen
  ['sofa', 'couch', 'settee'],
  ['frying pan', 'skillet'],
  ['duvet', 'comforter', 'quilt'],
  ['rug', 'carpet'],
  ['bookcase', 'bookshelf'],
  ['bulb', 'lightbulb'],
  // Fashion
  ['sneakers', 'trainers', 'kicks'],
  ['t shirt', 'tee', 'tshirt'],
  ['jeans', 'denim'],
  ['parka', 'anorak'],
  ['hoodie', 'sweatshirt'],
  ['joggers', 'sweatpants', 'trackpants'],
  ['handbag', 'purse'],
  ['sunglasses', 'shades'],
  ['watch', 'wristwatch', 'timepiece'],
  // Sports & Outdoors
  ['bike', 'bicycle'],
  ['backpack', 'rucksack', 'knapsack'],
  // Beauty
  ['moisturiser', 'moisturizer', 'lotion'],
  ['sunscreen', 'sunblock'],
  ['perfume', 'parfum', 'fragrance'],
  // Toys, media, tools
  ['plush', 'teddy', 'stuffed'],
  ['vinyl', 'lp'],
  ['wrench', 'spanner'],
  // Attribute values
  ['grey', 'gray'],
  ['colour', 'color'],
];

const groupOf = new Map<string, readonly string[]>();
for (const group of SYNONYM_GROUPS) {
  for (const entry of group) {
    if (groupOf.has(entry)) throw new Error(`synonym "${entry}" is in two groups`);
    if (!entry.includes(' ')) groupOf.set(entry, group);
  }
}

/**
 * The other entries of a lower-case query word's group, each as its words ("tee" →
 * [["t", "shirt"], ["tshirt"]]); none when the word is in no group. A plural or singular of an
 * entry finds the group too ("couches" → sofa), since both engines stem what it expands to.
 */
export function synonymsOf(word: string): string[][] {
  const forms = [word, `${word}s`, word.replace(/s$/, ''), word.replace(/es$/, '')];
  const found = forms.find((form) => groupOf.has(form));
  if (found === undefined) return [];
  return groupOf
    .get(found)!
    .filter((entry) => entry !== found)
    .map((entry) => entry.split(' '));
}
