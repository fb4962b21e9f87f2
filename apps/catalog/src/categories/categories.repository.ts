import { Injectable } from '@nestjs/common';
import { DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed, TableNames } from '@mercato/persistence';
import { PRODUCTS_TABLE } from '../products/products.tables';

/** Partition of the Products table that holds the category tree, one item per category. */
export const CATEGORIES_PARTITION = '#categories';

export interface CategoryRecord {
  categoryId: string;
  name: string;
  slug: string;
  parentId: string | null;
  /** Order among siblings. */
  position: number;
  /** Products in this category and all its descendants. */
  productCount: number;
}

/** A category as the seeder writes it: a leaf also lists the ids of its products. */
export interface CategorySeedRecord extends CategoryRecord {
  productIds: string[];
}

/**
 * Category tree I/O: a small partition read in one paginated Query. A leaf category's item
 * holds the string set `productIds` of the products filed under it; adding and removing an id
 * are idempotent single-item updates, so the product writers keep counts right without
 * transactions (a re-run changes nothing). Counts of inner categories are the sums of their
 * children's (CategoriesService).
 */
@Injectable()
export class CategoriesRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
  ) {}

  /**
   * Writes a category of the demo tree, adding (never replacing) its products, so seeding again
   * keeps products that sellers filed under it since.
   */
  async upsertSeeded(category: CategorySeedRecord): Promise<void> {
    const { productIds, ...record } = category;
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const sets = Object.entries(record).map(([name, value]) => {
      names[`#${name}`] = name;
      values[`:${name}`] = value;
      return `#${name} = :${name}`;
    });
    let expression = `SET ${sets.join(', ')}`;
    if (productIds.length) {
      names['#ids'] = 'productIds';
      values[':ids'] = new Set(productIds);
      expression += ' ADD #ids :ids';
    }
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tables.of(PRODUCTS_TABLE),
        Key: { productId: CATEGORIES_PARTITION, variantId: category.categoryId },
        UpdateExpression: expression,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  /** Files a product under a leaf category (idempotent; nothing for an unknown category). */
  addProduct(categoryId: string, productId: string): Promise<void> {
    return this.updateMembers(categoryId, productId, 'ADD');
  }

  /** Takes a product out of a leaf category (idempotent). */
  removeProduct(categoryId: string, productId: string): Promise<void> {
    return this.updateMembers(categoryId, productId, 'DELETE');
  }

  private async updateMembers(
    categoryId: string,
    productId: string,
    action: 'ADD' | 'DELETE',
  ): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tables.of(PRODUCTS_TABLE),
          Key: { productId: CATEGORIES_PARTITION, variantId: categoryId },
          UpdateExpression: `${action} #ids :ids`,
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#ids': 'productIds', '#pk': 'productId' },
          ExpressionAttributeValues: { ':ids': new Set([productId]) },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  async findAll(): Promise<CategoryRecord[]> {
    const records: CategoryRecord[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tables.of(PRODUCTS_TABLE),
          KeyConditionExpression: 'productId = :p',
          ExpressionAttributeValues: { ':p': CATEGORIES_PARTITION },
          ExclusiveStartKey,
        }),
      );
      for (const item of out.Items ?? []) {
        records.push({
          categoryId: item.categoryId as string,
          name: item.name as string,
          slug: item.slug as string,
          parentId: (item.parentId as string | null | undefined) ?? null,
          position: item.position as number,
          // A leaf counts its product ids; a store seeded before they existed has only the count.
          productCount:
            item.productIds instanceof Set
              ? item.productIds.size
              : ((item.productCount as number | undefined) ?? 0),
        });
      }
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return records;
  }
}
