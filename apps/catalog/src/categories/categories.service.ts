import { Injectable } from '@nestjs/common';
import type { CategoryNode } from '@mercato/contracts';
import { CategoriesRepository, type CategoryRecord } from './categories.repository';

export interface CategoryTree {
  roots: CategoryNode[];
  byId: ReadonlyMap<string, CategoryRecord>;
}

/**
 * The category tree, read once and kept in memory (about a hundred nodes). An empty tree (not
 * seeded yet) is not cached; `invalidate()` drops the cached one after writes.
 */
@Injectable()
export class CategoriesService {
  private tree?: Promise<CategoryTree>;

  constructor(private readonly repository: CategoriesRepository) {}

  async list(): Promise<CategoryNode[]> {
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

  invalidate(): void {
    this.tree = undefined;
  }

  private load(): Promise<CategoryTree> {
    if (!this.tree) {
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
  const byId = new Map(records.map((r) => [r.categoryId, r]));
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
  return { roots, byId };
}
