/**
 * The QueryEngine contract: what every adapter (Athena through its fake, DuckDB over real files) must
 * do with the same SQL over the same log tables. The cases are data, so the Athena fake can be
 * scripted with the very answers DuckDB must compute from `writeContractArchive`'s files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueryEngine, QueryProgress, SqlQuery } from '../../central/core/ports.js';
import { QueryCancelledError, QueryFailedError, QueryTimeoutError } from '../../central/core/query/errors.js';
import { ACCOUNT_A, ACCOUNT_B, flowLine, noDataLine, trailRecord, wafEntry, writeFlowLog, writeTrail, writeWafLog } from '../support/log-archive.js';
import type { ScriptedRows } from '../support/athena-fake.js';

/** One query and the exact result every engine returns for it. */
export interface ContractCase {
  readonly title: string;
  readonly query: SqlQuery;
  readonly expected: ScriptedRows;
}

/** The injection attempt that must come back as a plain value. */
export const INJECTION = "' OR 1=1 --";

const DAY = '2024/05/01';
const T0 = 1714521600; // 2024-05-01T00:00:00Z

/** Writes the files the contract cases are answered from. */
export function writeContractArchive(root: string): void {
  const a = (src: string, srcPort: number, dstPort: number, packets: number, bytes: number, start: number, action?: 'REJECT') =>
    flowLine({ account: ACCOUNT_A, src, dst: '198.51.100.7', srcPort, dstPort, packets, bytes, start, ...(action ? { action } : {}) });
  writeFlowLog(root, ACCOUNT_A, 'us-east-1', DAY, [a('192.0.2.10', 44321, 443, 10, 840, T0), a('192.0.2.10', 44322, 443, 5, 420, T0 + 30), a('192.0.2.11', 51515, 22, 3, 180, T0 + 300, 'REJECT'), noDataLine(ACCOUNT_A, T0)]);
  writeFlowLog(root, ACCOUNT_B, 'eu-west-1', DAY, [flowLine({ account: ACCOUNT_B, src: '203.0.113.5', dst: '198.51.100.9', srcPort: 40000, dstPort: 443, packets: 7, bytes: 7000, start: T0 + 60 })]);
  writeWafLog(root, ACCOUNT_A, 'us-east-1', 'shop-acl', `${DAY}/12/05`, [wafEntry(1714565100000, '192.0.2.10', 'US', 'ALLOW', '/'), wafEntry(1714565130000, '203.0.113.66', 'NL', 'BLOCK', "/search?q=' OR 1=1 --")]);
  writeTrail(root, ACCOUNT_A, 'us-east-1', DAY, [trailRecord('2024-05-01T12:00:00Z', 'CreateUser', 'alice', '192.0.2.10'), trailRecord('2024-05-01T12:05:00Z', 'AttachUserPolicy', 'alice', '192.0.2.10')]);
}

const v = (name: string) => ({ name, type: 'varchar' });
const b = (name: string) => ({ name, type: 'bigint' });

/** The cases, each with its exact answer. */
export const CONTRACT_CASES: readonly ContractCase[] = [
  {
    title: 'returns the columns with their types and the rows in order',
    query: { sql: 'SELECT srcaddr, dstport, bytes, action FROM vpc_flow_logs WHERE account = ? AND day = ? AND log_status = ? ORDER BY start, srcport', parameters: [ACCOUNT_A, DAY, 'OK'] },
    expected: {
      columns: [v('srcaddr'), { name: 'dstport', type: 'integer' }, b('bytes'), v('action')],
      rows: [
        { srcaddr: '192.0.2.10', dstport: 443, bytes: 840, action: 'ACCEPT' },
        { srcaddr: '192.0.2.10', dstport: 443, bytes: 420, action: 'ACCEPT' },
        { srcaddr: '192.0.2.11', dstport: 22, bytes: 180, action: 'REJECT' },
      ],
    },
  },
  {
    title: "reads a NODATA record's '-' fields as NULL",
    query: { sql: 'SELECT srcaddr, packets, log_status FROM vpc_flow_logs WHERE account = ? AND log_status = ?', parameters: [ACCOUNT_A, 'NODATA'] },
    expected: { columns: [v('srcaddr'), b('packets'), v('log_status')], rows: [{ srcaddr: null, packets: null, log_status: 'NODATA' }] },
  },
  {
    title: 'binds strings and numbers to their placeholders',
    query: { sql: 'SELECT count(*) AS flows, sum(bytes) AS total FROM vpc_flow_logs WHERE account IN (?, ?) AND dstport = ?', parameters: [ACCOUNT_A, ACCOUNT_B, 443] },
    expected: { columns: [b('flows'), b('total')], rows: [{ flows: 3, total: 8260 }] },
  },
  {
    title: 'returns an injection attempt verbatim as a value',
    query: { sql: 'SELECT ? AS value', parameters: [INJECTION] },
    expected: { columns: [v('value')], rows: [{ value: INJECTION }] },
  },
  {
    title: 'matches nothing when an account parameter carries SQL',
    query: { sql: 'SELECT count(*) AS n FROM vpc_flow_logs WHERE account = ?', parameters: [`${ACCOUNT_A}' OR '1'='1`] },
    expected: { columns: [b('n')], rows: [{ n: 0 }] },
  },
  {
    title: 'keeps the columns of a query that matches no row',
    query: { sql: 'SELECT srcaddr, bytes FROM vpc_flow_logs WHERE account = ? AND day = ?', parameters: ['999999999999', DAY] },
    expected: { columns: [v('srcaddr'), b('bytes')], rows: [] },
  },
  {
    title: 'reads WAF request fields with the Glue names, web ACL and day from the path',
    query: { sql: 'SELECT httprequest.clientip AS clientip, httprequest.country AS country, httprequest.uri AS uri, action, webacl, day FROM waf_logs WHERE account = ? AND day = ? ORDER BY "timestamp"', parameters: [ACCOUNT_A, DAY] },
    expected: {
      columns: [v('clientip'), v('country'), v('uri'), v('action'), v('webacl'), v('day')],
      rows: [
        { clientip: '192.0.2.10', country: 'US', uri: '/', action: 'ALLOW', webacl: 'shop-acl', day: DAY },
        { clientip: '203.0.113.66', country: 'NL', uri: "/search?q=' OR 1=1 --", action: 'BLOCK', webacl: 'shop-acl', day: DAY },
      ],
    },
  },
  {
    title: 'reads each CloudTrail record of a file with the Glue names, region from the path',
    query: { sql: 'SELECT eventname, useridentity.arn AS arn, sourceipaddress, region FROM cloudtrail WHERE account = ? AND day = ? ORDER BY eventtime', parameters: [ACCOUNT_A, DAY] },
    expected: {
      columns: [v('eventname'), v('arn'), v('sourceipaddress'), v('region')],
      rows: [
        { eventname: 'CreateUser', arn: `arn:aws:iam::${ACCOUNT_A}:user/alice`, sourceipaddress: '192.0.2.10', region: 'us-east-1' },
        { eventname: 'AttachUserPolicy', arn: `arn:aws:iam::${ACCOUNT_A}:user/alice`, sourceipaddress: '192.0.2.10', region: 'us-east-1' },
      ],
    },
  },
];

