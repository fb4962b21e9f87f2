/**
 * What shoppers' words mean in the demo catalog, written by hand: the labels of the evaluation
 * come from these tables and the catalog's own facts, never from what an engine returns.
 */

/**
 * A kind of product, as a shopper means it: every product in a leaf category of one of these
 * names (both "Jeans" leaves, men's and women's), plus every product elsewhere whose title noun
 * is one of `nouns` (a kids' "Sneaker" is a sneaker too).
 */
export interface KindOfProduct {
  leaves?: readonly string[];
  nouns?: readonly string[];
}

/** Shopper words for kinds of product, singular as people type them. */
export const KINDS: Readonly<Record<string, KindOfProduct>> = {
  laptop: { leaves: ['Laptops'] },
  desktop: { leaves: ['Desktops'] },
  monitor: { leaves: ['Monitors'] },
  tablet: { leaves: ['Tablets'] },
  keyboard: { nouns: ['Keyboard'] },
  mouse: { nouns: ['Mouse'] },
  smartphone: { leaves: ['Smartphones'] },
  phone: { leaves: ['Smartphones'] },
  'phone case': { leaves: ['Phone Cases'] },
  charger: { nouns: ['Charger'] },
  'power bank': { nouns: ['Power Bank'] },
  headphones: { leaves: ['Headphones'] },
  earbuds: { leaves: ['Earbuds'] },
  speaker: { leaves: ['Speakers'] },
  soundbar: { leaves: ['Soundbars'] },
  tv: { leaves: ['Televisions'] },
  projector: { leaves: ['Projectors'] },
  camera: { leaves: ['Digital Cameras', 'Action Cameras'] },
  drone: { leaves: ['Drones'] },
  'sd card': { leaves: ['Memory Cards'] },
  'flash drive': { leaves: ['USB Flash Drives'] },
  'portable ssd': { leaves: ['External SSDs'] },
  'frying pan': { nouns: ['Frying Pan'] },
  wok: { nouns: ['Wok'] },
  blender: { leaves: ['Blenders'] },
  'coffee maker': { leaves: ['Coffee Makers'] },
  'air fryer': { leaves: ['Air Fryers'] },
  kettle: { leaves: ['Kettles'] },
  toaster: { leaves: ['Toasters'] },
  sofa: { leaves: ['Sofas'] },
  desk: { leaves: ['Desks'] },
  'office chair': { leaves: ['Office Chairs'] },
  bookcase: { leaves: ['Bookcases'] },
  'dining table': { leaves: ['Dining Tables'] },
  'sheet set': { nouns: ['Sheet Set'] },
  duvet: { nouns: ['Duvet'] },
  'duvet cover': { nouns: ['Duvet Cover'] },
  pillow: { leaves: ['Pillows'] },
  lamp: { leaves: ['Lamps'] },
  rug: { nouns: ['Rug'] },
  candle: { leaves: ['Candles'] },
  't-shirt': { leaves: ['T-Shirts'], nouns: ['T-Shirt'] },
  jeans: { leaves: ['Jeans'] },
  jacket: { leaves: ['Jackets'] },
  dress: { leaves: ['Dresses'], nouns: ['Dress'] },
  coat: { leaves: ['Coats'] },
  hoodie: { nouns: ['Hoodie'] },
  joggers: { nouns: ['Joggers'] },
  sneakers: { leaves: ['Sneakers'], nouns: ['Sneaker', 'Trainer'] },
  boots: { leaves: ['Boots'] },
  'chelsea boot': { nouns: ['Chelsea Boot'] },
  sandals: { leaves: ['Sandals'], nouns: ['Sandal'] },
  watch: { leaves: ['Watches'] },
  wallet: { leaves: ['Wallets'] },
  handbag: { leaves: ['Handbags'] },
  necklace: { nouns: ['Necklace'] },
  sunglasses: { leaves: ['Sunglasses'] },
  'yoga mat': { leaves: ['Yoga Mats'] },
  dumbbell: { leaves: ['Dumbbells'] },
  treadmill: { leaves: ['Treadmills'] },
  bike: { leaves: ['Bikes'] },
  helmet: { leaves: ['Bike Helmets'] },
  tent: { leaves: ['Tents'] },
  'sleeping bag': { leaves: ['Sleeping Bags'] },
  backpack: { leaves: ['Backpacks'] },
  serum: { leaves: ['Serums'] },
  moisturiser: { leaves: ['Moisturisers'] },
  sunscreen: { leaves: ['Sunscreen'] },
  shampoo: { leaves: ['Shampoo'] },
  lipstick: { leaves: ['Lipstick'] },
  'hair dryer': { leaves: ['Hair Dryers'] },
  'board game': { leaves: ['Board Games'] },
  'jigsaw puzzle': { leaves: ['Jigsaw Puzzles'] },
  'plush toy': { leaves: ['Plush Toys'] },
  cookbook: { leaves: ['Cookbooks'] },
  game: { leaves: ['Console Games'] },
  console: { leaves: ['Consoles'] },
  drill: { leaves: ['Drills'] },
  'led bulb': { leaves: ['Light Bulbs'] },
  'smart bulb': { nouns: ['Smart Bulb'] },
};

/** Kinds that come in colours (a `colour` variant), for "black sneakers"-style queries. */
export const COLOURED_KINDS: readonly string[] = [
  'headphones',
  'earbuds',
  'smartphone',
  'sneakers',
  'dress',
  'jacket',
  't-shirt',
  'coat',
  'backpack',
  'sofa',
  'watch',
  'handbag',
  'laptop',
  'tent',
];

