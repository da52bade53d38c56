/**
 * Runs every rule's embedded test cases against the whole rule set: a case fails when its rule does
 * not fire as declared, and also when any rule fires that the case does not declare. Every fixture
 * is then a false-positive test for every other rule.
 */
import { decodeParsed, type DecodedInput } from '../decode/log-object.js';
import type { SecurityEvent } from '../event.js';
import type { AsnLookup } from '../ioc/asn-ranges.js';
import { MemoryStateStore } from '../state/memory-store.js';
import { RuleEngine } from './engine.js';
import { RuleGates } from './gates.js';
import type { CompiledRule } from './rule.js';

/** The outcome of one test case. */
export interface RuleTestResult {
  readonly ruleId: string;
  readonly file: string;
  readonly name: string;
  readonly passed: boolean;
  /** What went wrong, when it failed. */
  readonly reason?: string;
}

/**
 * Runs all cases of all rules against an engine holding every rule. A case with `events` is a
 * sequence: its events go through threshold and first-seen state (fresh for each case) in order.
 */
export async function runRuleTests(rules: readonly CompiledRule[]): Promise<RuleTestResult[]> {
  const engine = new RuleEngine(rules);
  const results: RuleTestResult[] = [];
  for (const rule of rules) {
    for (const test of rule.tests) {
      const base = { ruleId: rule.id, file: rule.file, name: test.name };
      const decoded = decodeTestRecords(test.events ?? [test.event!], `${rule.file} test "${test.name}"`);
      if ('reason' in decoded) {
        results.push({ ...base, passed: false, reason: decoded.reason });
        continue;
      }
      const failuresBefore = engine.failures.length;
      const asn = test.asnOf && testAsnLookup(test.asnOf);
      const admitted = await new RuleGates(new MemoryStateStore(), { asn }).admit(decoded.events.flatMap((event) => engine.evaluate(event)));
      const fired = new Set(admitted.hits.map((h) => h.rule.id));
      const thrown = engine.failures.slice(failuresBefore);
      const expected = new Set([...(test.fires ? [rule.id] : []), ...(test.alsoFires ?? [])]);
      const missing = [...expected].filter((id) => !fired.has(id));
      const unexpected = [...fired].filter((id) => !expected.has(id));
      const reasons = [
        ...thrown.map((f) => `rule ${f.ruleId} threw: ${f.error}`),
        ...(missing.length ? [`expected to fire but did not: ${missing.join(', ')}`] : []),
        ...(unexpected.length ? [`fired but not declared: ${unexpected.join(', ')}`] : []),
      ];
      results.push(reasons.length ? { ...base, passed: false, reason: reasons.join('; ') } : { ...base, passed: true });
    }
  }
  return results;
}

/** A case's own ASN table (`asnOf: { "198.51.100.7": 64500 }`), so no test depends on downloaded data. */
function testAsnLookup(table: Readonly<Record<string, number>>): AsnLookup {
  return { asnOf: (ip) => (Object.hasOwn(table, ip) ? { asn: table[ip]! } : undefined) };
}

/** Decodes a test case's records, one event each, or says why they do not decode. */
export function decodeTestRecords(records: readonly unknown[], label: string): { events: SecurityEvent[] } | { reason: string } {
  const decoded: DecodedInput = { events: [], problems: [] };
  for (const record of records) decodeParsed(record, label, decoded);
  if (decoded.events.length === records.length) return { events: decoded.events };
  return { reason: `test event does not decode: ${decoded.problems.map((p) => p.reason).join('; ') || 'expected one event per record'}` };
}
