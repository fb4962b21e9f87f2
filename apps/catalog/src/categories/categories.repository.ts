import { Injectable } from '@nestjs/common';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { TableNames } from '@mercato/persistence';

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

/** Category tree I/O: a small partition read in one paginated Query. */
@Injectable()
export class CategoriesRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
  ) {}

  itemFor(category: CategoryRecord): Record<string, unknown> {
    return { productId: CATEGORIES_PARTITION, variantId: category.categoryId, ...category };
  }

  async findAll(): Promise<CategoryRecord[]> {
    const records: CategoryRecord[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tables.products,
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
          productCount: item.productCount as number,
        });
      }
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return records;
  }
}
