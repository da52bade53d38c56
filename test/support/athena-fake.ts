/**
 * A stand-in for Athena (there is no emulator), stubbed at the SDK boundary with aws-sdk-client-mock.
 * Every request is validated against the SDK's own API model plus the limits the Athena API reference
 * states; a request that fails is refused and kept in `invalid`, which tests assert empty.
 *
 * Queries are scripted by their exact SQL text. Parameters arrive as Athena receives them, SQL
 * literals, and are decoded as strictly as Athena's parser would: anything but one literal fails the
 * query, so a value spliced as SQL cannot pass for a bound one.
 */
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryExecutionInput$,
  GetQueryResultsCommand,
  GetQueryResultsInput$,
  StartQueryExecutionCommand,
  StartQueryExecutionInput$,
  StopQueryExecutionCommand,
  StopQueryExecutionInput$,
  TooManyRequestsException,
  type GetQueryResultsOutput,
  type QueryExecution,
  type StartQueryExecutionCommandInput,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { validateRequest, type SchemaRef } from './aws-model.js';

/** A scripted result: lowercase SQL types, values as our port returns them. */
export interface ScriptedRows {
  readonly columns: readonly { name: string; type: string }[];
  readonly rows: readonly Record<string, string | number | boolean | null>[];
}

/** How one scripted query behaves. */
export interface ScriptedQuery {
  /** States reported before the end, one per GetQueryExecution; `forever` keeps it RUNNING. @default ['QUEUED', 'RUNNING'] */
  readonly states?: readonly ('QUEUED' | 'RUNNING')[] | 'forever';
  /** The outcome: rows from the decoded parameters (throwing fails the query), or an ending. */
  readonly answer?: (parameters: readonly (string | number)[]) => ScriptedRows;
  readonly fail?: { reason: string; errorType?: number };
  readonly cancel?: { reason: string };
  readonly bytesScanned?: number;
  /** @default 'DML' */
  readonly statementType?: 'DML' | 'DDL' | 'UTILITY';
}

/** A stubbed Athena. */
export interface AthenaFake {
  readonly client: AthenaClient;
  /** StartQueryExecution inputs Athena accepted, in order. */
  readonly started: StartQueryExecutionCommandInput[];
  /** Query ids StopQueryExecution was called for. */
  readonly stopped: string[];
  /** Validation errors of refused requests (should stay empty). */
  readonly invalid: string[];
  /** Every call by operation name. */
  readonly calls: Record<string, number>;
  script(sql: string, query: ScriptedQuery): void;
  /** The next `times` calls of `operation` throw a throttling error. */
  throttle(operation: 'StartQueryExecution' | 'GetQueryExecution' | 'GetQueryResults', times: number, name?: 'TooManyRequestsException' | 'ThrottlingException'): void;
  restore(): void;
}

// Limits from the Athena API reference that the Smithy shapes do not carry.
const WORKGROUP = /^[a-zA-Z0-9._-]{1,128}$/;
const QUERY_ID = /^[a-f0-9-]{36}$/;
const MAX_QUERY_BYTES = 262_144;

function startLimits(input: StartQueryExecutionCommandInput): string[] {
  const e: string[] = [];
  const bytes = Buffer.byteLength(input.QueryString ?? '');
  if (bytes < 1 || bytes > MAX_QUERY_BYTES) e.push(`$.QueryString: expected 1-262144 bytes, got ${bytes}`);
  if (input.WorkGroup !== undefined && !WORKGROUP.test(input.WorkGroup)) e.push(`$.WorkGroup: not a workgroup name`);
  if (input.ExecutionParameters !== undefined) {
    if (input.ExecutionParameters.length < 1) e.push('$.ExecutionParameters: expected at least 1 parameter');
    input.ExecutionParameters.forEach((p, i) => p.length < 1 && e.push(`$.ExecutionParameters[${i}]: expected at least 1 character`));
  }
  const db = input.QueryExecutionContext?.Database;
  if (db !== undefined && (db.length < 1 || db.length > 255)) e.push('$.QueryExecutionContext.Database: expected 1-255 characters');
  return e;
}

