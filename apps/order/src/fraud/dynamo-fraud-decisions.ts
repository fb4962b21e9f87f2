import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { Injectable } from '@nestjs/common';
import { putIfAbsent, TableNames } from '@mercato/persistence';
import { FraudDecisions, type FraudDecisionRecord } from './fraud-decisions';
import { FRAUD_DECISIONS_TABLE } from './fraud.tables';

/** FraudDecisions on the order app's `fraud-decisions` table: one item per order, first wins. */
@Injectable()
export class DynamoFraudDecisions extends FraudDecisions {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
  ) {
    super();
  }

  private get table(): string {
    return this.tables.of(FRAUD_DECISIONS_TABLE);
  }

  async record(decision: FraudDecisionRecord): Promise<FraudDecisionRecord> {
    if (await putIfAbsent(this.doc, this.table, 'orderId', { ...decision })) return decision;
    const stored = await this.find(decision.orderId);
    if (!stored) throw new Error(`the fraud decision of order ${decision.orderId} is missing`);
    return stored;
  }

  async find(orderId: string): Promise<FraudDecisionRecord | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { orderId }, ConsistentRead: true }),
    );
    return Item as FraudDecisionRecord | undefined;
  }
}
