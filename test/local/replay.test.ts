import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadRuleFolders } from '../../central/local/rule-files.js';
import { replay } from '../../central/local/replay.js';
import { cloudTrailRecord, rootIdentity } from '../support/cloudtrail.js';
import { ManualClock } from '../support/detector.js';

const { rules, sources } = loadRuleFolders();

function writeTrail(dir: string): void {
  for (let f = 0; f < 12; f++) {
    const day = join(dir, `AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/us-east-1/2026/11/0${1 + (f % 9)}`);
    mkdirSync(day, { recursive: true });
    const records = Array.from({ length: 40 }, (_, i) =>
      i % 13 === 0
        ? cloudTrailRecord({ userIdentity: rootIdentity, eventSource: 's3.amazonaws.com', eventName: 'ListBuckets', awsRegion: 'us-east-1', sourceIPAddress: `198.51.100.${f}`, eventTime: `2026-11-0${1 + (f % 9)}T10:${String(i).padStart(2, '0')}:00Z` })
        : cloudTrailRecord({ awsRegion: 'us-east-1' }),
    );
    writeFileSync(join(day, `111122223333_CloudTrail_us-east-1_2026110${1 + (f % 9)}T10${String(f).padStart(2, '0')}Z_${f}.json.gz`), gzipSync(JSON.stringify({ Records: records })));
  }
  writeFileSync(join(dir, 'AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/us-east-1/2026/11/01/broken.json.gz'), Buffer.from('not gzip at all'));
}

describe('replaying local files', () => {
  it('finds the same findings, problems and counts on worker threads as inline', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skywatch-replay-'));
    writeTrail(join(dir, 'logs'));
    const run = (threads: number) =>
      replay({ paths: [join(dir, 'logs')], stateDir: join(dir, `state-${threads}`), rules, ruleSources: sources, threads, clock: new ManualClock() });
    const inline = await run(0);
    const threaded = await run(2);
    expect(inline.events).toBe(480);
    expect(inline.findings).toHaveLength(12);
    expect(threaded.events).toBe(inline.events);
    expect(threaded.problems).toEqual(inline.problems);
    expect(threaded.findings).toEqual(inline.findings);
    expect(threaded.stored).toEqual({ created: 12, updated: 0, ignored: 0 });
  });
});
