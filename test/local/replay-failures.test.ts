import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { MatchPool } from '../../central/local/match-pool.js';
import { replay } from '../../central/local/replay.js';
import { loadRuleFolders } from '../../central/local/rule-files.js';
import { writeInput as write } from '../support/cli.js';
import { cloudTrailRecord } from '../support/cloudtrail.js';
import { ManualClock } from '../support/detector.js';

const { rules, sources } = loadRuleFolders();
const DAY = 'AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/us-east-1/2026/11/02';
const MiB = 1024 * 1024;
// The big file (about 140 KB) crosses the file limit; the bomb (64 KB) only the text limit.
const limits = { maxFileBytes: 100 * 1024, maxTextBytes: MiB };
let dir: string;
let logs: string;
let big: string;
let bomb: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'skywatch-replay-failures-'));
  logs = join(dir, 'logs');
  for (const [n, time] of [[2, '0915'], [3, '0925']] as const) {
    const records = Array.from({ length: n }, () => cloudTrailRecord({ awsRegion: 'us-east-1' }));
    write(join(logs, DAY, `111122223333_CloudTrail_us-east-1_20261102T${time}Z_good00000000${time}.json.gz`), gzipSync(JSON.stringify({ Records: records })));
  }
  big = join(logs, DAY, '111122223333_CloudTrail_us-east-1_20261102T0920Z_big0000000000001.json');
  write(big, JSON.stringify({ Records: Array.from({ length: 100 }, () => cloudTrailRecord({ awsRegion: 'us-east-1' })) }));
  // 64 MiB of zeros in 8 gzip members of 8 MiB.
  bomb = join(logs, DAY, '111122223333_CloudTrail_us-east-1_20261102T0930Z_bomb000000000001.json.gz');
  const member = gzipSync(Buffer.alloc(8 * MiB), { level: 9 });
  write(bomb, Buffer.concat(Array.from({ length: 8 }, () => member)));
});

const replayInto = (state: string, options: Partial<Parameters<typeof replay>[0]> = {}) =>
  replay({ paths: [logs], stateDir: join(dir, state), rules, ruleSources: sources, clock: new ManualClock(), ...options });

describe('replaying inputs that cannot be processed', () => {
  it.each([0, 2])('reports files over the limits by name, reads the others, on %i worker threads', async (threads) => {
    const report = await replayInto(`state-limits-${threads}`, { threads, limits });
    expect(report.problems).toEqual([
      { input: big, reason: expect.stringMatching(/^file of \d+ bytes is over the limit of 102400 bytes; not read$/), level: 'error' },
      { input: bomb, reason: `decompresses to more than the limit of ${MiB} bytes; not read`, level: 'error' },
    ]);
    expect(report.files).toBe(4);
    expect(report.events).toBe(5);
  });

  it('reports a file whose matching failed on a worker thread, and replays the others', async () => {
    // A worker's error reaches the pool as a rejected match, whatever caused it.
    class FailingPool extends MatchPool {
      override match(path: string) {
        return path === big ? Promise.reject(new Error('Cannot create a string longer than 0x1fffffe8 characters')) : super.match(path);
      }
    }
    const pool = new FailingPool(sources, 2, { limits: { ...limits, maxFileBytes: 10 * MiB } });
    try {
      const report = await replayInto('state-failing', { pool });
      expect(report.problems).toEqual([
        { input: big, reason: 'could not be processed (Cannot create a string longer than 0x1fffffe8 characters)', level: 'error' },
        { input: bomb, reason: `decompresses to more than the limit of ${MiB} bytes; not read`, level: 'error' },
      ]);
      expect(report.events).toBe(5);
    } finally {
      await pool.close();
    }
  }, 60_000);
});
