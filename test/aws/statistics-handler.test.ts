/**
 * The statistics Lambda end to end: built from its environment and the shipped rules folder, its
 * state and outbox in DynamoDB (dynalite), its queries in a fake Athena (every request checked
 * against the AWS model). Onboarding's directory names the member accounts; findings land in the
 * outbox for the publisher.
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoOutbox } from '../../central/aws/adapters/dynamodb-outbox.js';
import { DynamoStateStore } from '../../central/aws/adapters/dynamodb-state-store.js';
import { statisticsDepsFromEnv, statisticsHandler } from '../../central/aws/handlers/statistics.js';
import { saveDirectory } from '../../central/core/directory/stored-directory.js';
import type { AsffFinding } from '../../central/core/findings/asff.js';
import { ATHENA_DIALECT, aggregationSql } from '../../central/core/statistics/aggregation-sql.js';
import { loadStatisticsFolders } from '../../central/local/statistics-files.js';
import { keyRows, noRows } from '../support/aggregation-rows.js';
import { fakeAthena, type AthenaFake } from '../support/athena-fake.js';
import { validateAsffFinding } from '../support/aws-model.js';
import { ManualClock } from '../support/detector.js';
import { startDynalite, type LocalDynamo } from '../support/dynalite.js';
import { REPO_ROOT } from '../support/repo-paths.js';

const MEMBERS = ['111122223333', '444455556666'];
const SUSPENDED = '777788889999';
const NOON = Date.parse('2026-11-21T12:00:00Z');
const CLOSED = NOON / 1000 - 900;
const SCANNER = '203.0.113.66';
const detectors = loadStatisticsFolders().detectors.map((l) => l.detector);

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(() => dynamo.close());

let athena: AthenaFake;
let clock: ManualClock;
let table: string;
let logs: Record<string, unknown>[];

beforeEach(async () => {
  athena = fakeAthena(1000);
  clock = new ManualClock(NOON);
  table = await dynamo.createTable();
  for (const [name, value] of Object.entries({ STATE_TABLE: table, ATHENA_WORKGROUP: 'skywatch', GLUE_DATABASE: 'skywatch_logs', ATHENA_BYTES_CUTOFF: String(10 * 1024 ** 3), RULES_DIR: join(REPO_ROOT, 'rules') })) vi.stubEnv(name, value);
  logs = [];
  const capture = (line: unknown) => void logs.push(JSON.parse(String(line)));
  vi.spyOn(console, 'log').mockImplementation(capture);
  vi.spyOn(console, 'error').mockImplementation(capture);
  const state = new DynamoStateStore({ client: dynamo.client, table, clock, retentionDays: 90 });
  await saveDirectory(state, {
    takenAt: '2026-11-21T06:00:00Z',
    accounts: [...MEMBERS.map((id) => ({ id, state: 'ACTIVE', ous: ['r-a1b2'], tags: {} })), { id: SUSPENDED, state: 'SUSPENDED', ous: ['r-a1b2'], tags: {} }],
  });
});
afterEach(() => {
  expect(athena.invalid).toEqual([]);
  athena.restore();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

async function outbox(): Promise<AsffFinding[]> {
  const out: AsffFinding[] = [];
  for await (const page of new DynamoOutbox({ client: dynamo.client, table }).pages()) out.push(...page.map((i) => i.finding));
  return out;
}

describe('the statistics handler', () => {
  it('queries the active members, trains on the first run and puts the next run\'s anomaly into the outbox', async () => {
    const rejected = detectors.find((d) => d.id === 'flow-rejected-by-source')!;
    // Refusals from the scanner: 250 a window all week in both accounts, then 20,000 a window in one.
    const refusals = (start: number, account: string) => (start >= CLOSED && account === MEMBERS[1] ? 20_000 : 250);
    for (const d of detectors) {
      const sql = aggregationSql(d, { accounts: MEMBERS, from: 0, to: 1 }, ATHENA_DIALECT).sql;
      athena.script(sql, { states: [], bytesScanned: 1_048_576, answer: (p) => (d === rejected ? keyRows(d, p, MEMBERS.length, SCANNER, refusals) : noRows(d)) });
    }
    const handle = statisticsHandler(() => statisticsDepsFromEnv({ clients: { athena: athena.client, dynamodb: dynamo.client }, clock }));
    const context = { getRemainingTimeInMillis: () => 600_000 };

    const first = await handle({}, context);
    expect(first.perDetector.map((r) => r.outcome)).toEqual(detectors.map(() => 'judged'));
    expect(await outbox()).toEqual([]);
    // Seven days back from 11:45, a day partition a query: eight queries per detector.
    expect(athena.started).toHaveLength(detectors.length * 8);
    for (const s of athena.started) {
      expect(s.ExecutionParameters).toEqual(expect.arrayContaining(MEMBERS.map((a) => `'${a}'`)));
      expect(s.ExecutionParameters).not.toContain(`'${SUSPENDED}'`);
    }

    clock.advance(15 * 60_000);
    const second = await handle({}, context);
    expect(second.perDetector.find((r) => r.detector === rejected.id)).toMatchObject({ outcome: 'judged', from: CLOSED, to: CLOSED + 900, windows: 6, findings: 1 });
    const findings = await outbox();
    expect(findings.map((f) => [f.AwsAccountId, f.Region, f.ProductFields!['skywatch/RuleId'], f.ProductFields!['skywatch/Statistics/Key'], f.ProductFields!['skywatch/IocLists'], f.ProductFields!['skywatch/Statistics/EpisodeWindows']])).toEqual([
      ['444455556666', 'us-east-1', 'statistics/flow-rejected-by-source', SCANNER, 'demo-known-bad', '3'],
    ]);
    for (const f of findings) expect(validateAsffFinding(f)).toEqual([]);
    const runs = logs.filter((l) => l.message === 'statistics run');
    expect(runs).toHaveLength(2 * detectors.length);
    expect(runs.at(-detectors.length + detectors.indexOf(rejected))).toMatchObject({ level: 'info', detector: rejected.id, outcome: 'judged', findings: 1, accounts: 2, bytesScanned: 1_048_576 });
  });

  it('reports every detector as having no accounts, querying nothing, before onboarding saved a directory', async () => {
    const empty = await dynamo.createTable();
    vi.stubEnv('STATE_TABLE', empty);
    const handle = statisticsHandler(() => statisticsDepsFromEnv({ clients: { athena: athena.client, dynamodb: dynamo.client }, clock }));
    const result = await handle({});
    expect(new Set(result.perDetector.map((r) => r.outcome))).toEqual(new Set(['no-accounts']));
    expect(athena.calls.StartQueryExecution).toBeUndefined();
    expect(logs.filter((l) => l.message === 'no directory snapshot')).toHaveLength(1);
  });

  it('fails its cold start when a required variable is missing', async () => {
    vi.stubEnv('ATHENA_WORKGROUP', '');
    const handle = statisticsHandler(() => statisticsDepsFromEnv({ clients: { athena: athena.client, dynamodb: dynamo.client }, clock }));
    await expect(handle({})).rejects.toThrow('environment variable ATHENA_WORKGROUP is not set');
  });
});
