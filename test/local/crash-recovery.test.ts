/**
 * The local state after a real SIGKILL, and two processes on one state: each event is counted once,
 * and a second writer is turned away before it does anything.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { skywatch, writeInput } from '../support/cli.js';
import { cloudTrailRecord, rootIdentity } from '../support/cloudtrail.js';

const CHILD = fileURLToPath(new URL('../support/crash-child.ts', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/skywatch.mjs', import.meta.url));
const ROOT_CALLS = 6_000;

let dir: string;
let input: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'skywatch-crash-'));
  input = join(dir, 'logs/root.jsonl');
  const lines = Array.from({ length: ROOT_CALLS }, (_, i) =>
    JSON.stringify(cloudTrailRecord({ userIdentity: rootIdentity, eventSource: 's3.amazonaws.com', eventName: 'ListBuckets', awsRegion: 'us-east-1', eventID: `7d0c1e2f-0000-4000-8000-${String(i).padStart(12, '0')}`, eventTime: `2026-11-02T09:${String(Math.floor(i / 100)).padStart(2, '0')}:00Z` })),
  );
  writeInput(input, lines.join('\n') + '\n');
});

const eventCounts = (state: string) =>
  Object.fromEntries(
    skywatch(['findings', '--state', state, '--json']).stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)).map((f) => [f.ProductFields['skywatch/RuleId'], Number(f.ProductFields['skywatch/EventCount'])]),
  );

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
}

describe('the local state after a crash', () => {
  it('counts each event once when a SIGKILL lands between the ledger update and the stored finding', async () => {
    const state = join(dir, 'state-killed');
    const child = spawnSync(process.execPath, ['--import', 'tsx', CHILD, state, input], { encoding: 'utf8', timeout: 120_000 });
    expect(child.signal).toBe('SIGKILL');
    expect(eventCounts(state)).toEqual({});
    const rerun = skywatch(['replay', input, '--state', state, '--json']);
    expect(rerun.code).toBe(0);
    expect(eventCounts(state)).toEqual({ 'root-account-usage': ROOT_CALLS });
  }, 180_000);

  it('counts each event once after replays killed at different moments and one run to the end', async () => {
    const state = join(dir, 'state-interrupted');
    for (const afterMs of [3_000, 5_000]) {
      const child = spawn(process.execPath, [BIN, 'replay', input, '--state', state], { stdio: 'ignore' });
      setTimeout(() => child.kill('SIGKILL'), afterMs);
      await exited(child);
    }
    expect(skywatch(['replay', input, '--state', state]).code).toBe(0);
    expect(eventCounts(state)).toEqual({ 'root-account-usage': ROOT_CALLS });
  }, 180_000);
});

describe('two processes on one state', () => {
  it('turns the second writer away at once with who holds the state, and lets the next in after a SIGKILL', async () => {
    const state = join(dir, 'state-shared');
    const first = spawn(process.execPath, [BIN, 'replay', input, '--state', state], { stdio: 'ignore' });
    const holder = join(state, 'lock.holder.json');
    while (!existsSync(holder) || JSON.parse(readFileSync(holder, 'utf8') || '{}').pid !== first.pid) await new Promise((r) => setTimeout(r, 50));
    const second = skywatch(['replay', input, '--state', state]);
    expect(second.code).toBe(6);
    expect(second.stderr).toMatch(new RegExp(`^skywatch: the state folder .*state-shared is in use by another skywatch process \\(pid ${first.pid}, "replay .*root\\.jsonl" since 20\\d\\d-.*\\); wait for it to finish, or use another --state\\n$`));
    expect(second.stdout).toBe('');
    first.kill('SIGKILL');
    await exited(first);
    expect(skywatch(['replay', input, '--state', state]).code).toBe(0);
    expect(eventCounts(state)).toEqual({ 'root-account-usage': ROOT_CALLS });
  }, 180_000);
});
