/**
 * The built-in correlation rules: every one loads, carries positive and negative cases, and every
 * case passes through the whole rule set in order, reversed and shuffled.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCorrelationRules } from '../../central/core/correlation/load.js';
import { runCorrelationTests } from '../../central/core/correlation/self-test.js';
import { loadRuleFolders } from '../../central/local/rule-files.js';

describe('the built-in correlation rules', () => {
  const { rules, correlations, problems } = loadRuleFolders();

  it('load without a problem, at least ten of them, each from rules/correlation/', () => {
    expect(problems).toEqual([]);
    expect(correlations.length).toBeGreaterThanOrEqual(10);
    for (const c of correlations) expect(c.file).toMatch(new RegExp(`rules/correlation/${c.id}\\.yaml$`));
  });

  it('each have a case that fires and at least two that do not', () => {
    const thin = correlations.filter((c) => !c.tests.some((t) => t.expect.findings > 0) || c.tests.filter((t) => t.expect.findings === 0).length < 2);
    expect(thin.map((c) => c.id)).toEqual([]);
  });

  it('pass every case, whatever the order of its events', async () => {
    const failed = (await runCorrelationTests(rules, correlations)).filter((r) => !r.passed);
    expect(failed.map((r) => `${r.ruleId}: ${r.name}: ${r.reason}`)).toEqual([]);
  }, 120_000);

  it('fail a case that expects other accounts, or that another correlation rule it does not declare also fires', async () => {
    const file = 'rules/correlation/one-address-findings-in-many-accounts.yaml';
    const text = readFileSync(file, 'utf8');
    const wrongAccounts = text.replace('accounts: ["111122223333", "444455556666", "777788889999"]', 'accounts: ["111122223333", "444455556666"]');
    const twin = text.replace('id: one-address-findings-in-many-accounts', 'id: twin-rule').replace(/\n {2}tests:[\s\S]*$/, '\n');
    const loaded = loadCorrelationRules([
      { file, text: wrongAccounts },
      { file: 'rules/correlation/twin-rule.yaml', text: twin },
    ]);
    expect(loaded.problems).toEqual([]);
    const results = await runCorrelationTests(rules, loaded.rules);
    const positive = results.find((r) => r.name === 'one address creates IAM users in three accounts over one day')!;
    expect(positive.passed).toBe(false);
    expect(positive.reason).toContain('expected accounts 111122223333, 444455556666, got 111122223333, 444455556666, 777788889999');
    expect(positive.reason).toContain('fired but not declared: twin-rule');
  });
});
