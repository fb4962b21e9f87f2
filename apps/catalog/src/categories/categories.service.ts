import { Injectable } from '@nestjs/common';
import { InjectConfig } from '@mercato/config';
import type { CategoryNode } from '@mercato/contracts';
import { catalogSettings } from '../catalog.config';
import { CategoriesRepository, type CategoryRecord } from './categories.repository';

export interface CategoryTree {
  roots: CategoryNode[];
  byId: ReadonlyMap<string, CategoryRecord>;
}

/**
 * The category tree, kept in memory (about a hundred nodes) for CATALOG_CACHE_TTL_MS, so the
 * product counts other replicas change show within that time; this replica's own product writes
 * call `invalidate()`. An empty tree (not seeded yet) is not cached.
 */
@Injectable()
export class CategoriesService {
  private tree?: Promise<CategoryTree>;
  private loadedAt = 0;
  private countsStale = false;
  private readonly ttlMs: number;

  constructor(
    private readonly repository: CategoriesRepository,
    @InjectConfig() config: object,
  ) {
    this.ttlMs = catalogSettings(config).CATALOG_CACHE_TTL_MS;
  }

  async list(): Promise<CategoryNode[]> {
    if (this.countsStale) {
      this.countsStale = false;
      this.tree = undefined;
    }
    return (await this.load()).roots;
  }

  async find(categoryId: string): Promise<CategoryRecord | undefined> {
    return (await this.load()).byId.get(categoryId);
  }

  /** The category and its ancestors, department first. */
  async pathOf(categoryId: string): Promise<CategoryRecord[]> {
    const { byId } = await this.load();
    const path: CategoryRecord[] = [];
    for (let c = byId.get(categoryId); c; c = c.parentId ? byId.get(c.parentId) : undefined) {
      path.unshift(c);
    }
    return path;
  }

  /** Drops the cached tree (after seeding). */
  invalidate(): void {
    this.tree = undefined;
  }

  /**
   * A product write of this replica changed counts: the next `list()` reads them again. Lookups
   * (`find`, `pathOf`, `isLeaf`) keep the cached tree, whose shape product writes do not change.
   */
  countsChanged(): void {
    this.countsStale = true;
  }

  /** Whether `categoryId` exists and has no subcategories (products are filed under leaves). */
  async isLeaf(categoryId: string): Promise<{ exists: boolean; leaf: boolean }> {
    const { byId } = await this.load();
    if (!byId.has(categoryId)) return { exists: false, leaf: false };
    return { exists: true, leaf: ![...byId.values()].some((c) => c.parentId === categoryId) };
  }

  private load(): Promise<CategoryTree> {
    if (this.tree && Date.now() - this.loadedAt > this.ttlMs) this.tree = undefined;
    if (!this.tree) {
      this.loadedAt = Date.now();
      const loading = this.repository.findAll().then((records) => buildTree(records));
      this.tree = loading;
      loading.then(
        (tree) => {
          if (tree.byId.size === 0 && this.tree === loading) this.tree = undefined;
        },
        () => {
          if (this.tree === loading) this.tree = undefined;
        },
      );
    }
    return this.tree;
  }
}

export function buildTree(records: CategoryRecord[]): CategoryTree {
  const nodes = new Map<string, CategoryNode>(
    records.map((r) => [
      r.categoryId,
      {
        categoryId: r.categoryId,
        name: r.name,
        slug: r.slug,
        productCount: r.productCount,
        children: [],
      },
    ]),
  );
  const sorted = [...records].sort((a, b) => a.position - b.position);
  const roots: CategoryNode[] = [];
  for (const record of sorted) {
    const node = nodes.get(record.categoryId)!;
    const parent = record.parentId ? nodes.get(record.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  // Leaves count their own products; an inner category counts its subtree's.
  const total = (node: CategoryNode): number => {
    if (node.children.length > 0)
      node.productCount = node.children.reduce((sum, child) => sum + total(child), 0);
    return node.productCount;
  };
  roots.forEach(total);
  const counted = new Map(
    records.map((r) => [
      r.categoryId,
      { ...r, productCount: nodes.get(r.categoryId)!.productCount },
    ]),
  );
  return { roots, byId: counted };
}
