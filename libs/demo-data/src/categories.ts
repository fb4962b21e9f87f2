import type { ProfileKey } from './profiles';

export interface DemoCategory {
  categoryId: string;
  name: string;
  slug: string;
  parentId: string | null;
  /** Ids from the department down to this category (inclusive). */
  path: string[];
  depth: number;
  children: DemoCategory[];
  /** Leaves only: what products in it look like. */
  profile?: ProfileKey;
  nouns?: string[];
}

interface Def {
  name: string;
  children?: Def[];
  profile?: ProfileKey;
  nouns?: string[];
  brands?: string[];
}

const leaf = (name: string, profile: ProfileKey, ...nouns: string[]): Def => ({
  name,
  profile,
  nouns,
});
const node = (name: string, ...children: Def[]): Def => ({ name, children });
const department = (name: string, brands: string[], ...children: Def[]): Def => ({
  name,
  brands,
  children,
});

const TREE: Def[] = [
  department(
    'Electronics',
    ['Voltix', 'Nimbus', 'Arclight', 'Sonora', 'Pixelon', 'Quantra'],
    node(
      'Computers',
      leaf('Laptops', 'computer', 'Laptop', 'Notebook'),
      leaf('Desktops', 'computer', 'Desktop', 'Mini PC', 'Tower'),
      leaf('Monitors', 'screen', 'Monitor', 'Display'),
      leaf('Tablets', 'gadget', 'Tablet'),
      leaf('Keyboards & Mice', 'accessory', 'Keyboard', 'Mouse', 'Trackpad'),
    ),
    node(
      'Phones & Accessories',
      leaf('Smartphones', 'gadget', 'Smartphone', 'Phone'),
      leaf('Phone Cases', 'accessory', 'Case', 'Folio Case'),
      leaf('Chargers & Cables', 'accessory', 'Charger', 'USB-C Cable', 'Power Bank'),
      leaf('Screen Protectors', 'accessory', 'Screen Protector'),
    ),
    node(
      'Audio',
      leaf('Headphones', 'audio', 'Headphones', 'Over-Ear Headphones'),
      leaf('Earbuds', 'audio', 'Earbuds', 'In-Ear Buds'),
      leaf('Speakers', 'audio', 'Speaker', 'Portable Speaker'),
      leaf('Soundbars', 'audio', 'Soundbar'),
    ),
    node(
      'TV & Video',
      leaf('Televisions', 'screen', 'TV', 'Smart TV'),
      leaf('Projectors', 'screen', 'Projector'),
      leaf('Streaming Devices', 'accessory', 'Streaming Stick', 'Media Player'),
    ),
    node(
      'Cameras',
      leaf('Digital Cameras', 'camera', 'Camera', 'Mirrorless Camera'),
      leaf('Action Cameras', 'camera', 'Action Cam'),
      leaf('Drones', 'camera', 'Drone'),
      leaf('Camera Lenses', 'camera', 'Lens', 'Zoom Lens'),
    ),
    node(
      'Data Storage',
      leaf('Memory Cards', 'storage', 'microSD Card', 'SD Card'),
      leaf('USB Flash Drives', 'storage', 'Flash Drive'),
      leaf('External SSDs', 'storage', 'Portable SSD', 'External SSD'),
    ),
  ),
  department(
    'Home & Kitchen',
    ['Hearthstone', 'Maison Clair', 'Copperleaf', 'Nordhaven', 'Willow & Oak'],
    node(
      'Kitchen',
      leaf('Cookware', 'cookware', 'Frying Pan', 'Saucepan', 'Dutch Oven', 'Wok'),
      leaf('Kitchen Knives', 'cookware', "Chef's Knife", 'Santoku Knife', 'Knife Block'),
      node(
        'Small Appliances',
        leaf('Blenders', 'appliance', 'Blender', 'Smoothie Maker'),
        leaf('Coffee Makers', 'appliance', 'Coffee Maker', 'Espresso Machine'),
        leaf('Air Fryers', 'appliance', 'Air Fryer'),
        leaf('Toasters', 'appliance', 'Toaster'),
        leaf('Kettles', 'appliance', 'Kettle'),
      ),
    ),
    node(
      'Furniture',
      leaf('Sofas', 'furniture', 'Sofa', 'Loveseat'),
      leaf('Desks', 'furniture', 'Desk', 'Standing Desk'),
      leaf('Office Chairs', 'furniture', 'Office Chair', 'Task Chair'),
      leaf('Bookcases', 'furniture', 'Bookcase', 'Shelving Unit'),
      leaf('Dining Tables', 'furniture', 'Dining Table'),
    ),
    node(
      'Bedding',
      leaf('Bed Sheets', 'textile', 'Sheet Set', 'Fitted Sheet'),
      leaf('Duvets', 'textile', 'Duvet', 'Duvet Cover'),
      leaf('Pillows', 'textile', 'Pillow'),
    ),
    node(
      'Home Decor',
      leaf('Lamps', 'decor', 'Table Lamp', 'Floor Lamp'),
      leaf('Rugs', 'decor', 'Rug', 'Runner'),
      leaf('Wall Art', 'decor', 'Print', 'Canvas'),
      leaf('Candles', 'decor', 'Candle', 'Scented Candle'),
    ),
  ),
  department(
    'Fashion',
    ['Northwind', 'Atelier Rue', 'Kestrel', 'Blue Harbor', 'Solstice', 'Marlowe'],
    node(
      'Men',
      node(
        'Clothing',
        leaf('T-Shirts', 'apparel', 'T-Shirt', 'Crew Tee'),
        leaf('Shirts', 'apparel', 'Oxford Shirt', 'Linen Shirt'),
        leaf('Jeans', 'apparel', 'Jeans', 'Denim'),
        leaf('Jackets', 'apparel', 'Jacket', 'Bomber Jacket', 'Parka'),
      ),
      node(
        'Shoes',
        leaf('Sneakers', 'shoes', 'Sneaker', 'Trainer'),
        leaf('Boots', 'shoes', 'Boot', 'Chelsea Boot'),
        leaf('Dress Shoes', 'shoes', 'Oxford', 'Derby', 'Loafer'),
      ),
      node(
        'Accessories',
        leaf('Watches', 'accessoryFashion', 'Watch', 'Chronograph'),
        leaf('Belts', 'accessoryFashion', 'Belt'),
        leaf('Wallets', 'accessoryFashion', 'Wallet', 'Cardholder'),
      ),
    ),
    node(
      'Women',
      node(
        'Clothing',
        leaf('Dresses', 'apparel', 'Dress', 'Midi Dress', 'Wrap Dress'),
        leaf('Tops', 'apparel', 'Top', 'Blouse'),
        leaf('Jeans', 'apparel', 'Jeans', 'Wide-Leg Jeans'),
        leaf('Coats', 'apparel', 'Coat', 'Trench Coat'),
      ),
      node(
        'Shoes',
        leaf('Sneakers', 'shoes', 'Sneaker', 'Trainer'),
        leaf('Heels', 'shoes', 'Heel', 'Pump'),
        leaf('Boots', 'shoes', 'Ankle Boot', 'Knee Boot'),
        leaf('Sandals', 'shoes', 'Sandal', 'Slide'),
      ),
      node(
        'Accessories',
        leaf('Handbags', 'accessoryFashion', 'Handbag', 'Tote', 'Crossbody Bag'),
        leaf('Jewelry', 'accessoryFashion', 'Necklace', 'Bracelet', 'Earrings'),
        leaf('Sunglasses', 'accessoryFashion', 'Sunglasses'),
      ),
    ),
    node(
      'Kids',
      leaf("Boys' Clothing", 'apparel', 'Hoodie', 'T-Shirt', 'Joggers'),
      leaf("Girls' Clothing", 'apparel', 'Dress', 'Leggings', 'Cardigan'),
      leaf('Baby Clothing', 'apparel', 'Bodysuit', 'Sleepsuit'),
      leaf("Kids' Shoes", 'shoes', 'Sneaker', 'Sandal'),
    ),
  ),
  department(
    'Sports & Outdoors',
    ['Summit Peak', 'Trailforge', 'Velocita', 'Ironclad', 'Aqualine'],
    node(
      'Fitness',
      leaf('Yoga Mats', 'fitness', 'Yoga Mat'),
      leaf('Dumbbells', 'fitness', 'Dumbbell Set', 'Adjustable Dumbbell'),
      leaf('Treadmills', 'fitness', 'Treadmill'),
      leaf('Resistance Bands', 'fitness', 'Resistance Band Set'),
    ),
    node(
      'Cycling',
      leaf('Bikes', 'outdoor', 'Road Bike', 'Gravel Bike', 'City Bike'),
      leaf('Bike Helmets', 'outdoor', 'Helmet'),
      leaf('Bike Lights', 'lighting', 'Bike Light Set'),
    ),
    node(
      'Camping & Hiking',
      leaf('Tents', 'outdoor', 'Tent', 'Backpacking Tent'),
      leaf('Sleeping Bags', 'outdoor', 'Sleeping Bag'),
      leaf('Backpacks', 'outdoor', 'Backpack', 'Daypack'),
      leaf('Camping Stoves', 'outdoor', 'Camp Stove'),
    ),
    node(
      'Team Sports',
      leaf('Football', 'toy', 'Football', 'Training Ball'),
      leaf('Basketball', 'toy', 'Basketball'),
      leaf('Tennis', 'fitness', 'Tennis Racket'),
    ),
  ),
  department(
    'Beauty & Personal Care',
    ['Lumière', 'Verdant', 'Pure Ritual', 'Aurelia'],
    node(
      'Skincare',
      leaf('Moisturisers', 'beauty', 'Moisturiser', 'Day Cream'),
      leaf('Cleansers', 'beauty', 'Cleanser', 'Face Wash'),
      leaf('Serums', 'beauty', 'Serum'),
      leaf('Sunscreen', 'beauty', 'Sunscreen SPF 50', 'Sun Fluid SPF 30'),
    ),
    node(
      'Hair Care',
      leaf('Shampoo', 'beauty', 'Shampoo'),
      leaf('Conditioner', 'beauty', 'Conditioner'),
      leaf('Hair Dryers', 'appliance', 'Hair Dryer'),
    ),
    node(
      'Makeup',
      leaf('Lipstick', 'shade', 'Lipstick', 'Lip Tint'),
      leaf('Foundation', 'shade', 'Foundation'),
      leaf('Mascara', 'shade', 'Mascara'),
    ),
    node(
      'Fragrance',
      leaf('Perfume', 'beauty', 'Eau de Parfum'),
      leaf('Cologne', 'beauty', 'Eau de Toilette'),
    ),
  ),
  department(
    'Toys & Games',
    ['Brickhouse', 'Playful Owl', 'Zoomster', 'Tinker & Co'],
    node(
      'Toys',
      leaf('Building Sets', 'toy', 'Building Set', 'Construction Kit'),
      leaf('Dolls', 'toy', 'Doll', 'Dollhouse'),
      leaf('Action Figures', 'toy', 'Action Figure'),
      leaf('RC Vehicles', 'toy', 'RC Car', 'RC Truck'),
    ),
    node(
      'Games & Puzzles',
      leaf('Board Games', 'toy', 'Board Game', 'Strategy Game'),
      leaf('Jigsaw Puzzles', 'toy', 'Jigsaw Puzzle'),
      leaf('Card Games', 'toy', 'Card Game'),
    ),
    node(
      'Baby & Toddler',
      leaf('Plush Toys', 'toy', 'Plush', 'Teddy Bear'),
      leaf('Stacking Toys', 'toy', 'Stacking Set'),
    ),
  ),
  department(
    'Books & Media',
    ['Harbor House', 'Northlight', 'Pixelforge', 'Groove Records'],
    node(
      'Books',
      leaf('Fiction', 'book', 'Novel', 'Thriller'),
      leaf('Non-Fiction', 'book', 'Biography', 'History'),
      leaf("Children's Books", 'book', 'Picture Book', 'Storybook'),
      leaf('Cookbooks', 'book', 'Cookbook'),
      leaf('Comics', 'book', 'Graphic Novel'),
    ),
    node('Music', leaf('Vinyl', 'media', 'Vinyl LP'), leaf('CDs', 'media', 'Album')),
    node(
      'Video Games',
      leaf('Console Games', 'media', 'Game'),
      leaf('Consoles', 'media', 'Console'),
      leaf('Gaming Accessories', 'accessory', 'Controller', 'Gaming Headset'),
    ),
  ),
  department(
    'Tools & Home Improvement',
    ['Forgeline', 'Stanwick', 'Brightway', 'Torqmaster'],
    node(
      'Power Tools',
      leaf('Drills', 'tool', 'Drill Driver', 'Hammer Drill'),
      leaf('Saws', 'tool', 'Circular Saw', 'Jigsaw'),
      leaf('Sanders', 'tool', 'Orbital Sander'),
    ),
    node(
      'Hand Tools',
      leaf('Screwdrivers', 'tool', 'Screwdriver Set'),
      leaf('Wrenches', 'tool', 'Wrench Set', 'Socket Set'),
      leaf('Tool Boxes', 'tool', 'Tool Box'),
    ),
    node(
      'Lighting',
      leaf('Light Bulbs', 'lighting', 'LED Bulb'),
      leaf('Smart Lighting', 'lighting', 'Smart Bulb', 'Light Strip'),
    ),
  ),
];

