/**
 * Runs suppression test cases: each event goes through the whole rule set; the named rule must fire,
 * and the suppression must cover (or not cover) its finding as declared. Expiry is checked apart, so
 * a test keeps passing after its suppression expires and the expiry is reported on its own.
 */
import { resourcesOf } from '../detector.js';
import { RuleEngine } from '../rules/engine.js';
import type { CompiledRule } from '../rules/rule.js';
import { decodeTestRecords, type RuleTestResult } from '../rules/self-test.js';
import type { LoadedSuppressions } from './load.js';

export function runSuppressionTests(loaded: LoadedSuppressions, rules: readonly CompiledRule[]): RuleTestResult[] {
  const engine = new RuleEngine(rules);
  const results: RuleTestResult[] = [];
  for (const suppression of loaded.suppressions) {
    for (const test of loaded.tests.get(suppression.id) ?? []) {
      const base = { ruleId: `suppression ${suppression.id}`, file: suppression.file, name: test.name };
      const decoded = decodeTestRecords([test.event], `${suppression.file} test "${test.name}"`);
      if ('reason' in decoded) {
        results.push({ ...base, passed: false, reason: decoded.reason });
        continue;
      }
      const event = decoded.events[0]!;
      const hit = engine.evaluate(event).find((h) => h.rule.id === test.rule);
      if (!hit) {
        results.push({ ...base, passed: false, reason: `rule ${test.rule} does not fire on the test event (or is not loaded)` });
        continue;
      }
      const directory = test.account && { describe: () => ({ ous: test.account!.ous, tags: test.account!.tags }) };
      const applies = suppression.applies(hit.rule.id, event, resourcesOf(hit.rule, event).map((r) => r.id), directory);
      results.push(
        applies === test.suppressed
          ? { ...base, passed: true }
          : { ...base, passed: false, reason: test.suppressed ? 'expected the suppression to cover the finding' : 'the suppression covers a finding it should not' },
      );
    }
  }
  return results;
}
