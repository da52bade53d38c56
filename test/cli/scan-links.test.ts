import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { skywatch, writeInput as write } from '../support/cli.js';

// A webhook made for this test: realistic in shape, valid nowhere.
const WEBHOOK = 'https://hooks.slack.com/services/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';

describe('skywatch scan and symbolic links', () => {
  it('does not follow a link inside a scanned folder, says so, and scans the link when it is named', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skywatch-scan-links-'));
    write(join(dir, 'private/alerts.json'), JSON.stringify({ channel: '#ops', webhook: WEBHOOK }, null, 2));
    write(join(dir, 'bucket/data/orders.csv'), 'order_id,amount,currency\n1001,12.50,EUR\n');
    const link = join(dir, 'bucket/alerts.json');
    symlinkSync(join(dir, 'private/alerts.json'), link);

    const walked = skywatch(['scan', join(dir, 'bucket'), '--json']);
    expect(walked.stdout).toBe('');
    expect(walked.stderr).toBe(`skywatch: notice: symbolic link inside a folder, not followed: ${link}\n`);
    expect(walked.code).toBe(0);
    const named = skywatch(['scan', link, '--json']);
    expect(named.stdout.trim().split('\n').map((l) => JSON.parse(l).rule)).toEqual(['slack-webhook-url']);
    expect(named.code).toBe(5);
  });
});
