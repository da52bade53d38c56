import { describe, expect, it } from 'vitest';
import { runRuleTests } from '../../central/core/rules/self-test.js';
import { loadRuleFolders } from '../../central/local/rule-files.js';

const { rules, problems } = loadRuleFolders();

describe('the built-in ruleset', () => {
  it('loads every rule file without a problem', () => {
    expect(problems).toEqual([]);
  });

  it('passes every rule test case against the whole rule set', async () => {
    const failed = (await runRuleTests(rules)).filter((r) => !r.passed);
    expect(failed).toEqual([]);
  });

  it('has a case that fires and a case that does not for every rule', () => {
    for (const rule of rules) {
      expect(rule.tests.some((t) => t.fires), rule.id).toBe(true);
      expect(rule.tests.some((t) => !t.fires), rule.id).toBe(true);
    }
  });
});