const DIGITS = '(VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9))';
const TEN = 'abcdefghij'.split('');

/** A query that runs for minutes (10^10 joined rows): the timeout and abort cases stop it. Valid in both dialects. */
export const SLOW_QUERY: SqlQuery = {
  sql: `SELECT count(*) AS n FROM ${TEN.map((t) => `${DIGITS} AS ${t}(${t}x)`).join(' CROSS JOIN ')} WHERE (${TEN.map((t) => `${t}x`).join(' + ')}) % 7 = ?`,
  parameters: [3],
};

/** A query naming a column no table has. */
export const BROKEN_QUERY: SqlQuery = { sql: 'SELECT no_such_column FROM vpc_flow_logs WHERE account = ?', parameters: [ACCOUNT_A] };

/** A fresh engine over the contract archive, and how to dispose of it. */
export type MakeQueryEngine = () => Promise<{ engine: QueryEngine; close?: () => Promise<void> | void }>;

/** Declares the QueryEngine contract tests for one adapter. */
export function queryEngineContract(name: string, engineName: 'athena' | 'duckdb', make: MakeQueryEngine): void {
  describe(name, () => {
    let engine: QueryEngine;
    let close: (() => Promise<void> | void) | undefined;
    beforeAll(async () => {
      ({ engine, close } = await make());
    });
    afterAll(async () => {
      await close?.();
    });

    it.each(CONTRACT_CASES.map((c) => [c.title, c] as const))('%s', async (_, c) => {
      const result = await engine.run(c.query);
      expect({ engine: result.engine, columns: result.columns, rows: result.rows }).toEqual({ engine: engineName, ...c.expected });
      expect(result.elapsedMs).toBeGreaterThanOrEqual(0);
    });

    it('refuses a statement whose placeholders and parameters differ in number, before running it', async () => {
      const error = await engine.run({ sql: 'SELECT ? AS a, ? AS b', parameters: ['x'] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(QueryFailedError);
      expect((error as QueryFailedError).reason).toBe('the statement has 2 placeholders but 1 parameters were given');
    });

    it("fails a query the engine rejects with a QueryFailedError carrying the engine's reason", async () => {
      const error = await engine.run(BROKEN_QUERY).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(QueryFailedError);
      expect((error as QueryFailedError).engine).toBe(engineName);
      expect((error as QueryFailedError).reason).toContain('no_such_column');
    });

    it('stops a query that runs past its timeout with a QueryTimeoutError', async () => {
      const error = await engine.run(SLOW_QUERY, { timeoutMs: 300 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(QueryTimeoutError);
      expect((error as QueryTimeoutError).timeoutMs).toBe(300);
    });

    it('stops a running query when the caller aborts, with a QueryCancelledError', async () => {
      const controller = new AbortController();
      const states: QueryProgress['state'][] = [];
      const onProgress = (p: QueryProgress) => {
        states.push(p.state);
        if (p.state === 'RUNNING') controller.abort();
      };
      const error = await engine.run(SLOW_QUERY, { signal: controller.signal, onProgress }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(QueryCancelledError);
      expect(states.at(-1)).toBe('RUNNING');
    });

    it('runs nothing for a signal aborted before the call', async () => {
      const error = await engine.run(CONTRACT_CASES[0]!.query, { signal: AbortSignal.abort() }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(QueryCancelledError);
    });

    it('answers again after a query was stopped', async () => {
      await engine.run(SLOW_QUERY, { timeoutMs: 100 }).catch(() => undefined);
      const result = await engine.run(CONTRACT_CASES[3]!.query);
      expect(result.rows).toEqual([{ value: INJECTION }]);
    });
  });
}
