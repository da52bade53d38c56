import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skywatch } from '../support/cli.js';

// Made for this test: the shape of a GitHub token, valid nowhere.
const TOKEN = 'ghp_R2mX9kLq4TzW7vBn3YcJ8pHs5DfG1aKe6UoN';
const SIZE = 600 * 1024 * 1024;
const AT = SIZE - 200;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'skywatch-scan-large-'));
  // Sparse: 600 MiB long, a few bytes on disk. The token sits past V8's 512 MiB string limit.
  const fd = openSync(join(dir, 'disk.img'), 'w');
  writeSync(fd, ` token=${TOKEN}\n`, AT - 7);
  writeSync(fd, '\0', SIZE - 1);
  closeSync(fd);
  writeFileSync(join(dir, 'later.env'), `GITHUB_TOKEN=${TOKEN}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('skywatch scan on a file larger than a string can be', () => {
  it('scans a 600 MB file to its end with --max-size 1024, and goes on with the next file', () => {
    const run = skywatch(['scan', dir, '--max-size', '1024', '--json'], undefined, { timeoutMs: 300_000 });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual([
      { path: join(dir, 'disk.img'), kind: 'secret', rule: 'github-personal-access-token', offset: AT, preview: 'ghp_****6UoN' },
      { path: join(dir, 'later.env'), kind: 'secret', rule: 'github-personal-access-token', offset: 13, preview: 'ghp_****6UoN' },
    ]);
    expect(run.code).toBe(5);
  }, 320_000);
});
