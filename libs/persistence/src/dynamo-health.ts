import { DescribeTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoHealth {
  up: boolean;
  detail: string;
}

/** Why a DynamoDB call failed, in words an operator can act on. */
export function describeDynamoError(error: unknown): string {
  const e = error as {
    name?: string;
    code?: string;
    message?: string;
    errors?: { code?: string }[];
  };
  const code = e?.code ?? e?.errors?.[0]?.code;
  const message = (e?.message || code || e?.name || String(error)).replace(
    /^AWS SDK error wrapper for (Error: )?/,
    '',
  );
  return code && !message.includes(code) ? `${code} ${message}` : message;
}

/**
 * Readiness of DynamoDB: a DescribeTable of `table` (the physical name of the first table the
 * process registered) with a short timeout; a process without tables of its own only checks
 * that the endpoint answers (ListTables). Down → `cannot reach DynamoDB at <url>: <reason>`.
 */
export async function checkDynamo(
  doc: DynamoDBDocumentClient,
  table: string | undefined,
  endpoint: string,
  timeoutMs = 2_000,
): Promise<DynamoHealth> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    if (table === undefined) {
      await Promise.race([
        doc.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: abort.signal }),
        timeout,
      ]);
      return { up: true, detail: `DynamoDB at ${endpoint} answers` };
    }
    const { Table } = await Promise.race([
      doc.send(new DescribeTableCommand({ TableName: table }), {
        abortSignal: abort.signal,
      }),
      timeout,
    ]);
    if (Table?.TableStatus !== 'ACTIVE') {
      return {
        up: false,
        detail: `DynamoDB at ${endpoint}: table ${table} is ${Table?.TableStatus}`,
      };
    }
    return { up: true, detail: `DynamoDB at ${endpoint}: table ${table} ACTIVE` };
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') {
      return { up: false, detail: `DynamoDB at ${endpoint} has no table ${table} yet` };
    }
    return {
      up: false,
      detail: `cannot reach DynamoDB at ${endpoint}: ${describeDynamoError(error)}`,
    };
  } finally {
    clearTimeout(timer);
  }
}
