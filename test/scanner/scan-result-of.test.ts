import { describe, expect, it } from 'vitest';
import type { ScanMatch } from '../../member/scanner/scan-match.js';
import { resultOf } from '../../member/scanner/scan-result-of.js';
import { ScanResultSchema, type ScanNote } from '../../member/scanner/scan-result.js';

const object = { account: '111122223333', region: 'eu-west-1', bucket: 'example-uploads', key: 'backups/site.zip', size: 52311 };
const context = { rulesVersion: '5d41402abc4b', now: new Date('2026-11-21T12:00:00Z') };
const match = (severity: ScanMatch['severity'], offset: number): ScanMatch => ({ kind: 'secret', rule: 'password-in-config', title: 'Password in a configuration file', offset, line: 1, preview: 'hu****!', hash: 'a1b2c3d4e5f6', severity, findingType: 'Sensitive Data Identifications/Passwords/Password' });
const note = (path: string, reason: ScanNote['reason']): ScanNote => ({ path, reason, detail: 'stopped' });

describe('the scan result of an object', () => {
  it('is clean, matched, partial or not scanned', () => {
    expect(resultOf(object, { matches: [], notes: [], bytesScanned: 10 }, [], context).status).toBe('clean');
    expect(resultOf(object, { matches: [match('LOW', 3)], notes: [note('backups/site.zip!a.gz', 'ratio')], bytesScanned: 10 }, [], context).status).toBe('matched');
    expect(resultOf(object, { matches: [], notes: [note('backups/site.zip!a.gz', 'ratio')], bytesScanned: 10 }, [], context).status).toBe('partial');
    expect(resultOf(object, undefined, [note('backups/site.zip', 'too-large')], context).status).toBe('not-scanned');
    expect(resultOf(object, { matches: [], notes: [note('backups/site.zip', 'media')], bytesScanned: 0 }, [], context).status).toBe('not-scanned');
  });

  it('keeps the most severe matches first within the limit and counts them all', () => {
    const many = Array.from({ length: 130 }, (_, i) => match(i === 120 ? 'CRITICAL' : 'LOW', i));
    const result = resultOf(object, { matches: many, notes: [], bytesScanned: 10 }, [], context);
    expect(result.matches).toHaveLength(100);
    expect(result.matches[0]).toMatchObject({ severity: 'CRITICAL', offset: 120 });
    expect(result.matches[1]!.offset).toBe(0);
    expect(result.matchCount).toBe(130);
    expect(ScanResultSchema.parse(result)).toEqual(result);
  });

  it('keeps 49 notes of a bomb and counts the rest in the 50th, so the event stays valid', () => {
    const notes = Array.from({ length: 64 }, (_, i) => note(`backups/site.zip!layer${i}.zip`, 'ratio'));
    const result = resultOf(object, { matches: [], notes, bytesScanned: 10 }, [], context);
    expect(result.notes).toHaveLength(50);
    expect(result.notes[49]).toEqual({ path: 'backups/site.zip!layer49.zip', reason: 'ratio', detail: 'and 14 more parts not scanned or scanned in part' });
    expect(ScanResultSchema.safeParse(result).success).toBe(true);
  });
});
