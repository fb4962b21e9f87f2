/** How products of one kind look: variant axes, price band (USD), specs and words for titles. */
export interface ProductProfile {
  /** Variant axes; `priceStep` raises the price per step along the axis (e.g. capacity). */
  axes: { name: string; values: readonly string[]; priceStep?: number }[];
  /** Price band of the cheapest variant, in whole US dollars. */
  priceUsd: readonly [number, number];
  specs: Readonly<Record<string, readonly string[]>>;
  adjectives: readonly string[];
}

const COLOURS = [
  'Black',
  'White',
  'Silver',
  'Graphite',
  'Navy',
  'Red',
  'Green',
  'Blue',
  'Beige',
  'Grey',
];
const APPAREL_SIZES = ['XS', 'S', 'M', 'L', 'XL', 'XXL'];
const SHOE_SIZES = [
  'EU 37',
  'EU 38',
  'EU 39',
  'EU 40',
  'EU 41',
  'EU 42',
  'EU 43',
  'EU 44',
  'EU 45',
  'EU 46',
];
const WARRANTY = ['1 year', '2 years', '3 years'];
const ORIGIN = [
  'China',
  'Vietnam',
  'Germany',
  'Japan',
  'USA',
  'Portugal',
  'Italy',
  'Taiwan',
  'Mexico',
];

const profile = (p: ProductProfile): ProductProfile => p;

