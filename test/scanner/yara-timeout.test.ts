import { afterAll, describe, expect, it } from 'vitest';
import { buildScanner } from '../../member/scanner/build-scanner.js';
import { DEFAULT_EXPAND_LIMITS } from '../../member/scanner/objects/limits.js';
import { scanObject } from '../../member/scanner/scan-object.js';
import { resultOf } from '../../member/scanner/scan-result-of.js';
import { readRuleFolders } from '../../member/scanner/build-scanner.js';
import { buildZip } from '../support/zip-writer.js';

// A jump with no upper bound after a one-byte atom: on a run of "a" every byte starts a match that
// is followed to the end of the data, so the scan time grows with the square of the size.
const SLOW = { file: 'yara/team/slow-export.yar', text: 'rule Export_Marker_Anywhere {\n  strings:\n    $a = { 61 [0-] 62 }\n  condition:\n    $a\n}\n' };
const MARKER = { file: 'yara/team/marker.yar', text: 'rule Release_Marker {\n  strings:\n    $m = "release-marker-4471"\n  condition:\n    $m\n}\n' };
const { secrets } = readRuleFolders('rules');
const built = buildScanner({ yara: [SLOW, MARKER], secrets }, { limits: DEFAULT_EXPAND_LIMITS, skipMedia: false, yaraTimeoutMs: 1000 });
const { scanner } = built;
afterAll(() => scanner.yara.close());

const RUNS_OF_A = Buffer.alloc(4 * 1024 * 1024, 'a');
// Made for this test: the shape of a GitHub token, valid nowhere.
const TOKEN = 'ghp_R2mX9kLq4TzW7vBn3YcJ8pHs5DfG1aKe6UoN';
const object = { account: '111122223333', region: 'eu-west-1', bucket: 'example-uploads', size: RUNS_OF_A.length };
const context = { rulesVersion: scanner.rulesVersion, now: new Date('2026-11-21T12:00:00Z') };
const ruleSet = `YARA rule set ${scanner.yara.source.version} (2 rules from 2 files)`;

describe('the YARA time limit of an object', () => {
  it('reports the slow pattern with its file and line when the rules compile', () => {
    expect(built.problems).toEqual([]);
    expect(built.warnings).toEqual([{ file: 'yara/team/slow-export.yar', line: 3, message: 'slow_pattern: slow pattern' }]);
  });

  it('stops a scan past the limit and gives a partial result with a note naming the rule set', async () => {
    const scan = await scanObject('exports/padding.txt', RUNS_OF_A, scanner);
    expect(scan.notes).toEqual([{ path: 'exports/padding.txt', reason: 'timeout', detail: `${ruleSet} did not finish within 1 s: no YARA matches for this part; the secret detectors read every part` }]);
    const result = resultOf({ ...object, key: 'exports/padding.txt' }, scan, [], context);
    expect(result).toMatchObject({ status: 'partial', matches: [], matchCount: 0 });
  }, 30_000);

  it('skips YARA for the parts after the one that ran out of time, and still runs the secret detectors on them', async () => {
    const zip = buildZip([
      { name: 'padding.txt', data: RUNS_OF_A, method: 'stored' },
      { name: 'deploy/.env', data: `GITHUB_TOKEN=${TOKEN}\nrelease-marker-4471\n`, method: 'stored' },
    ]);
    const scan = await scanObject('exports/bundle.zip', zip, scanner);
    expect(scan.matches.map((m) => [m.kind, m.rule, m.entry])).toEqual([['secret', 'github-personal-access-token', 'exports/bundle.zip!deploy/.env']]);
    expect(scan.notes).toEqual([{ path: 'exports/bundle.zip', reason: 'timeout', detail: `${ruleSet} did not finish within 1 s: no YARA matches for this part and the 2 parts after it; the secret detectors read every part` }]);
  }, 30_000);

  it('scans the next object in full, with a fresh helper', async () => {
    const scan = await scanObject('notes/release.txt', Buffer.from('shipped release-marker-4471 today\n'), scanner);
    expect(scan.matches.map((m) => m.rule)).toEqual(['Release_Marker']);
    expect(scan.notes).toEqual([]);
  }, 30_000);
});
