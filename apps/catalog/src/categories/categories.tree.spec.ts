import type { CategoryNode } from '@mercato/contracts';
import { CategoriesRepository, type CategoryRecord } from './categories.repository';
import { buildTree, CategoriesService } from './categories.service';

/**
 * The category tree's rules without a table: how records become a tree with counts, and what
 * CategoriesService answers from it (categories.service.spec.ts checks the seeded tree on
 * dynalite).
 */
const record = (
  categoryId: string,
  parentId: string | null,
  position: number,
  productCount = 0,
): CategoryRecord => ({
  categoryId,
  name: categoryId.toUpperCase(),
  slug: categoryId,
  parentId,
  position,
  productCount,
});

/** Electronics (computers (laptops 3, tablets 2), phones 4) and home (sofas 1), shuffled. */
const RECORDS: CategoryRecord[] = [
  record('sofas', 'home', 0, 1),
  record('phones', 'electronics', 1, 4),
  record('home', null, 1, 99),
  record('tablets', 'computers', 1, 2),
  record('electronics', null, 0, 99),
  record('laptops', 'computers', 0, 3),
  record('computers', 'electronics', 0, 99),
];

const shape = (nodes: CategoryNode[]): unknown[] =>
  nodes.map((n) =>
    n.children.length ? { [n.categoryId]: [n.productCount, shape(n.children)] } : n.productCount,
  );

describe('buildTree', () => {
  it('orders siblings by position and sums each inner category’s subtree, ignoring its stored count', () => {
    const { roots } = buildTree(RECORDS);
    expect(shape(roots)).toEqual([
      { electronics: [9, [{ computers: [5, [3, 2]] }, 4]] },
      { home: [1, [1]] },
    ]);
    expect(roots.map((r) => r.categoryId)).toEqual(['electronics', 'home']);
  });

  it('indexes every record by id with the counted total', () => {
    const { byId } = buildTree(RECORDS);
    expect(byId.get('computers')).toEqual({ ...record('computers', 'electronics', 0, 5) });
    expect(byId.get('laptops')?.productCount).toBe(3);
    expect(byId.size).toBe(RECORDS.length);
  });

  it('makes a root of a category whose parent is unknown', () => {
    const { roots } = buildTree([record('orphan', 'gone', 0, 7)]);
    expect(roots.map((r) => [r.categoryId, r.productCount])).toEqual([['orphan', 7]]);
  });
});

describe('CategoriesService on an in-memory tree', () => {
  let reads: number;
  let stored: CategoryRecord[];
  const service = () => {
    const repository = {
      findAll: async () => {
        reads++;
        return stored;
      },
    } as Pick<CategoriesRepository, 'findAll'>;
    return new CategoriesService(repository as CategoriesRepository, {
      CATALOG_CACHE_TTL_MS: 60_000,
    });
  };

  beforeEach(() => {
    reads = 0;
    stored = RECORDS;
  });

  it('answers a category’s path, department first, and nothing for an unknown one', async () => {
    const categories = service();
    expect((await categories.pathOf('tablets')).map((c) => c.categoryId)).toEqual([
      'electronics',
      'computers',
      'tablets',
    ]);
    expect(await categories.pathOf('nope')).toEqual([]);
  });

  it('files products only under leaves', async () => {
    const categories = service();
    expect(await categories.isLeaf('laptops')).toEqual({ exists: true, leaf: true });
    expect(await categories.isLeaf('computers')).toEqual({ exists: true, leaf: false });
    expect(await categories.isLeaf('nope')).toEqual({ exists: false, leaf: false });
  });

  it('reads the tree once, and again only after a count change or an invalidation', async () => {
    const categories = service();
    await categories.list();
    await categories.pathOf('laptops');
    expect(reads).toBe(1);
    categories.countsChanged();
    await categories.isLeaf('laptops'); // lookups keep the cached shape
    expect(reads).toBe(1);
    await categories.list();
    expect(reads).toBe(2);
    categories.invalidate();
    await categories.find('home');
    expect(reads).toBe(3);
  });

  it('does not keep an empty tree (a catalog not seeded yet)', async () => {
    stored = [];
    const categories = service();
    expect(await categories.list()).toEqual([]);
    stored = RECORDS;
    expect(await categories.list()).toHaveLength(2);
  });
});
