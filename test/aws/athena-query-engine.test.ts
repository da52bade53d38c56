/**
 * What only the Athena adapter does: the requests it sends (checked against the SDK's model by the
 * fake), result pages and typing, Athena's ways of ending a query, throttling, polling waits, and
 * stopping a query it gives up on.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AthenaQueryEngine, type AthenaQueryEngineOptions } from '../../central/aws/adapters/athena-query-engine.js';
import type { QueryProgress } from '../../central/core/ports.js';
import { QueryBytesLimitError, QueryCancelledError, QueryFailedError, QueryThrottledError, QueryTimeoutError } from '../../central/core/query/errors.js';
import { fakeAthena, type AthenaFake } from '../support/athena-fake.js';
import { ManualClock } from '../support/detector.js';

const SQL = 'SELECT srcaddr, bytes, packets, rejected, ratio FROM vpc_flow_logs WHERE account = ? AND day = ?';
const FIRST_ID = 'a1b2c3d4-0000-4000-8000-000000000001';
const CUTOFF = 10 * 1024 ** 3;

let athena: AthenaFake;
let clock: ManualClock;
let sleeps: number[];

beforeEach(() => {
  athena = fakeAthena(2);
  clock = new ManualClock();
  sleeps = [];
});
afterEach(() => {
  expect(athena.invalid).toEqual([]);
  athena.restore();
});

const engine = (options: Partial<AthenaQueryEngineOptions> = {}) =>
  new AthenaQueryEngine({
    client: athena.client, workGroup: 'skywatch', database: 'skywatch_logs', bytesScannedCutoff: CUTOFF, clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.advance(ms);
    },
    ...options,
  });

const flows = {
  columns: [{ name: 'srcaddr', type: 'varchar' }, { name: 'bytes', type: 'bigint' }, { name: 'packets', type: 'bigint' }, { name: 'rejected', type: 'boolean' }, { name: 'ratio', type: 'double' }],
  rows: [
    { srcaddr: '192.0.2.10', bytes: 840, packets: 10, rejected: false, ratio: 0.5 },
    { srcaddr: '192.0.2.11', bytes: '9007199254740993', packets: null, rejected: true, ratio: 1.25 },
    { srcaddr: null, bytes: 0, packets: 0, rejected: false, ratio: 0 },
  ],
};

describe('AthenaQueryEngine', () => {
  it('starts the query in the workgroup and database with each parameter as a SQL literal', async () => {
    athena.script(SQL, { answer: () => flows });
    await engine().run({ sql: SQL, parameters: ['111122223333', '2024/05/01'] });
    expect(athena.started).toEqual([
      { QueryString: SQL, WorkGroup: 'skywatch', QueryExecutionContext: { Database: 'skywatch_logs', Catalog: 'AwsDataCatalog' }, ExecutionParameters: ["'111122223333'", "'2024/05/01'"] },
    ]);
  });

  it('reads every result page, drops the header row and types each cell by its column', async () => {
    athena.script(SQL, { answer: () => flows, bytesScanned: 52_428_800 });
    const result = await engine().run({ sql: SQL, parameters: ['111122223333', '2024/05/01'] });
    expect(athena.calls.GetQueryResults).toBe(2);
    expect(result).toEqual({ ...flows, engine: 'athena', bytesScanned: 52_428_800, costUsd: (50 / 1024 ** 2) * 5, elapsedMs: 750 });
  });

  it('bills a query that scanned less than 10 MB as 10 MB, and one that scanned nothing as nothing', async () => {
    athena.script('SELECT 1 AS one', { answer: () => ({ columns: [{ name: 'one', type: 'integer' }], rows: [{ one: 1 }] }), bytesScanned: 2048 });
    athena.script('SHOW TABLES', { statementType: 'UTILITY', answer: () => ({ columns: [{ name: 'tab_name', type: 'string' }], rows: [{ tab_name: 'cloudtrail' }] }) });
    expect((await engine().run({ sql: 'SELECT 1 AS one', parameters: [] })).costUsd).toBe((10 / 1024 ** 2) * 5);
    const tables = await engine().run({ sql: 'SHOW TABLES', parameters: [] });
    expect({ rows: tables.rows, bytesScanned: tables.bytesScanned, costUsd: tables.costUsd }).toEqual({ rows: [{ tab_name: 'cloudtrail' }], bytesScanned: 0, costUsd: 0 });
  });

  it('polls with doubling waits up to the maximum and reports each state', async () => {
    athena.script(SQL, { states: ['QUEUED', 'QUEUED', 'RUNNING', 'RUNNING', 'RUNNING'], answer: () => flows });
    const progress: QueryProgress[] = [];
    await engine({ pollInitialMs: 250, pollMaxMs: 1000 }).run({ sql: SQL, parameters: ['111122223333', '2024/05/01'] }, { onProgress: (p) => progress.push(p) });
    expect(sleeps).toEqual([250, 500, 1000, 1000, 1000]);
    expect(progress.map((p) => p.state)).toEqual(['QUEUED', 'QUEUED', 'RUNNING', 'RUNNING', 'RUNNING', 'SUCCEEDED']);
    expect(progress.map((p) => p.elapsedMs)).toEqual([0, 250, 750, 1750, 2750, 3750]);
  });

  it("turns FAILED into a QueryFailedError with Athena's reason and the query id", async () => {
    const reason = "SYNTAX_ERROR: line 1:8: Column 'srcadr' cannot be resolved";
    athena.script(SQL, { fail: { reason } });
    const error = await engine().run({ sql: SQL, parameters: ['111122223333', '2024/05/01'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryFailedError);
    expect({ reason: (error as QueryFailedError).reason, queryId: (error as QueryFailedError).queryId }).toEqual({ reason, queryId: FIRST_ID });
  });

  it('keeps "Query exhausted resources at this scale factor" a failure: it is memory, not the bytes cutoff', async () => {
    athena.script(SQL, { fail: { reason: 'Query exhausted resources at this scale factor', errorType: 3 } });
    const error = await engine().run({ sql: SQL, parameters: ['111122223333', '2024/05/01'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryFailedError);
  });

  it('turns a CANCELLED it did not ask for into a QueryCancelledError with the reason', async () => {
    athena.script(SQL, { cancel: { reason: 'Query was cancelled by user' } });
    const error = await engine().run({ sql: SQL, parameters: ['111122223333', '2024/05/01'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryCancelledError);
    expect((error as QueryCancelledError).reason).toBe('Query was cancelled by user');
    expect(athena.stopped).toEqual([]);
  });

  it("recognises the workgroup's bytes-scanned cutoff by its reason", async () => {
    athena.script(SQL, { cancel: { reason: 'Query cancelled: Bytes scanned limit was exceeded' }, bytesScanned: 1_000_000 });
    const error = await engine().run({ sql: SQL, parameters: ['111122223333', '2024/05/01'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryBytesLimitError);
    expect((error as QueryBytesLimitError).bytesScanned).toBe(1_000_000);
  });

  it('recognises the cutoff by the bytes scanned when the reason does not name it', async () => {
    athena.script(SQL, { cancel: { reason: 'Query cancelled' }, bytesScanned: CUTOFF });
    const error = await engine().run({ sql: SQL, parameters: ['111122223333', '2024/05/01'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryBytesLimitError);
    expect((error as QueryBytesLimitError).bytesScanned).toBe(CUTOFF);
  });

  it('retries a throttled start with doubling waits, then succeeds', async () => {
    athena.script(SQL, { answer: () => flows });
    athena.throttle('StartQueryExecution', 2);
    athena.throttle('GetQueryResults', 1, 'ThrottlingException');
    const result = await engine({ throttleBaseMs: 1000 }).run({ sql: SQL, parameters: ['111122223333', '2024/05/01'] });
    expect(result.rows).toEqual(flows.rows);
    expect({ starts: athena.calls.StartQueryExecution, started: athena.started.length }).toEqual({ starts: 3, started: 1 });
    expect(sleeps).toEqual([1000, 2000, 250, 500, 1000]);
  });

  it('gives up with a QueryThrottledError after the last attempt', async () => {
    athena.script(SQL, { answer: () => flows });
    athena.throttle('StartQueryExecution', 5);
    const error = await engine({ throttleAttempts: 5, throttleBaseMs: 100 }).run({ sql: SQL, parameters: ['111122223333', '2024/05/01'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryThrottledError);
    expect((error as QueryThrottledError).attempts).toBe(5);
    expect(sleeps).toEqual([100, 200, 400, 800]);
    expect({ started: athena.started.length, stopped: athena.stopped }).toEqual({ started: 0, stopped: [] });
  });

  it('stops the query and raises a QueryTimeoutError when the time is up, never sleeping past it', async () => {
    athena.script(SQL, { states: 'forever' });
    const error = await engine().run({ sql: SQL, parameters: ['111122223333', '2024/05/01'] }, { timeoutMs: 1000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryTimeoutError);
    expect(sleeps).toEqual([250, 500, 250]);
    expect(athena.stopped).toEqual([FIRST_ID]);
  });

  it('stops the query and raises a QueryCancelledError when the caller aborts', async () => {
    athena.script(SQL, { states: 'forever' });
    const controller = new AbortController();
    const onProgress = (p: QueryProgress) => p.elapsedMs >= 750 && controller.abort();
    const error = await engine().run({ sql: SQL, parameters: ['111122223333', '2024/05/01'] }, { signal: controller.signal, onProgress }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryCancelledError);
    expect(athena.stopped).toEqual([FIRST_ID]);
    expect(athena.calls.GetQueryExecution).toBe(3);
  });

  it('sends an injection attempt as one quoted literal, its quotes doubled', async () => {
    const sql = 'SELECT count(*) AS n FROM cloudtrail WHERE account = ? AND useridentity.username = ?';
    athena.script(sql, { answer: () => ({ columns: [{ name: 'n', type: 'bigint' }], rows: [{ n: 0 }] }) });
    await engine().run({ sql, parameters: ['111122223333', "alice' OR '1'='1' --"] });
    expect(athena.started[0]?.ExecutionParameters).toEqual(["'111122223333'", "'alice'' OR ''1''=''1'' --'"]);
  });

  it('sends numbers bare: integers as they are, fractions as DOUBLE literals', async () => {
    const sql = 'SELECT count(*) AS n FROM vpc_flow_logs WHERE account = ? AND dstport = ? AND bytes > ? * packets';
    athena.script(sql, { answer: () => ({ columns: [{ name: 'n', type: 'bigint' }], rows: [{ n: 4 }] }) });
    await engine().run({ sql, parameters: ['111122223333', 443, 1.5] });
    expect(athena.started[0]?.ExecutionParameters).toEqual(["'111122223333'", '443', '1.5E+0']);
  });

  it('sends no ExecutionParameters for a statement without placeholders', async () => {
    athena.script('SELECT 1 AS one', { answer: () => ({ columns: [{ name: 'one', type: 'integer' }], rows: [{ one: 1 }] }) });
    await engine().run({ sql: 'SELECT 1 AS one', parameters: [] });
    expect(athena.started[0]).not.toHaveProperty('ExecutionParameters');
  });

  it('refuses a non-finite number or an unsafe integer without calling Athena', async () => {
    const e1 = await engine().run({ sql: 'SELECT ? AS x', parameters: [Number.NaN] }).catch((e: unknown) => e);
    const e2 = await engine().run({ sql: 'SELECT ? AS x', parameters: [2 ** 60] }).catch((e: unknown) => e);
    expect([(e1 as QueryFailedError).reason, (e2 as QueryFailedError).reason]).toEqual(['parameter 1 is NaN, not a finite number', 'parameter 1 is an integer beyond 2^53; pass it as a string']);
    expect(athena.calls).toEqual({});
  });

  it('passes through an error it does not know', async () => {
    athena.script(SQL, { answer: () => flows });
    const boom = Object.assign(new Error('We encountered an internal error'), { name: 'InternalServerException' });
    const client = { send: async () => { throw boom; } } as unknown as AthenaQueryEngineOptions['client'];
    const error = await engine({ client }).run({ sql: SQL, parameters: ['111122223333', '2024/05/01'] }).catch((e: unknown) => e);
    expect(error).toBe(boom);
  });
});
