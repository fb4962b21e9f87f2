import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * True when a conditional write was refused because its condition did not hold. Checked by
 * name, so an error from another copy of the SDK (whose class `instanceof` would miss) counts.
 */
export function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/**
 * Writes `item` to `table` only if no item exists under its key (`attribute_not_exists` of
 * `keyAttribute`, any attribute of the table's key). Answers true when it wrote, false when an
 * item was already there (which is left untouched); any other failure is thrown.
 */
export async function putIfAbsent(
  doc: DynamoDBDocumentClient,
  table: string,
  keyAttribute: string,
  item: Record<string, unknown>,
): Promise<boolean> {
  return conditionalWrite(
    doc.send(
      new PutCommand({
        TableName: table,
        Item: item,
        ConditionExpression: 'attribute_not_exists(#key)',
        ExpressionAttributeNames: { '#key': keyAttribute },
      }),
    ),
  );
}

/**
 * Awaits a conditional write (Put, Update or Delete with a ConditionExpression): true when it
 * was applied, false when its condition did not hold (nothing was written); any other failure
 * is thrown. The one place that tells a refused condition from an error.
 */
export async function conditionalWrite(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}
