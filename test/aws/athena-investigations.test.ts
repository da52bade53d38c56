/**
 * The investigations on Athena, through the model-checked fake: a bound investigation travels as its
 * positional SQL with one literal per value (the accounts expanded, an injection attempt one quoted
 * literal), its rows come back over several pages, and Athena's endings reach the CLI as clear
 * messages and exit codes. The adapter's own behaviours are tested in athena-query-engine.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AthenaQueryEngine } from '../../central/aws/adapters/athena-query-engine.js';
import { EXIT } from '../../central/cli/exit-codes.js';
import { runReporting } from '../../central/cli/query-command.js';
import { bindInvestigation } from '../../central/core/query/bind.js';
import { QueryCancelledError, QueryFailedError } from '../../central/core/query/errors.js';
import { loadInvestigationFolders } from '../../central/local/investigation-files.js';
import { fakeAthena, type AthenaFake, type ScriptedRows } from '../support/athena-fake.js';
import { ManualClock } from '../support/detector.js';

const investigations = loadInvestigationFolders().investigations;
const actorActivity = investigations.find((q) => q.name === 'actor-activity')!;
const CUTOFF = 10 * 1024 ** 3;
const ACCOUNTS = ['111122223333', '444455556666', '777788889999'];
const request = (actor: string) => ({ parameters: { actor }, from: new Date('2026-11-11T00:00:00Z'), to: new Date('2026-11-12T00:00:00Z'), accounts: ACCOUNTS });

let athena: AthenaFake;
let sleeps: number[];
beforeEach(() => {
  athena = fakeAthena(2);
  sleeps = [];
});
afterEach(() => {
  expect(athena.invalid).toEqual([]);
  athena.restore();
});

const engine = () => {
  const clock = new ManualClock();
  return new AthenaQueryEngine({
    client: athena.client, workGroup: 'skywatch', database: 'skywatch_logs', bytesScannedCutoff: CUTOFF, clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.advance(ms);
    },
  });
};

const call = (i: number, account: string) => ({
  event_time: `2026-11-11T03:12:0${i}Z`, account, region: 'us-east-1', event_source: 'iam.amazonaws.com', event_name: 'CreateUser',
  actor: 'arn:aws:iam::111122223333:user/svc-reporting', access_key: 'AKIAIOSFODNN7EXAMPLE', source_ip: '203.0.113.66', error_code: null,
  user_agent: 'Boto3/1.35.24', event_id: `0f4e3c2a-0000-4000-8000-00000000000${i}`,
});
const columns = ['event_time', 'account', 'region', 'event_source', 'event_name', 'actor', 'access_key', 'source_ip', 'error_code', 'user_agent', 'event_id'].map((name) => ({ name, type: 'varchar' }));
const rows: ScriptedRows = { columns, rows: [call(1, ACCOUNTS[0]!), call(2, ACCOUNTS[1]!), call(3, ACCOUNTS[2]!), call(4, ACCOUNTS[0]!), call(5, ACCOUNTS[1]!)] };

describe('an investigation on Athena', () => {
  it('sends the positional SQL with one literal per value, the accounts expanded, and reads every page', async () => {
    const bound = bindInvestigation(actorActivity, request('svc-reporting'));
    let decoded: readonly (string | number)[] = [];
    athena.script(bound.query.sql, {
      bytesScanned: 734_003_200,
      answer: (parameters) => {
        decoded = parameters;
        return rows;
      },
    });
    const result = await engine().run(bound.query);
    expect(athena.started[0]!.ExecutionParameters).toEqual([
      "'111122223333'", "'444455556666'", "'777788889999'", "'2026/11/11'", "'2026/11/12'", "'2026-11-11T00:00:00Z'", "'2026-11-12T00:00:00Z'",
      ...Array.from({ length: 6 }, () => "'svc-reporting'"),
    ]);
    expect(decoded).toEqual(bound.query.parameters);
    expect(athena.started[0]!.QueryString).toMatch(/WHERE account IN \(\?, \?, \?\) AND day BETWEEN \? AND \?/);
    // Six rows with the header, two a page.
    expect(athena.calls.GetQueryResults).toBe(3);
    expect(result.rows).toEqual(rows.rows);
    expect({ bytesScanned: result.bytesScanned, costUsd: result.costUsd }).toEqual({ bytesScanned: 734_003_200, costUsd: (700 / 1024 ** 2) * 5 });
  });

  it('sends a value that tries SQL injection as one quoted literal, and Athena reads it back as that value', async () => {
    const injection = "x' OR '1'='1";
    const bound = bindInvestigation(actorActivity, request(injection));
    let actor: string | number | undefined;
    athena.script(bound.query.sql, { answer: (parameters) => ((actor = parameters.at(-1)), { columns, rows: [] }) });
    const result = await engine().run(bound.query);
    expect(athena.started[0]!.ExecutionParameters!.at(-1)).toBe("'x'' OR ''1''=''1'");
    expect(actor).toBe(injection);
    expect(result.rows).toEqual([]);
  });

  it('retries a throttled poll and still returns every row', async () => {
    const bound = bindInvestigation(actorActivity, request('svc-reporting'));
    athena.script(bound.query.sql, { answer: () => rows });
    athena.throttle('GetQueryExecution', 2);
    const result = await engine().run(bound.query);
    expect(result.rows).toHaveLength(5);
    expect(athena.calls.GetQueryExecution).toBe(5);
    expect(sleeps).toEqual([1000, 2000, 250, 500]);
  });
});

describe('the CLI on an Athena ending', () => {
  const stderr = () => vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  afterEach(() => vi.restoreAllMocks());

  const ending = async (script: Parameters<AthenaFake['script']>[1]) => {
    const bound = bindInvestigation(actorActivity, request('svc-reporting'));
    athena.script(bound.query.sql, script);
    const written = stderr();
    const code = await runReporting('actor-activity', async () => {
      await engine().run(bound.query);
      return EXIT.ok;
    });
    const message = written.mock.calls.map((c) => String(c[0])).join('');
    written.mockRestore();
    return { code, message };
  };

  it("says the workgroup's bytes-scanned limit stopped the query, how far it got, and what to change", async () => {
    const { code, message } = await ending({ cancel: { reason: 'Query cancelled: Bytes scanned limit was exceeded' }, bytesScanned: CUTOFF });
    expect(code).toBe(EXIT.queryFailed);
    expect(message).toBe(
      "skywatch: actor-activity: Athena stopped the query at the workgroup's bytes-scanned limit after 10,737,418,240 bytes (Query cancelled: Bytes scanned limit was exceeded); narrow --from/--to or --accounts, or raise athenaBytesScannedCutoffGb\n",
    );
  });

  it("reports FAILED with Athena's reason, and CANCELLED as a cancellation", async () => {
    const failed = await ending({ fail: { reason: "COLUMN_NOT_FOUND: line 3:9: Column 'useridentity.sessioncontext' cannot be resolved", errorType: 1006 } });
    expect(failed).toEqual({ code: EXIT.queryFailed, message: `skywatch: actor-activity: ${new QueryFailedError('athena', "COLUMN_NOT_FOUND: line 3:9: Column 'useridentity.sessioncontext' cannot be resolved").message}\n` });
    const cancelled = await ending({ cancel: { reason: 'Query was cancelled by user' } });
    expect(cancelled).toEqual({ code: EXIT.queryFailed, message: `skywatch: actor-activity: ${new QueryCancelledError('athena', 'Query was cancelled by user').message}\n` });
  });
});