export const PROFILES = {
  computer: profile({
    axes: [
      {
        name: 'configuration',
        values: ['8GB / 256GB', '16GB / 512GB', '32GB / 1TB', '64GB / 2TB'],
        priceStep: 0.3,
      },
      { name: 'colour', values: ['Space Grey', 'Silver', 'Black'] },
    ],
    priceUsd: [399, 2499],
    specs: {
      Processor: ['8-core 3.2 GHz', '10-core 4.0 GHz', '12-core 4.4 GHz', '6-core 2.8 GHz'],
      Display: ['13.3" 2560x1600', '14" 2880x1800', '15.6" 1920x1080', '16" 3456x2234', '27" 5K'],
      Battery: ['Up to 12 hours', 'Up to 18 hours', 'Up to 22 hours', 'Mains powered'],
      Weight: ['1.2 kg', '1.4 kg', '1.9 kg', '2.3 kg', '4.8 kg'],
      Warranty: WARRANTY,
    },
    adjectives: ['Pro', 'Air', 'Ultra', 'Studio', 'Creator', 'Slim', 'Performance'],
  }),
  gadget: profile({
    axes: [
      { name: 'storage', values: ['64GB', '128GB', '256GB', '512GB', '1TB'], priceStep: 0.18 },
      { name: 'colour', values: COLOURS.slice(0, 6) },
    ],
    priceUsd: [149, 1299],
    specs: {
      Display: ['6.1" OLED', '6.7" OLED', '10.9" LCD', '11" OLED', '5.8" LCD'],
      Battery: ['3,200 mAh', '4,500 mAh', '5,000 mAh', '8,000 mAh'],
      Connectivity: ['5G, Wi-Fi 6E', 'Wi-Fi 6, Bluetooth 5.3', '5G, Wi-Fi 7'],
      Warranty: WARRANTY,
    },
    adjectives: ['Pro', 'Max', 'Lite', 'Plus', 'Ultra', 'Mini', 'Edge'],
  }),
  accessory: profile({
    axes: [{ name: 'colour', values: COLOURS }],
    priceUsd: [9, 89],
    specs: {
      Material: ['Silicone', 'Aluminium', 'Recycled plastic', 'Tempered glass', 'Nylon'],
      Compatibility: ['Universal', 'USB-C devices', 'Most smartphones', 'Laptops up to 16"'],
      Warranty: ['6 months', '1 year'],
    },
    adjectives: ['Slim', 'Rugged', 'Fast', 'Magnetic', 'Compact', 'Braided', 'Essential'],
  }),
  audio: profile({
    axes: [{ name: 'colour', values: COLOURS.slice(0, 7) }],
    priceUsd: [29, 449],
    specs: {
      'Battery life': ['20 hours', '30 hours', '40 hours', 'Mains powered'],
      Connectivity: ['Bluetooth 5.3', 'Bluetooth 5.2, 3.5 mm', 'Wi-Fi, Bluetooth, HDMI eARC'],
      'Noise cancelling': ['Active', 'Passive', 'None'],
      Warranty: WARRANTY,
    },
    adjectives: ['Wireless', 'Studio', 'Bass', 'Pro', 'Sport', 'Noise-Cancelling', 'Premium'],
  }),
  screen: profile({
    axes: [
      {
        name: 'screen size',
        values: ['24"', '27"', '32"', '43"', '55"', '65"', '75"'],
        priceStep: 0.35,
      },
    ],
    priceUsd: [149, 1499],
    specs: {
      Resolution: ['1920x1080', '2560x1440', '3840x2160 (4K)', '7680x4320 (8K)'],
      'Refresh rate': ['60 Hz', '120 Hz', '144 Hz', '165 Hz'],
      Panel: ['IPS', 'VA', 'OLED', 'QLED', 'Mini-LED'],
      Warranty: WARRANTY,
    },
    adjectives: ['Ultra HD', 'Vision', 'Crystal', 'Cinema', 'Gaming', 'Smart', 'Neo'],
  }),
  camera: profile({
    axes: [
      {
        name: 'kit',
        values: ['Body only', 'With 18-55mm lens', 'With 24-105mm lens', 'Creator bundle'],
        priceStep: 0.25,
      },
    ],
    priceUsd: [199, 2999],
    specs: {
      Sensor: ['24 MP APS-C', '33 MP full frame', '45 MP full frame', '20 MP 1-inch'],
      Video: ['4K 60p', '4K 120p', '6K 30p', '1080p 240p'],
      Stabilisation: ['5-axis in-body', 'Optical', 'Electronic'],
      Warranty: WARRANTY,
    },
    adjectives: ['Pro', 'Mirrorless', 'Action', 'Vlog', 'Compact', 'Explorer'],
  }),
  storage: profile({
    axes: [
      {
        name: 'capacity',
        values: ['64GB', '128GB', '256GB', '512GB', '1TB', '2TB'],
        priceStep: 0.45,
      },
    ],
    priceUsd: [9, 199],
    specs: {
      'Read speed': ['100 MB/s', '170 MB/s', '1,050 MB/s', '2,000 MB/s'],
      Interface: ['USB 3.2 Gen 2', 'USB-C', 'UHS-I', 'UHS-II', 'NVMe'],
      Warranty: ['2 years', '5 years', 'Lifetime limited'],
    },
    adjectives: ['Extreme', 'Pro', 'Ultra', 'Rugged', 'Portable', 'Select'],
  }),
  appliance: profile({
    axes: [
      {
        name: 'finish',
        values: ['Stainless Steel', 'Matte Black', 'White', 'Copper', 'Sage Green'],
      },
    ],
    priceUsd: [29, 499],
    specs: {
      Power: ['800 W', '1,200 W', '1,500 W', '1,800 W'],
      Capacity: ['1 L', '1.5 L', '4 L', '5.5 L', '12 cups'],
      Voltage: ['110-120 V', '220-240 V'],
      Warranty: WARRANTY,
    },
    adjectives: ['Smart', 'Pro', 'Compact', 'Deluxe', 'Digital', 'Classic', 'Express'],
  }),
  cookware: profile({
    axes: [{ name: 'size', values: ['20 cm', '24 cm', '28 cm', '32 cm'], priceStep: 0.15 }],
    priceUsd: [15, 249],
    specs: {
      Material: [
        'Stainless steel',
        'Cast iron',
        'Hard-anodised aluminium',
        'Carbon steel',
        'Ceramic',
      ],
      'Dishwasher safe': ['Yes', 'No'],
      'Induction ready': ['Yes', 'No'],
      'Made in': ORIGIN,
    },
    adjectives: ['Classic', 'Professional', 'Everyday', 'Chef', 'Heritage', 'Non-Stick'],
  }),
  furniture: profile({
    axes: [
      {
        name: 'colour',
        values: ['Oak', 'Walnut', 'White', 'Black', 'Grey Fabric', 'Blue Velvet', 'Natural'],
      },
    ],
    priceUsd: [59, 1899],
    specs: {
      Material: ['Solid oak', 'Engineered wood', 'Steel frame', 'Velvet upholstery', 'Rattan'],
      Dimensions: ['80 x 40 x 75 cm', '120 x 60 x 75 cm', '210 x 90 x 85 cm', '60 x 60 x 110 cm'],
      Assembly: ['Required', 'Not required'],
      'Made in': ORIGIN,
    },
    adjectives: [
      'Nordic',
      'Modern',
      'Mid-Century',
      'Classic',
      'Ergonomic',
      'Industrial',
      'Coastal',
    ],
  }),
  textile: profile({
    axes: [
      { name: 'size', values: ['Single', 'Double', 'Queen', 'King'], priceStep: 0.15 },
      { name: 'colour', values: ['White', 'Ivory', 'Grey', 'Sage', 'Navy', 'Terracotta'] },
    ],
    priceUsd: [19, 299],
    specs: {
      Material: ['100% cotton', 'Linen', 'Bamboo lyocell', 'Microfibre', 'Wool blend'],
      'Thread count': ['300', '400', '600', 'n/a'],
      Care: ['Machine wash 40°C', 'Machine wash 60°C', 'Dry clean only'],
    },
    adjectives: ['Soft', 'Luxury', 'Organic', 'Cooling', 'Hotel', 'Cosy', 'Washed'],
  }),
  decor: profile({
    axes: [
      { name: 'colour', values: ['Brass', 'Black', 'White', 'Natural', 'Terracotta', 'Green'] },
    ],
    priceUsd: [12, 399],
    specs: {
      Material: ['Ceramic', 'Glass', 'Brass', 'Wool', 'Jute', 'Soy wax', 'Canvas'],
      Dimensions: ['20 x 20 cm', '40 x 60 cm', '160 x 230 cm', '35 cm tall'],
      'Made in': ORIGIN,
    },
    adjectives: ['Handmade', 'Modern', 'Boho', 'Minimalist', 'Vintage', 'Scandi'],
  }),
  apparel: profile({
    axes: [
      { name: 'size', values: APPAREL_SIZES },
      { name: 'colour', values: COLOURS },
    ],
    priceUsd: [12, 249],
    specs: {
      Material: [
        '100% cotton',
        'Organic cotton',
        'Cotton/elastane',
        'Merino wool',
        'Recycled polyester',
        'Denim',
      ],
      Fit: ['Regular', 'Slim', 'Relaxed', 'Oversized'],
      Care: ['Machine wash 30°C', 'Machine wash 40°C', 'Hand wash'],
      'Made in': ORIGIN,
    },
    adjectives: ['Classic', 'Essential', 'Relaxed', 'Slim-Fit', 'Organic', 'Heritage', 'Everyday'],
  }),
  shoes: profile({
    axes: [
      { name: 'size', values: SHOE_SIZES },
      { name: 'colour', values: ['Black', 'White', 'Brown', 'Navy', 'Grey', 'Tan'] },
    ],
    priceUsd: [39, 329],
    specs: {
      Upper: ['Leather', 'Suede', 'Knit mesh', 'Canvas', 'Synthetic'],
      Sole: ['Rubber', 'EVA foam', 'Leather', 'Vibram'],
      'Made in': ORIGIN,
    },
    adjectives: ['Classic', 'Runner', 'Trail', 'Urban', 'Leather', 'Retro', 'Comfort'],
  }),
  accessoryFashion: profile({
    axes: [
      { name: 'colour', values: ['Black', 'Brown', 'Tan', 'Gold', 'Silver', 'Rose Gold', 'Navy'] },
    ],
    priceUsd: [19, 599],
    specs: {
      Material: ['Full-grain leather', 'Stainless steel', 'Sterling silver', 'Acetate', 'Canvas'],
      Dimensions: ['One size', '40 mm', '42 mm', '30 x 20 x 10 cm'],
      Warranty: ['1 year', '2 years'],
    },
    adjectives: ['Classic', 'Minimal', 'Heritage', 'Signature', 'Chrono', 'Everyday'],
  }),
  fitness: profile({
    axes: [{ name: 'weight', values: ['2 kg', '5 kg', '10 kg', '15 kg', '20 kg'], priceStep: 0.3 }],
    priceUsd: [15, 1499],
    specs: {
      Material: ['Cast iron', 'Natural rubber', 'TPE', 'Steel', 'Neoprene'],
      'Max user weight': ['120 kg', '150 kg', '180 kg', 'n/a'],
      Warranty: WARRANTY,
    },
    adjectives: ['Pro', 'Home', 'Power', 'Studio', 'Adjustable', 'Compact'],
  }),
  outdoor: profile({
    axes: [
      { name: 'size', values: ['S', 'M', 'L', '1-person', '2-person', '4-person'] },
      { name: 'colour', values: ['Olive', 'Orange', 'Blue', 'Black', 'Sand'] },
    ],
    priceUsd: [19, 899],
    specs: {
      Weight: ['350 g', '1.1 kg', '2.4 kg', '4.2 kg'],
      Material: ['Ripstop nylon', 'Aluminium', 'Carbon fibre', 'Polyester 68D'],
      'Water resistance': ['IPX4', '3,000 mm', '5,000 mm', 'n/a'],
      Warranty: WARRANTY,
    },
    adjectives: ['Trail', 'Summit', 'Alpine', 'Explorer', 'Ultralight', 'Expedition'],
  }),
  beauty: profile({
    axes: [{ name: 'volume', values: ['30 ml', '50 ml', '100 ml', '200 ml'], priceStep: 0.4 }],
    priceUsd: [6, 149],
    specs: {
      'Skin type': ['All skin types', 'Dry', 'Oily', 'Sensitive', 'Combination'],
      'Key ingredient': [
        'Hyaluronic acid',
        'Vitamin C',
        'Niacinamide',
        'Retinol',
        'Shea butter',
        'Argan oil',
      ],
      'Cruelty free': ['Yes', 'No'],
    },
    adjectives: ['Hydrating', 'Radiance', 'Gentle', 'Intense', 'Daily', 'Botanical', 'Repair'],
  }),
  shade: profile({
    axes: [{ name: 'shade', values: ['Ivory', 'Nude', 'Rose', 'Coral', 'Berry', 'Ruby', 'Mocha'] }],
    priceUsd: [8, 69],
    specs: {
      Finish: ['Matte', 'Satin', 'Dewy', 'Gloss'],
      'Cruelty free': ['Yes', 'No'],
      Volume: ['3.5 g', '10 ml', '30 ml'],
    },
    adjectives: ['Velvet', 'Long-Wear', 'Silk', 'Glow', 'Bold', 'Natural'],
  }),
  toy: profile({
    axes: [{ name: 'edition', values: ['Standard', 'Deluxe', 'Collector'], priceStep: 0.5 }],
    priceUsd: [9, 199],
    specs: {
      'Recommended age': ['3+', '6+', '8+', '12+', '14+'],
      Pieces: ['1', '24', '500', '1,000', '1,500', '2,354'],
      Batteries: ['Not required', '2 x AA (included)', 'Rechargeable'],
    },
    adjectives: ['Classic', 'Adventure', 'Mega', 'Junior', 'Family', 'Turbo', 'Creative'],
  }),
  book: profile({
    axes: [{ name: 'format', values: ['Paperback', 'Hardcover', 'Audiobook', 'eBook'] }],
    priceUsd: [7, 45],
    specs: {
      Pages: ['192', '288', '352', '464', '624'],
      Language: ['English'],
      Publisher: ['Harbor House', 'Northlight Press', 'Blue Finch', 'Meridian Books'],
    },
    adjectives: ['Complete', 'Illustrated', 'Essential', 'New', 'Definitive', 'Little'],
  }),
  media: profile({
    axes: [{ name: 'edition', values: ['Standard', 'Deluxe', 'Limited'], priceStep: 0.4 }],
    priceUsd: [14, 499],
    specs: {
      Platform: ['PlayStation 5', 'Xbox Series X|S', 'Nintendo Switch', 'PC', 'Vinyl', 'CD'],
      Rating: ['PEGI 3', 'PEGI 12', 'PEGI 16', 'PEGI 18', 'n/a'],
      'Release year': ['2022', '2023', '2024', '2025', '2026'],
    },
    adjectives: ['Ultimate', 'Legends', 'Remastered', 'Anniversary', 'Greatest', 'Origins'],
  }),
  tool: profile({
    axes: [
      {
        name: 'kit',
        values: ['Tool only', 'With 1 battery', 'With 2 batteries & case'],
        priceStep: 0.35,
      },
    ],
    priceUsd: [12, 449],
    specs: {
      Voltage: ['12 V', '18 V', '20 V', '36 V', 'n/a'],
      Power: ['Cordless', 'Corded 600 W', 'Corded 1,200 W', 'Manual'],
      Warranty: ['2 years', '3 years', '5 years', 'Lifetime'],
    },
    adjectives: ['Pro', 'Heavy-Duty', 'Compact', 'Brushless', 'Precision', 'Max'],
  }),
  lighting: profile({
    axes: [{ name: 'pack', values: ['1 pack', '2 pack', '4 pack', '8 pack'], priceStep: 0.6 }],
    priceUsd: [5, 129],
    specs: {
      'Colour temperature': ['2700 K', '4000 K', '6500 K', 'Tunable white + colour'],
      Fitting: ['E27', 'E14', 'GU10', 'B22', 'Strip'],
      'Smart home': ['Matter', 'Zigbee', 'Wi-Fi', 'None'],
    },
    adjectives: ['Smart', 'Warm', 'Bright', 'Eco', 'Colour', 'Dimmable'],
  }),
} as const satisfies Record<string, ProductProfile>;

export type ProfileKey = keyof typeof PROFILES;
