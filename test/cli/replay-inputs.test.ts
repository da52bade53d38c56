import { chmodSync, existsSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skywatch, writeInput as write } from '../support/cli.js';
import { cloudTrailRecord } from '../support/cloudtrail.js';
import { insightRecord } from '../support/insights.js';
import { tarArchive } from '../support/tar-writer.js';
import { lockFolder, unlockFolder } from '../support/unreadable-folder.js';

const ACCOUNT_DIR = 'AWSLogs/o-a1b2c3d4e5/111122223333';
const DAY = `${ACCOUNT_DIR}/CloudTrail/us-east-1/2026/11/02`;
const trailFile = (n: number) => gzipSync(JSON.stringify({ Records: Array.from({ length: n }, () => cloudTrailRecord({ awsRegion: 'us-east-1' })) }));
let dir: string;
const locked: string[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'skywatch-inputs-'));
  // Open to all: one test runs the command as another user, who writes its state here.
  chmodSync(dir, 0o777);
});

afterAll(() => locked.forEach(unlockFolder));

describe('skywatch replay with unusual inputs', () => {
  it('names a folder it cannot list, replays the rest, and exits 3', () => {
    const logs = join(dir, 'locked-case');
    write(join(logs, DAY, '111122223333_CloudTrail_us-east-1_20261102T0915Z_readable00000001.json.gz'), trailFile(2));
    write(join(logs, 'restricted/111122223333_CloudTrail_us-east-1_20261102T0920Z_hidden0000000001.json.gz'), trailFile(3));
    const restricted = join(logs, 'restricted');
    const as = lockFolder(restricted);
    locked.push(restricted);
    const run = skywatch(['replay', logs, '--state', join(dir, 'state-locked')], undefined, as);
    expect(run.stderr).toBe(`skywatch: input error: ${restricted}: cannot list folder (permission denied)\n`);
    expect(run.stdout).toContain('Replayed 2 events from 1 files.');
    expect(run.code).toBe(3);
  });

  it('counts what it skipped (digest, Insights, links inside folders), lists each in --json, and exits 0', () => {
    const logs = join(dir, 'skipped-case');
    write(join(logs, DAY, '111122223333_CloudTrail_us-east-1_20261102T0915Z_good000000000001.json.gz'), trailFile(2));
    write(join(logs, `${ACCOUNT_DIR}/CloudTrail-Digest/us-east-1/2026/11/02/111122223333_CloudTrail-Digest_us-east-1_org-trail_us-east-1_20261102T1000Z.json.gz`), gzipSync('{"awsAccountId":"111122223333"}'));
    const insight = join(logs, `${ACCOUNT_DIR}/CloudTrail-Insight/us-east-1/2026/11/02/111122223333_CloudTrail-Insight_us-east-1_20261102T1005Z_insight000000001.json.gz`);
    write(insight, gzipSync(JSON.stringify({ Records: [insightRecord('Start'), insightRecord('End')] })));
    write(join(dir, 'outside/extra.json'), JSON.stringify({ Records: [cloudTrailRecord()] }));
    const link = join(logs, 'extra.json');
    symlinkSync(join(dir, 'outside/extra.json'), link);

    const run = skywatch(['replay', logs, '--state', join(dir, 'state-skipped')]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('Replayed 2 events from 3 files, skipped 3 (symbolic link inside a folder, not followed; CloudTrail digest file; CloudTrail Insights file).');
    expect(run.code).toBe(0);
    const report = JSON.parse(skywatch(['replay', logs, '--state', join(dir, 'state-skipped-json'), '--json']).stdout);
    expect(report.skipped).toEqual([
      { input: link, reason: 'symbolic link inside a folder, not followed' },
      { input: expect.stringContaining('CloudTrail-Digest_us-east-1'), reason: 'CloudTrail digest file' },
      { input: insight, reason: 'CloudTrail Insights file' },
    ]);
    expect(report.problems).toEqual([]);
  });

  it('reports a gzip bomb at the decompression limit by name, replays the rest, and exits 3', () => {
    const logs = join(dir, 'bomb-case');
    write(join(logs, DAY, '111122223333_CloudTrail_us-east-1_20261102T0915Z_good000000000001.json.gz'), trailFile(2));
    // 600 MiB of zeros in about 600 KB: 75 gzip members of 8 MiB each, as `cat` of bombs would make.
    const bomb = join(logs, DAY, '111122223333_CloudTrail_us-east-1_20261102T0920Z_bomb000000000001.json.gz');
    const member = gzipSync(Buffer.alloc(8 * 1024 * 1024), { level: 9 });
    write(bomb, Buffer.concat(Array.from({ length: 75 }, () => member)));
    const run = skywatch(['replay', logs, '--state', join(dir, 'state-bomb')]);
    expect(run.stderr).toBe(`skywatch: input error: ${bomb}: decompresses to more than the limit of 268435456 bytes; not read\n`);
    expect(run.stdout).toContain('Replayed 2 events from 2 files.');
    expect(run.code).toBe(3);
  }, 60_000);

  it('says a tar archive is not read instead of calling it invalid JSON, and exits 3', () => {
    const logs = join(dir, 'tar-case');
    const tgz = join(logs, 'exports/trail-2026-11-02.tar.gz');
    write(tgz, gzipSync(tarArchive([{ name: `${DAY}/111122223333_CloudTrail_us-east-1_20261102T0915Z_a.json`, data: JSON.stringify({ Records: [cloudTrailRecord()] }) }])));
    const run = skywatch(['replay', logs, '--state', join(dir, 'state-tar')]);
    expect(run.stderr).toBe(`skywatch: input error: ${tgz}: tar archives are not read; extract it and replay the folder\n`);
    expect(run.code).toBe(3);
  });

  it('refuses --out in a folder that does not exist before reading anything, and exits 2', () => {
    const logs = join(dir, 'out-case');
    write(join(logs, DAY, '111122223333_CloudTrail_us-east-1_20261102T0915Z_good000000000001.json.gz'), trailFile(2));
    const out = join(dir, 'no-such-folder/findings.jsonl');
    const state = join(dir, 'state-out');
    const run = skywatch(['replay', logs, '--state', state, '--out', out]);
    expect(run.stderr).toBe(`skywatch: --out ${out}: the folder ${join(dir, 'no-such-folder')} does not exist\n`);
    expect(run.stdout).toBe('');
    expect(run.code).toBe(2);
    expect(existsSync(state)).toBe(false);
    const onFolder = skywatch(['replay', logs, '--state', state, '--out', logs]);
    expect(onFolder.stderr).toBe(`skywatch: --out ${logs}: is a folder, not a file\n`);
    expect(onFolder.code).toBe(2);
    expect(existsSync(state)).toBe(false);
  });
});