const idLimits = (input: { QueryExecutionId?: string }): string[] =>
  input.QueryExecutionId !== undefined && !QUERY_ID.test(input.QueryExecutionId) ? [`$.QueryExecutionId: not a query execution id`] : [];

/** Decodes one ExecutionParameters entry the way Athena's parser reads a literal, or undefined if it is not exactly one. */
export function decodeLiteral(text: string): string | number | undefined {
  if (/^'(?:[^']|'')*'$/.test(text)) return text.slice(1, -1).replaceAll("''", "'");
  if (/^-?\d+$/.test(text)) return Number(text);
  if (/^-?\d+(\.\d+)?E[+-]?\d+$/.test(text)) return Number(text);
  return undefined;
}

const athenaError = (Name: string, message: string) => Object.assign(new Error(message), { name: Name, $fault: 'client', $metadata: {} });

/** Stubs Athena for every AthenaClient. */
export function fakeAthena(pageRows = 2): AthenaFake {
  const client = new AthenaClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' } });
  const mock = mockClient(client);
  const scripts = new Map<string, ScriptedQuery>();
  const runs = new Map<string, { script: ScriptedQuery; polls: number; stopped: boolean; result?: ScriptedRows; failure?: string }>();
  const started: StartQueryExecutionCommandInput[] = [];
  const stopped: string[] = [];
  const invalid: string[] = [];
  const calls: Record<string, number> = {};
  const throttles: Record<string, string[]> = {};

  const guard = (operation: string, schema: SchemaRef, input: object, extra: string[]) => {
    calls[operation] = (calls[operation] ?? 0) + 1;
    const errors = [...validateRequest(schema, input), ...extra];
    if (errors.length) {
      invalid.push(...errors.map((e) => `${operation} ${e}`));
      throw athenaError('InvalidRequestException', `invalid ${operation} request: ${errors.join('; ')}`);
    }
    const throttled = throttles[operation]?.shift();
    if (throttled === 'TooManyRequestsException') throw new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {}, Reason: 'CONCURRENT_QUERY_LIMIT_EXCEEDED' });
    if (throttled) throw athenaError(throttled, 'Rate exceeded');
  };

  mock.on(StartQueryExecutionCommand).callsFake(async (input: StartQueryExecutionCommandInput) => {
    guard('StartQueryExecution', StartQueryExecutionInput$, input, startLimits(input));
    const script = scripts.get(input.QueryString ?? '');
    if (!script) throw athenaError('InvalidRequestException', `unscripted query: ${input.QueryString}`);
    started.push(structuredClone(input));
    const id = `a1b2c3d4-0000-4000-8000-${String(started.length).padStart(12, '0')}`;
    const run: { script: ScriptedQuery; polls: number; stopped: boolean; result?: ScriptedRows; failure?: string } = { script, polls: 0, stopped: false };
    const values = (input.ExecutionParameters ?? []).map(decodeLiteral);
    const bad = values.findIndex((v) => v === undefined);
    if (bad >= 0) run.failure = `INVALID_LITERAL: line 1:1: parameter ${bad + 1} is not a literal: ${input.ExecutionParameters?.[bad]}`;
    else if (script.answer) {
      try {
        run.result = script.answer(values as (string | number)[]);
      } catch (error) {
        run.failure = (error as Error).message;
      }
    }
    runs.set(id, run);
    return { QueryExecutionId: id };
  });

  mock.on(GetQueryExecutionCommand).callsFake(async (input: { QueryExecutionId?: string }) => {
    guard('GetQueryExecution', GetQueryExecutionInput$, input, idLimits(input));
    const id = input.QueryExecutionId ?? '';
    const run = runs.get(id);
    if (!run) throw athenaError('InvalidRequestException', `QueryExecution ${id} was not found`);
    const { script } = run;
    const states = script.states ?? ['QUEUED', 'RUNNING'];
    const execution: QueryExecution = { QueryExecutionId: id, StatementType: script.statementType ?? 'DML', Statistics: {} };
    const scanned = script.bytesScanned ?? 0;
    let status: QueryExecution['Status'];
    if (run.stopped) status = { State: 'CANCELLED' };
    else if (states === 'forever' || run.polls < states.length) status = { State: states === 'forever' ? 'RUNNING' : states[run.polls] };
    else if (run.failure) status = { State: 'FAILED', StateChangeReason: run.failure, AthenaError: { ErrorCategory: 2, ErrorType: 1006, ErrorMessage: run.failure } };
    else if (script.fail) status = { State: 'FAILED', StateChangeReason: script.fail.reason, AthenaError: { ErrorCategory: 2, ErrorType: script.fail.errorType ?? 1000, ErrorMessage: script.fail.reason } };
    else if (script.cancel) status = { State: 'CANCELLED', StateChangeReason: script.cancel.reason };
    else status = { State: 'SUCCEEDED' };
    run.polls++;
    execution.Status = status;
    execution.Statistics = { DataScannedInBytes: status.State === 'SUCCEEDED' || script.cancel ? scanned : 0, TotalExecutionTimeInMillis: 1200 };
    return { QueryExecution: execution };
  });

  mock.on(GetQueryResultsCommand).callsFake(async (input: { QueryExecutionId?: string; NextToken?: string; MaxResults?: number }) => {
    const extra = [...idLimits(input), ...(input.MaxResults !== undefined && (input.MaxResults < 1 || input.MaxResults > 1000) ? ['$.MaxResults: expected 1-1000'] : [])];
    guard('GetQueryResults', GetQueryResultsInput$, input, extra);
    const run = runs.get(input.QueryExecutionId ?? '');
    if (!run?.result) throw athenaError('InvalidRequestException', 'Query has not yet finished');
    return resultPage(run.result, run.script.statementType ?? 'DML', Number(input.NextToken ?? 0), Math.min(pageRows, input.MaxResults ?? 1000));
  });

  mock.on(StopQueryExecutionCommand).callsFake(async (input: { QueryExecutionId?: string }) => {
    guard('StopQueryExecution', StopQueryExecutionInput$, input, idLimits(input));
    const run = runs.get(input.QueryExecutionId ?? '');
    if (run) run.stopped = true;
    stopped.push(input.QueryExecutionId ?? '');
    return {};
  });

  return {
    client,
    started,
    stopped,
    invalid,
    calls,
    script: (sql, query) => void scripts.set(sql, query),
    throttle: (operation, times, name = 'TooManyRequestsException') => void (throttles[operation] ??= []).push(...Array.from({ length: times }, () => name)),
    restore: () => mock.restore(),
  };
}

const wire = (v: string | number | boolean | null) => (v === null ? {} : { VarCharValue: String(v) });

// Athena's first page of a SELECT begins with the column labels; the token is the next row's offset.
function resultPage(result: ScriptedRows, statementType: string, offset: number, size: number): GetQueryResultsOutput {
  const header = statementType === 'DML' ? [{ Data: result.columns.map((c) => ({ VarCharValue: c.name })) }] : [];
  const all = [...header, ...result.rows.map((row) => ({ Data: result.columns.map((c) => wire(row[c.name] ?? null)) }))];
  const page = all.slice(offset, offset + size);
  const next = offset + size < all.length ? String(offset + size) : undefined;
  const ColumnInfo = result.columns.map((c) => ({ CatalogName: 'hive', Name: c.name, Label: c.name, Type: c.type, Nullable: 'UNKNOWN' as const }));
  return { ResultSet: { Rows: page, ResultSetMetadata: { ColumnInfo } }, UpdateCount: 0, ...(next ? { NextToken: next } : {}) };
}
