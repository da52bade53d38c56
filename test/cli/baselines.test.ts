import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listBaselines, type BaselineListing, type PeerListing, type StatEntry } from '../../central/cli/baselines-listing.js';
import { SqliteStore } from '../../central/local/sqlite-store.js';
import { loadStatisticsFolders } from '../../central/local/statistics-files.js';
import { skywatchAsync, type CliRun } from '../support/cli.js';
import { buildStatisticsState, databaseOf, HOSTS } from '../support/statistics-state.js';

let root: string;
const runs: Record<string, CliRun> = {};
let entries: StatEntry[];
const detectors = loadStatisticsFolders().detectors.map((d) => d.detector);

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'skywatch-baselines-'));
  const state = join(root, 'state');
  await buildStatisticsState(state);
  // A baseline left by a detector that has since been removed.
  const store = new SqliteStore(databaseOf(state));
  const [monitor] = store.listState<{ key: string[] }>('stat/flow-horizontal-scan/key/').filter((e) => e.value.key[2] === HOSTS.monitor);
  await store.put('stat/flow-retired-detector/key/0', { ...monitor!.value, key: ['111122223333', 'us-east-1', '10.0.9.9'] }, undefined);
  entries = store.listState('stat/');
  store.close();
  const empty = join(root, 'empty');
  new SqliteStore(databaseOf(empty)).close();
  // Every command at once: each spends a second or two starting.
  const commands: Record<string, string[]> = {
    table: ['baselines', '--state', state],
    json: ['baselines', '--state', state, '--json'],
    filtered: ['baselines', '--state', state, '--detector', 'flow-horizontal-scan', '--key', '10.0.1.20'],
    empty: ['baselines', '--state', empty],
    missing: ['baselines', '--state', join(root, 'nowhere')],
  };
  const done = await Promise.all(Object.values(commands).map((args) => skywatchAsync(args)));
  Object.keys(commands).forEach((name, i) => (runs[name] = done[i]!));
}, 30_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The cells of the rows of the table whose second column is `column` (KEY or SCOPE). */
function rowsOf(stdout: string, column: 'KEY' | 'SCOPE'): string[][] {
  const lines = stdout.split('\n');
  const header = lines.findIndex((l) => l.split(/ {2,}/)[1] === column);
  if (header < 0) return [];
  const rows: string[][] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line) break;
    rows.push(line.split(/ {2,}/));
  }
  return rows;
}

const SCANNER_ROW = ['flow-vertical-port-scan', '198.51.100.23 10.0.1.5', '111122223333', 'us-east-1', 'learning 0.0/7 d', '1', '7.96', '11', '1000', '2026-01-13 00:15Z, 1 window, peak 1000', '!'];
const MONITOR_ROW = ['flow-horizontal-scan', '10.0.1.20 443', '111122223333', 'us-east-1', 'trained', '2304', '6.93', '10.1', '8', '-', '▄▅▆▇'.repeat(12)];
const BACKUP_ROW = ['flow-horizontal-scan', '10.0.1.30 22', '111122223333', 'us-east-1', 'learning 2.9/7 d', '864', '5', '8', '5', '-', '▂'.repeat(48)];

