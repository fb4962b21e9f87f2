import type { CategoryNode } from '@mercato/contracts';
import { generateCatalog } from '@mercato/demo-data';
import { startCatalogTestApp, type CatalogTestApp } from '../../test/support/catalog-test-app';
import { CategoriesService } from './categories.service';

const PRODUCTS = 300;
let app: CatalogTestApp;

beforeAll(async () => {
  app = await startCatalogTestApp(PRODUCTS);
}, 60_000);
afterAll(() => app?.close());

const flatten = (nodes: CategoryNode[]): CategoryNode[] =>
  nodes.flatMap((n) => [n, ...flatten(n.children)]);
const depth = (nodes: CategoryNode[]): number =>
  nodes.length ? 1 + Math.max(...nodes.map((n) => depth(n.children))) : 0;

describe('CategoriesService', () => {
  it('lists a tree at least three levels deep whose counts add up', async () => {
    const roots = await app.moduleRef.get(CategoriesService).list();
    expect(roots.length).toBeGreaterThanOrEqual(6);
    expect(depth(roots)).toBeGreaterThanOrEqual(3);
    expect(roots.reduce((sum, r) => sum + r.productCount, 0)).toBe(PRODUCTS);
    for (const node of flatten(roots).filter((n) => n.children.length > 0)) {
      expect(node.children.reduce((sum, c) => sum + c.productCount, 0)).toBe(node.productCount);
    }
  });

  it('counts each leaf category exactly', async () => {
    const leaves = flatten(await app.moduleRef.get(CategoriesService).list()).filter(
      (n) => n.children.length === 0,
    );
    const expected = new Map<string, number>();
    for (const p of generateCatalog({ seed: 42, products: PRODUCTS }))
      expected.set(p.categoryId, (expected.get(p.categoryId) ?? 0) + 1);
    for (const leaf of leaves) expect(leaf.productCount).toBe(expected.get(leaf.categoryId) ?? 0);
  });

  it('keeps the tree in memory after the first load', async () => {
    const service = app.moduleRef.get(CategoriesService);
    expect(await service.list()).toBe(await service.list());
  });
});
