/**
 * Runs the QueryEngine contract against Athena (through the model-validated fake, answering with the
 * contract's own expectations and only when the decoded parameters are the ones bound) and against
 * DuckDB over real files in the archive layout.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, expect } from 'vitest';
import { AthenaQueryEngine } from '../../central/aws/adapters/athena-query-engine.js';
import { DuckDbQueryEngine } from '../../central/local/duckdb-query-engine.js';
import { fakeAthena, type AthenaFake } from '../support/athena-fake.js';
import { ManualClock } from '../support/detector.js';
import { BROKEN_QUERY, CONTRACT_CASES, queryEngineContract, SLOW_QUERY, writeContractArchive } from './query-engine.case.js';

let athena: AthenaFake | undefined;
queryEngineContract('Athena (stubbed at the SDK boundary)', 'athena', async () => {
  athena = fakeAthena(2);
  for (const c of CONTRACT_CASES) {
    athena.script(c.query.sql, {
      bytesScanned: 1_048_576,
      answer: (parameters) => {
        if (!isDeepStrictEqual(parameters, c.query.parameters)) throw new Error(`unexpected parameters ${JSON.stringify(parameters)}`);
        return c.expected;
      },
    });
  }
  athena.script(SLOW_QUERY.sql, { states: 'forever' });
  athena.script(BROKEN_QUERY.sql, { fail: { reason: "COLUMN_NOT_FOUND: line 1:8: Column 'no_such_column' cannot be resolved or requester is not authorized to access requested resources", errorType: 1006 } });
  const clock = new ManualClock();
  const sleep = async (ms: number) => clock.advance(ms);
  const engine = new AthenaQueryEngine({ client: athena.client, workGroup: 'skywatch', database: 'skywatch_logs', clock, sleep });
  return { engine, close: () => athena?.restore() };
});

afterAll(() => {
  expect(athena?.invalid).toEqual([]);
});

const root = mkdtempSync(join(tmpdir(), 'skywatch-query-contract-'));
queryEngineContract('DuckDB over local files', 'duckdb', async () => {
  writeContractArchive(root);
  const engine = await DuckDbQueryEngine.open({ root, threads: 2 });
  return {
    engine,
    close: () => {
      engine.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
});