/** Single-word colours a shopper types; a variant matches when its colour contains the word. */
export const COLOURS: readonly string[] = [
  'black',
  'white',
  'silver',
  'grey',
  'navy',
  'red',
  'green',
  'blue',
  'brown',
];

/**
 * Words shoppers use for a kind the catalog names otherwise (or names two ways): the synonym
 * queries ask with the shopper's word and are judged by the kinds it means. The search's own
 * list (libs/search-index) is not read: the set must judge it, not mirror it.
 */
export const SYNONYMS: readonly { word: string; means: readonly string[] }[] = [
  { word: 'notebook', means: ['laptop'] },
  { word: 'television', means: ['tv'] },
  { word: 'mobile phone', means: ['smartphone'] },
  { word: 'cell phone', means: ['smartphone'] },
  { word: 'earphones', means: ['earbuds', 'headphones'] },
  { word: 'couch', means: ['sofa'] },
  { word: 'trainers', means: ['sneakers'] },
  { word: 'sweatshirt', means: ['hoodie'] },
  { word: 'tee', means: ['t-shirt'] },
  { word: 'purse', means: ['handbag'] },
  { word: 'bookshelf', means: ['bookcase'] },
  { word: 'comforter', means: ['duvet'] },
  { word: 'sunblock', means: ['sunscreen'] },
  { word: 'usb stick', means: ['flash drive'] },
  { word: 'skillet', means: ['frying pan'] },
  { word: 'sweatpants', means: ['joggers'] },
  { word: 'moisturizer', means: ['moisturiser'] },
  { word: 'quadcopter', means: ['drone'] },
  { word: 'coffee machine', means: ['coffee maker'] },
  { word: 'desk chair', means: ['office chair'] },
  { word: 'wristwatch', means: ['watch'] },
  { word: 'rucksack', means: ['backpack'] },
];

/**
 * "16gb laptop"-style queries from real spec and variant values: `value` is what the shopper
 * named, found (as whole words, any case) in a spec value or a variant attribute of the product.
 */
export const SPEC_QUERIES: readonly { q: string; kind: string; value: string }[] = [
  { q: '16gb laptop', kind: 'laptop', value: '16GB' },
  { q: '32gb laptop', kind: 'laptop', value: '32GB' },
  { q: '1tb desktop', kind: 'desktop', value: '1TB' },
  { q: '256gb smartphone', kind: 'smartphone', value: '256GB' },
  { q: '512gb phone', kind: 'phone', value: '512GB' },
  { q: '128gb tablet', kind: 'tablet', value: '128GB' },
  { q: '1tb portable ssd', kind: 'portable ssd', value: '1TB' },
  { q: '128gb sd card', kind: 'sd card', value: '128GB' },
  { q: '64gb flash drive', kind: 'flash drive', value: '64GB' },
  { q: '4k tv', kind: 'tv', value: '4K' },
  { q: 'oled tv', kind: 'tv', value: 'OLED' },
  { q: '144 hz monitor', kind: 'monitor', value: '144 Hz' },
  { q: 'oled monitor', kind: 'monitor', value: 'OLED' },
  { q: 'full frame camera', kind: 'camera', value: 'full frame' },
  { q: 'bluetooth 5.3 speaker', kind: 'speaker', value: 'Bluetooth 5.3' },
  { q: 'cast iron frying pan', kind: 'frying pan', value: 'Cast iron' },
  { q: 'carbon steel wok', kind: 'wok', value: 'Carbon steel' },
  { q: 'solid oak dining table', kind: 'dining table', value: 'Solid oak' },
  { q: 'velvet sofa', kind: 'sofa', value: 'Velvet' },
  { q: 'walnut desk', kind: 'desk', value: 'Walnut' },
  { q: 'linen duvet cover', kind: 'duvet cover', value: 'Linen' },
  { q: 'king sheet set', kind: 'sheet set', value: 'King' },
  { q: 'denim jacket', kind: 'jacket', value: 'Denim' },
  { q: 'suede chelsea boot', kind: 'chelsea boot', value: 'Suede' },
  { q: 'sterling silver necklace', kind: 'necklace', value: 'Sterling silver' },
  { q: 'stainless steel watch', kind: 'watch', value: 'Stainless steel' },
  { q: '10 kg dumbbell', kind: 'dumbbell', value: '10 kg' },
  { q: '2-person tent', kind: 'tent', value: '2-person' },
  { q: 'vitamin c serum', kind: 'serum', value: 'Vitamin C' },
  { q: 'hyaluronic acid moisturiser', kind: 'moisturiser', value: 'Hyaluronic acid' },
  { q: 'matte lipstick', kind: 'lipstick', value: 'Matte' },
  { q: 'nintendo switch game', kind: 'game', value: 'Nintendo Switch' },
  { q: 'playstation 5 game', kind: 'game', value: 'PlayStation 5' },
  { q: 'cordless drill', kind: 'drill', value: 'Cordless' },
  { q: 'gu10 led bulb', kind: 'led bulb', value: 'GU10' },
  { q: 'zigbee smart bulb', kind: 'smart bulb', value: 'Zigbee' },
  { q: 'hardcover cookbook', kind: 'cookbook', value: 'Hardcover' },
];

/**
 * Category names asked as they are: parents (every product below them counts) and leaves. A
 * name shared by two leaves ("Jeans") means both. Names with "&" or a possessive are left out:
 * shoppers do not type "keyboards & mice".
 */
export const PARENT_CATEGORY_QUERIES: readonly string[] = [
  'Furniture',
  'Bedding',
  'Audio',
  'Fitness',
  'Skincare',
  'Power Tools',
];
