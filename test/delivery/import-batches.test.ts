import { describe, expect, it } from 'vitest';
import { importBatches, jsonBytes, SECURITY_HUB_IMPORT_LIMITS } from '../../central/core/delivery/import-batches.js';
import type { AsffFinding } from '../../central/core/findings/asff.js';
import { sampleFinding } from './samples.js';

const ACCOUNT = '111122223333';

/** A finding padded with one product field to exactly `kb` KB of JSON (never sent: batching only). */
function ofSize(n: number, kb: number): AsffFinding {
  const finding = sampleFinding(ACCOUNT, 'eu-west-1', n);
  const bare = { ...finding, ProductFields: { ...finding.ProductFields, 'skywatch/Padding': '' } };
  return { ...finding, ProductFields: { ...bare.ProductFields, 'skywatch/Padding': 'x'.repeat(kb * 1024 - jsonBytes(bare)) } };
}

const requestBytes = (batch: AsffFinding[]) => jsonBytes({ Findings: batch });

describe('splitting findings into import requests', () => {
  it('sends at most 100 findings a request, in order', () => {
    const findings = Array.from({ length: 250 }, (_, i) => sampleFinding(ACCOUNT, 'eu-west-1', i));
    const { batches, rejected } = importBatches(findings);
    expect(batches.map((b) => b.length)).toEqual([100, 100, 50]);
    expect(batches.flat().map((f) => f.Id)).toEqual(findings.map((f) => f.Id));
    expect(rejected).toEqual([]);
  });

  it('keeps every request under 6 MB of JSON, measured in bytes', () => {
    // 30 findings of about 230 KB: 26 fit in 6 MB (26 x 230 KB = 5.84 MB), the 27th would not.
    const findings = Array.from({ length: 30 }, (_, i) => ofSize(i, 230));
    const { batches } = importBatches(findings);
    expect(batches.map((b) => b.length)).toEqual([26, 4]);
    for (const batch of batches) expect(requestBytes(batch)).toBeLessThanOrEqual(SECURITY_HUB_IMPORT_LIMITS.maxRequestBytes);
    expect(requestBytes([...batches[0]!, batches[1]![0]!])).toBeGreaterThan(SECURITY_HUB_IMPORT_LIMITS.maxRequestBytes);
  });

  it('counts multi-byte characters as the bytes they are on the wire', () => {
    const wide = sampleFinding(ACCOUNT, 'eu-west-1', 1, { Description: 'é'.repeat(1000) });
    expect(jsonBytes(wide)).toBe(JSON.stringify(wide).length + 1000);
    const limits = { maxFindings: 100, maxRequestBytes: jsonBytes({ Findings: [wide] }), maxFindingBytes: 240 * 1024 };
    expect(importBatches([wide, wide], limits).batches.map((b) => b.length)).toEqual([1, 1]);
  });

  it('rejects a finding over 240 KB with its size, and sends the others', () => {
    const big = ofSize(7, 241);
    const small = [sampleFinding(ACCOUNT, 'eu-west-1', 1), sampleFinding(ACCOUNT, 'eu-west-1', 2)];
    const { batches, rejected } = importBatches([small[0]!, big, small[1]!]);
    expect(batches).toEqual([small]);
    expect(rejected).toEqual([{ finding: big, reason: `finding is ${jsonBytes(big)} bytes of JSON; Security Hub accepts at most 245760` }]);
  });

  it('accepts a finding of exactly 240 KB', () => {
    const finding = ofSize(1, 240);
    expect(jsonBytes(finding)).toBe(240 * 1024);
    expect(importBatches([finding]).batches).toEqual([[finding]]);
  });

  it('makes no request for no findings', () => {
    expect(importBatches([])).toEqual({ batches: [], rejected: [] });
  });
});