describe('skywatch baselines', () => {
  it('lists the key in an anomaly episode first, then every key baseline by detector and key', () => {
    expect(runs.table!.code).toBe(0);
    expect(runs.table!.stderr).toBe('');
    expect(runs.table!.stdout.split('\n')[0]).toBe('6 key baselines, 1 with an anomaly episode');
    const rows = rowsOf(runs.table!.stdout, 'KEY');
    expect(rows.map((r) => `${r[0]} ${r[1]}`)).toEqual([
      'flow-vertical-port-scan 198.51.100.23 10.0.1.5',
      'flow-horizontal-scan 10.0.1.20 443',
      'flow-horizontal-scan 10.0.1.30 22',
      'flow-interface-flows eni-0a1b2c3d4e5f60718',
      'flow-rejected-by-source 198.51.100.23',
      'flow-retired-detector 10.0.9.9',
    ]);
    expect(rows[0]).toEqual(SCANNER_ROW);
    expect(rows[1]).toEqual(MONITOR_ROW);
    expect(rows[2]).toEqual(BACKUP_ROW);
  });

  it('still lists a baseline whose detector is no longer loaded, without a band it cannot compute', () => {
    const retired = rowsOf(runs.table!.stdout, 'KEY').find((r) => r[0] === 'flow-retired-detector');
    expect(retired).toEqual(['flow-retired-detector', '10.0.9.9', '111122223333', 'us-east-1', 'unknown detector', '2304', '6.93', '-', '8', '-', '▄▅▆▇'.repeat(12)]);
  });

  it('lists the peer baselines of each scope in a second table', () => {
    expect(rowsOf(runs.table!.stdout, 'SCOPE')).toEqual([
      ['flow-horizontal-scan', '-', '111122223333', 'us-east-1', 'trained', '2305', '2.08', '×1.82', '17.4'],
      ['flow-interface-flows', '-', '111122223333', 'us-east-1', 'trained', '2305', '51.6', '×6.88', '17171'],
      ['flow-rejected-by-source', '-', '111122223333', 'us-east-1', 'learning 0.0/7 d', '1', '1000', '×1.00', '4485'],
      ['flow-vertical-port-scan', '-', '111122223333', 'us-east-1', 'trained', '2305', '11.9', '×17.26', '66361'],
    ]);
  });

  it('prints no escape codes when stdout is not a terminal', () => {
    expect(runs.table!.stdout).not.toContain('\u001b');
  });

  it('--detector and --key keep the baselines of that detector whose key contains the text', () => {
    expect(runs.filtered!.code).toBe(0);
    expect(runs.filtered!.stdout.split('\n')[0]).toBe('1 key baseline, 0 with an anomaly episode');
    expect(rowsOf(runs.filtered!.stdout, 'KEY')).toEqual([MONITOR_ROW]);
    expect(runs.filtered!.stdout).toContain('0 peer baselines\n');
  });

  it('a detector filter keeps that detector exactly, its keys and its peers', () => {
    const { baselines, peers } = listBaselines(entries, detectors, { detector: 'flow-horizontal-scan' });
    expect(baselines.map((b) => b.key.join(' '))).toEqual(['10.0.1.20 443', '10.0.1.30 22']);
    expect(peers.map((p) => p.detector)).toEqual(['flow-horizontal-scan']);
    expect(listBaselines(entries, detectors, { detector: 'flow-horizontal' }).baselines).toEqual([]);
  });

  it('a key filter keeps the keys containing the text, across detectors, and scopes by account or region', () => {
    const byAddress = listBaselines(entries, detectors, { key: '198.51.100.23' });
    expect(byAddress.baselines.map((b) => `${b.detector} ${b.key.join(' ')}`)).toEqual(['flow-vertical-port-scan 198.51.100.23 10.0.1.5', 'flow-rejected-by-source 198.51.100.23']);
    expect(byAddress.peers).toEqual([]);
    const byRegion = listBaselines(entries, detectors, { key: 'us-east-1 10.0.1.3' });
    expect(byRegion.baselines.map((b) => b.key.join(' '))).toEqual(['10.0.1.30 22']);
    expect(listBaselines(entries, detectors, { key: '111122223333' }).peers).toHaveLength(4);
  });

  it('--json prints one object with the numbers and the recent series, and no sparkline', () => {
    expect(runs.json!.code).toBe(0);
    const { baselines, peers } = JSON.parse(runs.json!.stdout) as { baselines: BaselineListing[]; peers: PeerListing[] };
    expect(baselines).toHaveLength(6);
    expect(peers).toHaveLength(4);
    const scanner = baselines[0]!;
    expect(scanner).toMatchObject({
      detector: 'flow-vertical-port-scan',
      account: '111122223333',
      region: 'us-east-1',
      key: ['198.51.100.23', '10.0.1.5'],
      state: 'learning',
      days: 0,
      trainDays: 7,
      windows: 1,
      latest: 1000,
      episode: { start: '2026-01-13T00:15:00.000Z', last: '2026-01-13T00:15:00.000Z', windows: 1, peak: 1000 },
    });
    expect(scanner.recent).toEqual([{ windowStart: '2026-01-13T00:15:00.000Z', value: 1000, upper: scanner.recent[0]!.upper, above: true }]);
    const monitor = baselines[1]!;
    expect(monitor).toMatchObject({ state: 'trained', windows: 2304, firstWindow: '2026-01-05T00:00:00.000Z', lastWindow: '2026-01-12T23:55:00.000Z', latest: 8, episode: null });
    expect(monitor.recent).toHaveLength(48);
    expect(monitor.recent.map((w) => w.value)).toEqual(Array.from({ length: 12 }, () => [5, 6, 7, 8]).flat());
    expect(monitor.recent.every((w) => !w.above)).toBe(true);
    expect(baselines.find((b) => b.detector === 'flow-retired-detector')).toMatchObject({ state: 'unknown detector', upper: null });
    expect(peers[0]).toMatchObject({ detector: 'flow-horizontal-scan', scope: [], state: 'trained', windows: 2305 });
    expect(runs.json!.stdout).not.toMatch(/[▁▂▃▄▅▆▇█]/);
  });

  it('says so in one line when the state holds no baselines', () => {
    expect(runs.empty!).toMatchObject({ code: 0, stdout: 'No baselines yet: `skywatch replay` learns them from CloudTrail, VPC Flow Logs and AWS WAF logs.\n', stderr: '' });
  });

  it('is a usage error, as for findings, when there is no state', () => {
    expect(runs.missing!.code).toBe(2);
    expect(runs.missing!.stdout).toBe('');
    expect(runs.missing!.stderr).toBe(`skywatch: no state at ${join(root, 'nowhere', 'skywatch.db')}; run \`skywatch replay\` or \`skywatch demo\` first\n`);
  });
});
