import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { skywatch, writeInput as write } from '../support/cli.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'skywatch-scan-timeout-'));
  // A jump with no upper bound after a one-byte atom: quadratic on a run of "a".
  write(join(dir, 'rules/slow-export.yar'), 'rule Export_Marker_Anywhere {\n  strings:\n    $a = { 61 [0-] 62 }\n  condition:\n    $a\n}\n');
  write(join(dir, 'files/padding.txt'), Buffer.alloc(4 * 1024 * 1024, 'a'));
  write(join(dir, 'files/notes.txt'), 'ab\n');
});

describe('skywatch scan --yara-timeout', () => {
  it('warns about the slow pattern, reports the file that ran out of time as scanned in part, and scans the rest', () => {
    const run = skywatch(['scan', join(dir, 'files'), '--rules', join(dir, 'rules'), '--no-builtin', '--yara-timeout', '1', '--json']);
    expect(run.stderr).toMatch(/^skywatch: rule warning: \S*slow-export\.yar:3: slow_pattern: slow pattern$/m);
    expect(run.stderr).toMatch(new RegExp(`^skywatch: timeout: YARA rule set [0-9a-f]{12} \\(1 rules from 1 files\\) did not finish within 1 s: no YARA matches for this part; the secret detectors read every part: ${join(dir, 'files/padding.txt')}$`, 'm'));
    expect(run.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual([{ path: join(dir, 'files/notes.txt'), kind: 'yara', rule: 'Export_Marker_Anywhere', offset: 0, preview: '****' }]);
    expect(run.code).toBe(5);
  });

  it('refuses a negative timeout as a usage error', () => {
    const run = skywatch(['scan', join(dir, 'files'), '--yara-timeout', '-1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('expected a number of seconds (0 or more), got "-1"');
  });
});
