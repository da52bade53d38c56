import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStatisticsDetectors } from '../../../central/core/statistics/load.js';
import { runStatisticsTests } from '../../../central/core/statistics/self-test.js';

const folder = new URL('../../../rules/statistics/', import.meta.url).pathname;
const files = readdirSync(folder).filter((f) => f.endsWith('.yaml')).map((f) => ({ file: join('rules/statistics', f), text: readFileSync(join(folder, f), 'utf8') }));

describe('the shipped statistics detectors', () => {
  const loaded = loadStatisticsDetectors(files);

  it('all load', () => {
    expect(loaded.problems).toEqual([]);
    expect(loaded.detectors.map((d) => d.detector.id).sort()).toEqual(files.map((f) => f.file.replace(/^rules\/statistics\/|\.yaml$/g, '')).sort());
  });

  it('cover the flow and WAF behaviours the mission names', () => {
    const ids = loaded.detectors.map((d) => d.detector.id);
    for (const id of ['flow-bytes-to-external-address', 'flow-rejected-by-source', 'flow-vertical-port-scan', 'flow-horizontal-scan', 'flow-interface-flows', 'waf-requests-per-client-ip', 'waf-block-ratio-per-web-acl', 'waf-requests-per-uri', 'waf-requests-per-country', 'waf-distinct-uris-per-client', 'waf-requests-per-terminating-rule']) {
      expect(ids).toContain(id);
    }
  });

  it('pass their own tests, each with a positive and a negative case', async () => {
    const { failures, tests } = await runStatisticsTests(loaded.detectors);
    expect(failures).toEqual([]);
    expect(tests).toBeGreaterThanOrEqual(2 * loaded.detectors.length);
    for (const { tests } of loaded.detectors) {
      expect(tests.some((t) => t.expect.anomalies > 0)).toBe(true);
      expect(tests.some((t) => t.expect.anomalies === 0)).toBe(true);
    }
  }, 60_000);
});
