/**
 * What only the DuckDB adapter does: the statistics aggregation over gzipped flow logs in the S3
 * layout (sums worked out by hand), views shaped like the Glue tables, and views over folders with
 * no files yet.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbQueryEngine } from '../../central/local/duckdb-query-engine.js';
import { flowLogsLayout, trailLayout, wafLayout, type LogTableLayout } from '../../stacks/central/log-table-layouts.js';
import { ACCOUNT_A, ACCOUNT_B, flowLine, noDataLine, trailRecord, writeFlowLog, writeTrail } from '../support/log-archive.js';

const T0 = 1714521600; // 2024-05-01T00:00:00Z, a multiple of 300
const ACCOUNT_C = '777788889999';
const roots: string[] = [];
const tempRoot = () => {
  const root = mkdtempSync(join(tmpdir(), 'skywatch-duckdb-'));
  roots.push(root);
  return root;
};
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

const flow = (account: string, src: string, start: number, bytes: number) => flowLine({ account, src, dst: '198.51.100.7', srcPort: 40000, dstPort: 443, packets: 1, bytes, start });

describe('the statistics aggregation on DuckDB', () => {
  let engine: DuckDbQueryEngine;
  beforeAll(async () => {
    const root = tempRoot();
    writeFlowLog(root, ACCOUNT_A, 'us-east-1', '2024/05/01', [flow(ACCOUNT_A, '192.0.2.10', T0 + 10, 1000), flow(ACCOUNT_A, '192.0.2.10', T0 + 200, 500), flow(ACCOUNT_A, '192.0.2.10', T0 + 310, 250), flow(ACCOUNT_A, '192.0.2.11', T0 + 20, 4000), noDataLine(ACCOUNT_A, T0)], 'fl-first');
    writeFlowLog(root, ACCOUNT_A, 'us-east-1', '2024/05/01', [flow(ACCOUNT_A, '192.0.2.10', T0 + 250, 125)], 'fl-second');
    writeFlowLog(root, ACCOUNT_A, 'us-east-1', '2024/05/02', [flow(ACCOUNT_A, '192.0.2.10', T0 + 86_405, 2000)]);
    writeFlowLog(root, ACCOUNT_A, 'us-east-1', '2024/05/03', [flow(ACCOUNT_A, '192.0.2.10', T0 + 172_800, 99_999)]);
    writeFlowLog(root, ACCOUNT_B, 'eu-west-1', '2024/05/01', [flow(ACCOUNT_B, '203.0.113.5', T0 + 100, 7000), flow(ACCOUNT_B, '203.0.113.5', T0 + 299, 3000)]);
    writeFlowLog(root, ACCOUNT_C, 'us-east-1', '2024/05/01', [flow(ACCOUNT_C, '192.0.2.10', T0 + 10, 55_555)]);
    engine = await DuckDbQueryEngine.open({ root, threads: 2 });
  });
  afterAll(() => engine.close());

  const sql = `SELECT account, region, srcaddr, floor(start / 300) * 300 AS window_start, sum(bytes) AS bytes, count(*) AS flows
FROM vpc_flow_logs
WHERE account IN (?, ?) AND day BETWEEN ? AND ? AND log_status = ?
GROUP BY account, region, srcaddr, floor(start / 300) * 300
ORDER BY account, region, srcaddr, window_start`;

  it('sums bytes per account, region, source and five-minute window over the days and accounts asked for', async () => {
    const result = await engine.run({ sql, parameters: [ACCOUNT_A, ACCOUNT_B, '2024/05/01', '2024/05/02', 'OK'] });
    expect(result.rows).toEqual([
      { account: ACCOUNT_A, region: 'us-east-1', srcaddr: '192.0.2.10', window_start: T0, bytes: 1000 + 500 + 125, flows: 3 },
      { account: ACCOUNT_A, region: 'us-east-1', srcaddr: '192.0.2.10', window_start: T0 + 300, bytes: 250, flows: 1 },
      { account: ACCOUNT_A, region: 'us-east-1', srcaddr: '192.0.2.10', window_start: T0 + 86_400, bytes: 2000, flows: 1 },
      { account: ACCOUNT_A, region: 'us-east-1', srcaddr: '192.0.2.11', window_start: T0, bytes: 4000, flows: 1 },
      { account: ACCOUNT_B, region: 'eu-west-1', srcaddr: '203.0.113.5', window_start: T0, bytes: 7000 + 3000, flows: 2 },
    ]);
  });

  it("types the sums as Athena does (bigint); floor() stays double on DuckDB, where Trino's floor of a bigint is a bigint", async () => {
    const result = await engine.run({ sql, parameters: [ACCOUNT_A, ACCOUNT_B, '2024/05/01', '2024/05/02', 'OK'] });
    expect(result.columns).toEqual([
      { name: 'account', type: 'varchar' }, { name: 'region', type: 'varchar' }, { name: 'srcaddr', type: 'varchar' },
      { name: 'window_start', type: 'double' }, { name: 'bytes', type: 'bigint' }, { name: 'flows', type: 'bigint' },
    ]);
  });

  it('divides integers as Trino does', async () => {
    const result = await engine.run({ sql: 'SELECT 7 / 2 AS q, 7 % 2 AS r, 7.0 / 2 AS d', parameters: [] });
    expect(result.rows).toEqual([{ q: 3, r: 1, d: 3.5 }]);
  });
});

const GLUE_TYPES: Record<string, string> = { string: 'varchar', int: 'integer', bigint: 'bigint' };
const glueType = (type: string) => GLUE_TYPES[type] ?? (type.startsWith('struct<') ? 'row' : type.startsWith('array<') ? 'array' : type);
const glueColumns = (layout: LogTableLayout) => [...layout.columns, ...layout.partitionKeys].map((c) => ({ name: c.name, type: glueType(c.type) }));

describe('the DuckDB views', () => {
  let engine: DuckDbQueryEngine;
  beforeAll(async () => {
    engine = await DuckDbQueryEngine.open({ root: join(tempRoot(), 'no-logs-yet') });
  });
  afterAll(() => engine.close());

  const columnsOf = async (table: string) => {
    const result = await engine.run({ sql: `SELECT * FROM ${table}`, parameters: [] });
    expect(result.rows).toEqual([]);
    return result.columns;
  };

  it('gives vpc_flow_logs exactly the Glue columns and types, with no files at all', async () => {
    expect(await columnsOf('vpc_flow_logs')).toEqual(glueColumns(flowLogsLayout));
  });

  it('gives waf_logs the Glue columns and types but rulegrouplist, with no files at all', async () => {
    expect(await columnsOf('waf_logs')).toEqual(glueColumns(wafLayout).filter((c) => c.name !== 'rulegrouplist'));
  });

  it('gives cloudtrail the Glue columns it reads, each with the Glue type, with no files at all', async () => {
    const local = await columnsOf('cloudtrail');
    const glue = glueColumns(trailLayout);
    expect(local).toEqual(glue.filter((c) => local.some((l) => l.name === c.name)));
    expect(glue.filter((c) => !local.some((l) => l.name === c.name)).map((c) => c.name)).toEqual([
      'vpcendpointaccountid', 'addendum', 'sessioncredentialfromconsole', 'edgedevicedetails',
    ]);
  });
});

describe('a local archive with some tables only', () => {
  it('reads hourly flow-log folders below the day, and the trail only from CloudTrail/ (not its digests)', async () => {
    const root = tempRoot();
    writeFlowLog(root, ACCOUNT_A, 'us-east-1', '2024/05/01/13', [flow(ACCOUNT_A, '192.0.2.10', T0 + 46_800, 64)]);
    writeTrail(root, ACCOUNT_A, 'us-east-1', '2024/05/01', [trailRecord('2024-05-01T12:00:00Z', 'CreateUser', 'alice', '192.0.2.10')]);
    writeTrail(root, ACCOUNT_A, 'us-east-1', '2024/05/01', [trailRecord('2024-05-01T12:00:00Z', 'Digest', 'alice', '192.0.2.10')], 'CloudTrail-Digest');
    const engine = await DuckDbQueryEngine.open({ root });
    try {
      const flows = await engine.run({ sql: 'SELECT day, bytes FROM vpc_flow_logs WHERE account = ?', parameters: [ACCOUNT_A] });
      const events = await engine.run({ sql: 'SELECT eventname, readonly, requestparameters, responseelements FROM cloudtrail WHERE account = ?', parameters: [ACCOUNT_A] });
      const waf = await engine.run({ sql: 'SELECT count(*) AS n FROM waf_logs WHERE account = ?', parameters: [ACCOUNT_A] });
      expect({ flows: flows.rows, events: events.rows, waf: waf.rows }).toEqual({
        flows: [{ day: '2024/05/01', bytes: 64 }],
        events: [{ eventname: 'CreateUser', readonly: 'false', requestparameters: '{"userName":"mallory"}', responseelements: null }],
        waf: [{ n: 0 }],
      });
    } finally {
      engine.close();
    }
  });

  it('reads flow logs under a prefix, as the deployment names it', async () => {
    const root = tempRoot();
    writeFlowLog(join(root, 'flow-logs'), ACCOUNT_A, 'us-east-1', '2024/05/01', [flow(ACCOUNT_A, '192.0.2.10', T0, 32)]);
    const engine = await DuckDbQueryEngine.open({ root, flowLogsPrefix: 'flow-logs/' });
    try {
      expect((await engine.run({ sql: 'SELECT sum(bytes) AS b FROM vpc_flow_logs WHERE account = ?', parameters: [ACCOUNT_A] })).rows).toEqual([{ b: 32 }]);
    } finally {
      engine.close();
    }
  });
});
