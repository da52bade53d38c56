/**
 * Runs every correlation rule's test cases through the whole pipeline, as the central detector would:
 * records -> every detection rule -> observations -> every correlation rule -> findings. A case fails
 * when its rule gives another number of findings or other accounts than declared, and also when a
 * correlation rule it does not declare fires: every case is a false-positive test for the others.
 * Each case runs three times, with its events in the given order, reversed and shuffled, one event
 * per batch, because correlation must not depend on arrival order.
 */
import { Detector } from '../detector.js';
import type { AsffFinding } from '../findings/asff.js';
import type { FindingSink } from '../ports.js';
import { RuleEngine } from '../rules/engine.js';
import type { CompiledRule } from '../rules/rule.js';
import { decodeTestRecords, type RuleTestResult } from '../rules/self-test.js';
import { MemoryStateStore } from '../state/memory-store.js';
import type { CompiledCorrelation, CorrelationTest } from './compile.js';
import { EngineCorrelator } from './correlator.js';
import { isCorrelationFinding, type HomePlace } from './finding.js';
import type { SecurityEvent } from '../event.js';

/** Where test cases file their correlation findings. */
export const TEST_HOME: HomePlace = { account: '999999999999', region: 'us-east-1' };

const ORDERS = ['in order', 'reversed', 'shuffled'] as const;

/** Runs all cases of all correlation rules; detection rules are the full set the cases go through. */
export async function runCorrelationTests(rules: readonly CompiledRule[], correlations: readonly CompiledCorrelation[]): Promise<RuleTestResult[]> {
  const engine = new RuleEngine(rules);
  const results: RuleTestResult[] = [];
  for (const correlation of correlations) {
    for (const test of correlation.tests) {
      const base = { ruleId: correlation.id, file: correlation.file, name: test.name };
      const decoded = decodeTestRecords(test.events, `${correlation.file} test "${test.name}"`);
      if ('reason' in decoded) {
        results.push({ ...base, passed: false, reason: decoded.reason });
        continue;
      }
      const reasons: string[] = [];
      for (const order of ORDERS) {
        const events = arrange(decoded.events, order);
        const findings = await correlate(engine, correlations, events);
        const problem = judge(correlation, test, findings);
        if (problem) reasons.push(`${order}: ${problem}`);
      }
      results.push(reasons.length ? { ...base, passed: false, reason: [...new Set(reasons)].join('; ') } : { ...base, passed: true });
    }
  }
  return results;
}

/** The correlation findings of one run, their last version each. */
async function correlate(engine: RuleEngine, correlations: readonly CompiledCorrelation[], events: readonly SecurityEvent[]): Promise<AsffFinding[]> {
  const state = new MemoryStateStore();
  const found = new Map<string, AsffFinding>();
  const sink: FindingSink = { put: async (findings) => void findings.forEach((f) => found.set(f.Id, f)) };
  const clock = { now: () => new Date('2026-12-01T00:00:00Z') };
  const detector = new Detector({ engine, state, sink, clock, correlator: new EngineCorrelator({ rules: correlations, state, home: TEST_HOME }) });
  for (const event of events) await detector.process([event]);
  return [...found.values()].filter(isCorrelationFinding);
}

/** What is wrong with a run's findings for this case, or undefined. */
function judge(correlation: CompiledCorrelation, test: CorrelationTest, findings: readonly AsffFinding[]): string | undefined {
  const own = findings.filter((f) => f.ProductFields['skywatch/CorrelationRule'] === correlation.id);
  const allowed = new Set([correlation.id, ...(test.expect.alsoFires ?? [])]);
  const unexpected = [...new Set(findings.map((f) => f.ProductFields['skywatch/CorrelationRule']!).filter((id) => !allowed.has(id)))];
  const problems: string[] = [];
  if (own.length !== test.expect.findings) problems.push(`expected ${test.expect.findings} findings, got ${own.length}`);
  if (test.expect.accounts) {
    const named = [...new Set(own.flatMap((f) => (f.ProductFields['skywatch/Accounts'] ?? '').split(',').filter(Boolean)))].sort();
    const expected = [...test.expect.accounts].sort();
    if (named.join(',') !== expected.join(',')) problems.push(`expected accounts ${expected.join(', ')}, got ${named.join(', ') || 'none'}`);
  }
  const missingAlso = (test.expect.alsoFires ?? []).filter((id) => !findings.some((f) => f.ProductFields['skywatch/CorrelationRule'] === id));
  if (missingAlso.length) problems.push(`expected also to fire but did not: ${missingAlso.join(', ')}`);
  if (unexpected.length) problems.push(`fired but not declared: ${unexpected.join(', ')}`);
  return problems.length ? problems.join('; ') : undefined;
}

/** The events in one of the three orders; the shuffle is seeded, so a failure repeats. */
function arrange<T>(events: readonly T[], order: (typeof ORDERS)[number]): T[] {
  if (order === 'in order') return [...events];
  if (order === 'reversed') return [...events].reverse();
  const out = [...events];
  let seed = 0x2545f491;
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
