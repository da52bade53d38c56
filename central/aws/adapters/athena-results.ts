/**
 * Reading a finished Athena query: every page of GetQueryResults, the header row dropped, each cell
 * typed by the result set's ColumnInfo. And telling Athena's reasons for FAILED and CANCELLED apart.
 */
import { GetQueryResultsCommand, type AthenaClient, type QueryExecution, type Row } from '@aws-sdk/client-athena';
import type { QueryColumn, QueryValue } from '../../core/ports.js';
import { baseType, valueOfText } from '../../core/query/values.js';

/** The columns and rows of a result set. */
export interface AthenaRows {
  readonly columns: QueryColumn[];
  readonly rows: Record<string, QueryValue>[];
}

/**
 * Every page of a query's results. `send` wraps each call (retries, deadline); Athena repeats the
 * column labels as the first row of a SELECT's first page (a DML statement), so that row is dropped.
 */
export async function readAllResults(
  client: AthenaClient,
  queryExecutionId: string,
  statementType: string | undefined,
  send: <T>(call: () => Promise<T>) => Promise<T>,
  pageSize: number,
): Promise<AthenaRows> {
  let columns: QueryColumn[] | undefined;
  const rows: Record<string, QueryValue>[] = [];
  let nextToken: string | undefined;
  let first = true;
  do {
    const input = { QueryExecutionId: queryExecutionId, MaxResults: pageSize, ...(nextToken ? { NextToken: nextToken } : {}) };
    const page = await send(() => client.send(new GetQueryResultsCommand(input)));
    const known = (columns ??= (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => ({ name: c.Label ?? c.Name ?? '', type: baseType(c.Type ?? 'varchar') })));
    const pageRows = page.ResultSet?.Rows ?? [];
    const skip = first && statementType === 'DML' ? 1 : 0;
    for (const row of pageRows.slice(skip)) rows.push(decodeRow(row, known));
    nextToken = page.NextToken;
    first = false;
  } while (nextToken);
  return { columns: columns ?? [], rows };
}

function decodeRow(row: Row, columns: readonly QueryColumn[]): Record<string, QueryValue> {
  const out: Record<string, QueryValue> = {};
  columns.forEach((column, i) => {
    out[column.name] = valueOfText(column.type, row.Data?.[i]?.VarCharValue);
  });
  return out;
}

/** How Athena ended a query that did not succeed. */
export type AthenaEnding = { kind: 'bytes-limit' | 'failed' | 'cancelled'; reason: string };

// The per-query data usage control cancels a query past the workgroup's BytesScannedCutoffPerQuery
// ("If any query that runs in the workgroup exceeds the limit, it is canceled"). Its reason text is
// not documented, so the scanned bytes reaching the cutoff decide as well as the wording.
const BYTES_LIMIT_REASON = /bytes?[ -]scanned.*(limit|cutoff)|data (usage|scan(ned)?) (limit|control)|scan(ned)? limit/i;

/** Sorts a FAILED or CANCELLED execution we did not stop ourselves. */
export function endingOf(execution: QueryExecution, bytesScannedCutoff: number | undefined): AthenaEnding {
  const status = execution.Status;
  const reason = status?.AthenaError?.ErrorMessage ?? status?.StateChangeReason ?? `query ${status?.State?.toLowerCase() ?? 'ended'} without a reason`;
  const scanned = execution.Statistics?.DataScannedInBytes;
  const overCutoff = bytesScannedCutoff !== undefined && scanned !== undefined && scanned >= bytesScannedCutoff;
  const text = `${status?.StateChangeReason ?? ''} ${status?.AthenaError?.ErrorMessage ?? ''}`;
  if (BYTES_LIMIT_REASON.test(text) || overCutoff) return { kind: 'bytes-limit', reason };
  return { kind: status?.State === 'CANCELLED' ? 'cancelled' : 'failed', reason };
}
