import { describe, expect, it } from 'vitest';
import { normalizeEnvelope } from '../../central/core/decode/eventbridge.js';
import { Detector } from '../../central/core/detector.js';
import { RuleEngine } from '../../central/core/rules/engine.js';
import { severityRank } from '../../central/core/rules/schema.js';
import { MemoryStateStore } from '../../central/core/state/memory-store.js';
import type { ScanMatch } from '../../member/scanner/scan-match.js';
import { resultOf } from '../../member/scanner/scan-result-of.js';
import { SCAN_RESULT_DETAIL_TYPE, SCAN_RESULT_SOURCE, ScanResultSchema, type ScanNote, type ScanResult } from '../../member/scanner/scan-result.js';
import { validateAsffFinding } from '../support/aws-model.js';
import { ManualClock, RecordingSink } from '../support/detector.js';

const object = { account: '111122223333', region: 'eu-west-1', bucket: 'example-uploads', key: 'exports/2026-11/月次レポート.zip', size: 9_000_000 };
const context = { rulesVersion: '5d41402abc4b', now: new Date('2026-11-21T12:00:00Z') };

/** EventBridge's count for the entry CentralBusResults sends, worked out here from its documentation. */
function putEventsEntryBytes(result: ScanResult): number {
  const utf8 = (text: string) => new TextEncoder().encode(text).length;
  return utf8(SCAN_RESULT_SOURCE) + utf8(SCAN_RESULT_DETAIL_TYPE) + utf8(JSON.stringify(result)) + utf8(`arn:aws:s3:::${result.bucket}/${result.key}`);
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The findings the central detector makes of `result`, each checked against the ASFF model. */
async function centralFindings(result: ScanResult) {
  const event = normalizeEnvelope({ version: '0', id: '7f1d2c3b-4a5e-4f60-8b7c-9d0e1f2a3b4c', 'detail-type': SCAN_RESULT_DETAIL_TYPE, source: SCAN_RESULT_SOURCE, account: object.account, time: '2026-11-21T12:00:01Z', region: object.region, resources: [], detail: result });
  const detector = new Detector({ engine: new RuleEngine([]), state: new MemoryStateStore(), sink: new RecordingSink(), clock: new ManualClock() });
  const { findings } = await detector.process([event]);
  for (const f of findings) expect(validateAsffFinding(f)).toEqual([]);
  return findings;
}

const SEVERITIES: ScanMatch['severity'][] = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

/** A YARA match in an archive entry whose name is long CJK text and emoji: 3 and 4 bytes a character in UTF-8. */
function match(i: number): ScanMatch {
  const name = `${'売上データ集計表'.repeat(120)}📦🗂️${i}.csv`;
  return {
    kind: 'yara', rule: `Suspicious_Export_${i}`, title: `Export bundle ${'説明文'.repeat(60)}`, offset: i * 64, line: i + 1,
    preview: 'PK..****..', hash: (i + 1).toString(16).padStart(12, '0'), entry: `${object.key}!${name}`,
    severity: SEVERITIES[i % SEVERITIES.length]!, findingType: 'TTPs/Execution/Malicious content',
  };
}

describe('the size of a scan result', () => {
  it('keeps 100 matches with long multi-byte entry names under 256 KB, leaving out the least severe and counting them', () => {
    const matches = Array.from({ length: 130 }, (_, i) => match(i));
    const result = resultOf(object, { matches, notes: [], bytesScanned: 10 }, [], context);
    expect(ScanResultSchema.parse(result)).toEqual(result);
    expect(putEventsEntryBytes(result)).toBeLessThan(256 * 1024);
    // Without the size limit the 100 reported matches would need about 340 KB.
    expect(result.matches.length).toBeGreaterThan(50);
    expect(result.matches.length).toBeLessThan(100);
    expect(result.matchCount).toBe(130);
    expect(result.matchesDropped).toBe(130 - result.matches.length);
    const kept = new Set(result.matches.map((m) => m.rule));
    const dropped = matches.filter((m) => !kept.has(m.rule));
    const leastKept = Math.min(...result.matches.map((m) => severityRank(m.severity)));
    expect(dropped.every((m) => severityRank(m.severity) <= leastKept)).toBe(true);
    expect(result.matches.filter((m) => m.severity === 'CRITICAL')).toHaveLength(26);
  });

  it('says nothing of dropped matches when none were', () => {
    const result = resultOf(object, { matches: [match(4)], notes: [], bytesScanned: 10 }, [], context);
    expect(result.matchCount).toBe(1);
    expect('matchesDropped' in result).toBe(false);
  });

  it('shortens an entry and a note path past 1,024 characters in the middle, marks them, and never splits an emoji', () => {
    const deep = `${object.key}!${'深い/'.repeat(300)}🔑🔑🔑${'🔒'.repeat(400)}/.env`;
    const note: ScanNote = { path: deep, reason: 'ratio', detail: 'declares 9000000 bytes: more than 100x its 900 compressed bytes' };
    const result = resultOf(object, { matches: [{ ...match(0), entry: deep }], notes: [note], bytesScanned: 10 }, [], context);
    expect(ScanResultSchema.safeParse(result).success).toBe(true);
    const [m] = result.matches;
    expect(m).toMatchObject({ entryTruncated: true });
    expect(result.notes[0]).toMatchObject({ pathTruncated: true, reason: 'ratio' });
    for (const shown of [m!.entry!, result.notes[0]!.path]) {
      expect(shown.length).toBeLessThanOrEqual(1024);
      expect(shown.startsWith(`${object.key}!深い/`)).toBe(true);
      expect(shown.endsWith('🔒🔒/.env')).toBe(true);
      expect(shown).toContain('…');
      // Half an emoji would be a lone surrogate: not well-formed text.
      expect(shown).not.toMatch(LONE_SURROGATE);
    }
  });

  it('keeps fifty notes of long escaped paths from crowding out every match', () => {
    // Control characters are escaped by JSON.stringify as six bytes each: fifty such notes alone pass 256 KB.
    const notes = Array.from({ length: 50 }, (_, i): ScanNote => ({ path: `${object.key}!${'\u0001'.repeat(1000)}${i}`, reason: 'entry-bytes', detail: '\u0002'.repeat(500) }));
    const result = resultOf(object, { matches: [match(4)], notes, bytesScanned: 10 }, [], context);
    expect(putEventsEntryBytes(result)).toBeLessThan(256 * 1024);
    expect(result.matches.map((m) => m.rule)).toEqual(['Suspicious_Export_4']);
    expect(result.notes.length).toBeLessThan(50);
    expect(result.notes.at(-1)!.detail).toBe(`and ${50 - result.notes.length} more parts not scanned or scanned in part`);
  });

  it('tells the central finding how many matches the result left out', async () => {
    const matches = Array.from({ length: 130 }, (_, i) => ({ ...match(i), rule: 'Suspicious_Export' }));
    const result = resultOf(object, { matches, notes: [], bytesScanned: 10 }, [], context);
    const [finding] = await centralFindings(result);
    expect(finding!.ProductFields['skywatch/MatchesDropped']).toBe(String(result.matchesDropped));
    expect(finding!.Description).toContain(`The scan result left out the ${result.matchesDropped} least severe of the object's 130 matches`);
  });

  it('is accepted by the central side with paths past the limit, and its findings are valid ASFF', async () => {
    const deep = `${object.key}!${'🗃️'.repeat(700)}/payload.js`;
    const result = resultOf(object, { matches: [{ ...match(4), entry: deep }], notes: [{ path: deep, reason: 'entries', detail: 'more than 10000 entries in the object: nothing more is expanded' }], bytesScanned: 10 }, [], context);
    const findings = await centralFindings(result);
    expect(findings.map((f) => f.ProductFields['skywatch/RuleId']).sort()).toEqual(['object-archive-bomb', 'object-malware']);
  });
});
