import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listBehaviours, SEEN_PREFIX, VOLUME_PREFIX } from '../../central/cli/behaviour-listing.js';
import { Detector } from '../../central/core/detector.js';
import { RuleEngine } from '../../central/core/rules/engine.js';
import { statePaths } from '../../central/local/replay.js';
import { loadRuleFolders } from '../../central/local/rule-files.js';
import { SqliteStore } from '../../central/local/sqlite-store.js';
import { skywatchAsync } from '../support/cli.js';
import { ManualClock, RecordingSink } from '../support/detector.js';
import { gpuBurst, quietWeek, ROLE_ARN } from './support.js';

const rules = loadRuleFolders().rules;
const root = mkdtempSync(join(tmpdir(), 'skywatch-behaviour-baselines-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function learnedState(): Promise<string> {
  const state = join(root, 'state');
  const store = new SqliteStore(statePaths(state).database);
  const detector = new Detector({ engine: new RuleEngine(rules), state: store, sink: new RecordingSink(), clock: new ManualClock() });
  await detector.process(quietWeek());
  await detector.process(gpuBurst('2026-11-09T02:00:00Z', 'ap-southeast-3'));
  store.close();
  return state;
}

describe('skywatch baselines lists what the behaviour rules learned', () => {
  it('gives the hourly provisioning baseline of the principal and its first-seen regions', async () => {
    const state = await learnedState();
    const store = new SqliteStore(statePaths(state).database);
    const entries = [...store.listState(VOLUME_PREFIX), ...store.listState(SEEN_PREFIX)];
    store.close();
    const { volumes, firstSeen } = listBehaviours(entries, rules, { key: ROLE_ARN });
    const [volume] = volumes.filter((v) => v.rule === 'provisioning-volume-by-principal');
    expect(volume).toMatchObject({ account: '111122223333', key: ROLE_ARN, state: 'trained', trainDays: 7, hours: 14, firstHour: '2026-11-01T09:00:00.000Z', lastHour: '2026-11-09T02:00:00.000Z', latest: 1000, peak: 1000 });
    // The burst teaches a tenth and only up to its band: the baseline stays far below it.
    expect(volume!.expected!).toBeLessThan(50);
    const [regions] = firstSeen.filter((s) => s.rule === 'behaviour-new-region-for-principal');
    expect(regions).toMatchObject({ key: `111122223333/${ROLE_ARN}`, state: 'trained', since: '2026-11-01T09:12:40Z', values: 2, learningDays: 7 });
    expect(regions!.recent.map((r) => r.value)).toEqual(['ap-southeast-3', 'eu-west-1']);

    const run = await skywatchAsync(['baselines', '--state', state, '--detector', 'provisioning-volume-by-principal']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('1 provisioning volume baseline');
    expect(run.stdout).toMatch(new RegExp(`provisioning-volume-by-principal\\s+111122223333\\s+${ROLE_ARN.replace(/[/.]/g, '\\$&')}\\s+trained\\s+14\\s+2026-11-01T09:00Z\\s+2026-11-09T02:00Z`));
  }, 30_000);
});
