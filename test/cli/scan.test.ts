import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { skywatch, writeInput as write } from '../support/cli.js';
import { FIXTURES } from '../support/fixtures.js';
import { buildZip } from '../support/zip-writer.js';

// Fake credentials made for this test: realistic in shape, valid nowhere.
const KEY_ID = 'AKIAGSVXNDDHMES2POJR';
const SECRET = 'oIrctbMz2AF7SLBnh4rjoMp/Qyr9GIKNsUpiz2i3';
const WEBHOOK = 'https://hooks.slack.com/services/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';
const PEM_BODY = randomBytes(1190).toString('base64').match(/.{1,64}/g)!.join('\n');
const PEM = `-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY}\n-----END RSA PRIVATE KEY-----\n`;
const samples = JSON.parse(readFileSync(join(FIXTURES, 'yara/yara_test_samples.json'), 'utf8')) as Array<{ id: string; content_b64: string }>;
const EICAR = Buffer.from(samples.find((s) => s.id === 'eicar-standard')!.content_b64, 'base64');
const NEAR_MISS = Buffer.from(samples.find((s) => s.id === 'eicar-with-leading-newline')!.content_b64, 'base64');
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), randomBytes(2048)]);

let dir: string;
let folder: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'skywatch-scan-'));
  folder = join(dir, 'bucket');
  write(join(folder, 'malware/eicar.com'), EICAR);
  write(join(folder, 'malware/not-eicar.txt'), NEAR_MISS);
  write(join(folder, 'deploy/.env'), `# deploy settings\nREGION=eu-west-1\nAWS_ACCESS_KEY_ID=${KEY_ID}\nAWS_SECRET_ACCESS_KEY=${SECRET}\n`);
  write(join(folder, 'keys/id_rsa'), PEM);
  write(join(folder, 'ops/alerts.json'), JSON.stringify({ channel: '#ops', webhook: WEBHOOK }, null, 2));
  // Benign files that look a little like the above.
  write(join(folder, 'docs/README.md'), '# Deploying\n\nSet the password in the console, then export AWS_SECRET_ACCESS_KEY from your vault.\nSee https://hooks.slack.com/ for webhooks.\n');
  write(join(folder, 'deploy/run.sh'), '#!/bin/sh\naws s3 cp build/ "s3://$BUCKET/" --recursive\nexport AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY}"\n');
  write(join(folder, 'data/orders.csv'), 'order_id,amount,currency\n1001,12.50,EUR\n1002,8.00,EUR\n');
  write(join(folder, 'media/logo.png'), PNG);
});

describe('skywatch scan', () => {
  it('finds exactly the planted EICAR file, key pair, private key and Slack webhook, all redacted', () => {
    const run = skywatch(['scan', folder, '--json']);
    expect(run.code).toBe(5);
    const matches = run.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(matches.map((m) => [m.path.slice(folder.length + 1), m.kind, m.rule]).sort()).toEqual([
      ['deploy/.env', 'secret', 'aws-secret-access-key'],
      ['keys/id_rsa', 'secret', 'private-key'],
      ['malware/eicar.com', 'yara', 'SUSP_Just_EICAR'],
      ['ops/alerts.json', 'secret', 'slack-webhook-url'],
    ]);
    for (const m of matches) expect(Object.keys(m)).toEqual(['path', 'kind', 'rule', 'offset', 'preview']);
    const eicar = matches.find((m) => m.rule === 'SUSP_Just_EICAR');
    expect(eicar).toMatchObject({ offset: 0, preview: 'X5O!****H+H*' });
    const pair = matches.find((m) => m.rule === 'aws-secret-access-key');
    expect(pair.offset).toBe(readFileSync(join(folder, 'deploy/.env'), 'latin1').indexOf(SECRET));
    expect(pair.preview).toBe('oIrc****z2i3');
    for (const secret of [KEY_ID, SECRET, WEBHOOK, PEM_BODY.slice(0, 64), 'Xq7Lm2Nv9Bt4Kc8Hw1Zs6Dr3']) {
      expect(run.stdout).not.toContain(secret);
      expect(run.stderr).not.toContain(secret);
    }
  });

  it('prints a readable report with lines, masked previews and a summary', () => {
    const run = skywatch(['scan', folder]);
    expect(run.code).toBe(5);
    expect(run.stdout).toMatch(/CRITICAL +secret aws-secret-access-key +\S+deploy\/\.env:4 @\d+ +oIrc\*\*\*\*z2i3 +\[[0-9a-f]{12}\]/);
    expect(run.stdout).toContain('9 files scanned with');
    expect(run.stdout).toContain('4 matches in 4 files (1 YARA, 3 secrets).');
    expect(run.stdout).not.toContain(SECRET);
  });

  it('finds what is inside gzip and zip archives, naming the entry', () => {
    const archives = join(dir, 'archives');
    write(join(archives, 'backup.zip'), buildZip([{ name: 'app/config/.env', data: Buffer.from(`AWS_ACCESS_KEY_ID=${KEY_ID}\nAWS_SECRET_ACCESS_KEY=${SECRET}\n`) }, { name: 'readme.txt', data: Buffer.from('nothing here\n') }]));
    write(join(archives, 'eicar.com.gz'), gzipSync(EICAR));
    const run = skywatch(['scan', archives, '--json']);
    const matches = run.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(matches.map((m) => [m.path.slice(archives.length + 1), m.rule])).toEqual([
      ['backup.zip!app/config/.env', 'aws-secret-access-key'],
      ['eicar.com.gz!eicar.com', 'SUSP_Just_EICAR'],
    ]);
  });

  it('stops a gzip bomb at the ratio limit and reports an oversized file as not scanned, and exits 3', () => {
    const bombs = join(dir, 'bombs');
    // 64 MiB of zeros in about 64 KB: unpacking stops at 100 times the compressed size.
    write(join(bombs, 'zeros.gz'), gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 }));
    write(join(bombs, 'big.bin'), Buffer.alloc(2 * 1024 * 1024 + 1, 1));
    const run = skywatch(['scan', join(bombs, 'zeros.gz')]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^skywatch: ratio: .+: \S*zeros\.gz!zeros$/m);
    const large = skywatch(['scan', bombs, '--max-size', '2']);
    expect(large.code).toBe(3);
    expect(large.stderr).toContain(`skywatch: not scanned: too large (2097153 bytes, limit 2097152): ${join(bombs, 'big.bin')}`);
    // With a 2 MB limit, one unpacked part may not exceed 2 MB either.
    expect(large.stderr).toMatch(/^skywatch: entry-bytes: .+: \S*zeros\.gz!zeros$/m);
    expect(large.stdout).toContain('2 files scanned with');
  }, 60_000);

  it('names the file and line of a broken YARA rule, and scans with the rest', () => {
    const rules = join(dir, 'rules');
    write(join(rules, 'broken.yar'), 'rule ok_rule {\n  strings:\n    $a = "release-candidate"\n  condition:\n    $a and unknown_thing\n}\n');
    write(join(rules, 'mine.yar'), 'rule Internal_Build_Marker {\n  strings:\n    $a = "order_id,amount"\n  condition:\n    $a at 0\n}\n');
    const run = skywatch(['scan', join(folder, 'data'), '--rules', rules, '--no-builtin', '--json']);
    expect(run.stderr).toContain('skywatch: rule error: rules/broken.yar:5: E009: unknown identifier `unknown_thing`');
    expect(run.stdout.trim().split('\n').map((l) => JSON.parse(l).rule)).toEqual(['Internal_Build_Marker']);
    expect(run.code).toBe(5);
  });
});