export const slugify = (name: string): string =>
  name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

function build(): {
  roots: DemoCategory[];
  byId: Map<string, DemoCategory>;
  brandsByDepartment: Map<string, string[]>;
} {
  // First pass: count slugs so a repeated name (Men > Shoes, Women > Shoes) gets its parent's id as prefix.
  const slugCounts = new Map<string, number>();
  const count = (defs: Def[]) =>
    defs.forEach((d) => {
      slugCounts.set(slugify(d.name), (slugCounts.get(slugify(d.name)) ?? 0) + 1);
      count(d.children ?? []);
    });
  count(TREE);
  const byId = new Map<string, DemoCategory>();
  const brandsByDepartment = new Map<string, string[]>();
  const make = (def: Def, parent: DemoCategory | null): DemoCategory => {
    const slug = slugify(def.name);
    const categoryId = parent && slugCounts.get(slug)! > 1 ? `${parent.categoryId}-${slug}` : slug;
    if (byId.has(categoryId)) throw new Error(`Duplicate category id ${categoryId}`);
    const category: DemoCategory = {
      categoryId,
      name: def.name,
      slug,
      parentId: parent?.categoryId ?? null,
      path: [...(parent?.path ?? []), categoryId],
      depth: (parent?.depth ?? 0) + 1,
      children: [],
      ...(def.profile ? { profile: def.profile, nouns: def.nouns } : {}),
    };
    byId.set(categoryId, category);
    if (def.brands) brandsByDepartment.set(categoryId, def.brands);
    category.children = (def.children ?? []).map((child) => make(child, category));
    return category;
  };
  const roots = TREE.map((def) => make(def, null));
  return { roots, byId, brandsByDepartment };
}

const built = build();

/** The demo category tree (departments first). Treat as read-only. */
export const DEMO_CATEGORIES: readonly DemoCategory[] = built.roots;
export const DEMO_CATEGORY_BY_ID: ReadonlyMap<string, DemoCategory> = built.byId;
/** Leaves in a stable order: products are assigned to these. */
export const DEMO_LEAF_CATEGORIES: readonly DemoCategory[] = [...built.byId.values()].filter(
  (c) => c.profile,
);
/** Brands per department id. */
export const DEMO_BRANDS_BY_DEPARTMENT: ReadonlyMap<string, readonly string[]> =
  built.brandsByDepartment;
export const DEMO_BRANDS: readonly string[] = [...built.brandsByDepartment.values()].flat();
