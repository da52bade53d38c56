import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { skywatch, writeInput as write } from '../support/cli.js';
import { FIXTURES } from '../support/fixtures.js';
import { buildZip } from '../support/zip-writer.js';

// Made for this test: the shapes of a GitHub token and an AWS access key id, valid nowhere.
const TOKEN = 'ghp_R2mX9kLq4TzW7vBn3YcJ8pHs5DfG1aKe6UoN';
const KEY_ID = 'AKIAWQ5TZR3MXH7KPL2D';
const EICAR = Buffer.from(JSON.parse(readFileSync(join(FIXTURES, 'yara/yara_test_samples.json'), 'utf8'))[0].content_b64, 'base64');

let folder: string;
beforeAll(() => {
  folder = join(mkdtempSync(join(tmpdir(), 'skywatch-scan-names-')), 'outbox');
  write(join(folder, `${TOKEN}/notes.txt`), 'meeting notes\n');
  write(join(folder, 'bundle.zip'), buildZip([{ name: `exports/${KEY_ID}.txt`, data: EICAR }]));
});

describe('skywatch scan with secrets in file and entry names', () => {
  it('reports them as matches in the name and masks them in --json output', () => {
    const run = skywatch(['scan', folder, '--json']);
    expect(run.code).toBe(5);
    const matches = run.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(matches.map((m) => [m.path.slice(folder.length + 1), m.rule, m.inName ?? false, m.preview]).sort()).toEqual([
      ['bundle.zip!exports/AKIA****PL2D.txt', 'SUSP_Just_EICAR', false, 'X5O!****H+H*'],
      ['bundle.zip!exports/AKIA****PL2D.txt', 'aws-access-key-id', true, 'AKIA****PL2D'],
      ['ghp_****6UoN/notes.txt', 'github-personal-access-token', true, 'ghp_****6UoN'],
    ]);
    for (const value of [TOKEN, KEY_ID]) expect(run.stdout + run.stderr).not.toContain(value);
  });

  it('masks them in the table, marking a match in a name', () => {
    const run = skywatch(['scan', folder]);
    expect(run.code).toBe(5);
    expect(run.stdout).toMatch(/HIGH +secret github-personal-access-token +\S+\/outbox\/ghp_\*\*\*\*6UoN\/notes\.txt \(name\) @\d+ +ghp_\*\*\*\*6UoN/);
    expect(run.stdout).toMatch(/LOW +yara +SUSP_Just_EICAR +\S+\/outbox\/bundle\.zip!exports\/AKIA\*\*\*\*PL2D\.txt:1 @0/);
    for (const value of [TOKEN, KEY_ID]) expect(run.stdout + run.stderr).not.toContain(value);
  });

  it('masks them in what it reports on stderr about a file it did not scan', () => {
    write(join(folder, `${TOKEN}/large.bin`), Buffer.alloc(1024 * 1024 + 1));
    const large = skywatch(['scan', folder, '--max-size', '1']);
    expect(large.code).toBe(5);
    expect(large.stderr).toContain(`skywatch: not scanned: too large (1048577 bytes, limit 1048576): ${folder}/ghp_****6UoN/large.bin`);
    expect(large.stdout + large.stderr).not.toContain(TOKEN);
  });
});
