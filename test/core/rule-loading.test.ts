import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../central/core/rules/load.js';
import { BUILTIN_RULES_DIR } from '../../central/local/rule-files.js';

const good = readFileSync(`${BUILTIN_RULES_DIR}/root-account-usage.yaml`, 'utf8');
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('loading rule files', () => {
  it('loads a valid rule and compiles its templates', () => {
    const { rules, problems } = loadRules([{ file: 'rules/root-account-usage.yaml', text: good }]);
    expect(problems).toEqual([]);
    expect(rules.map((r) => [r.id, r.status, r.keys])).toEqual([['root-account-usage', 'active', [{ source: '*', name: '*' }]]]);
  });

  it('reports a schema error with the file and the line of the offending field, and still loads the others', () => {
    const bad = good.replace('mitre: [T1078.004]', 'mitre: [T1078.4]');
    const other = good.replace('id: root-account-usage', 'id: root-account-usage-copy');
    const { rules, problems } = loadRules([
      { file: 'rules/root-account-usage.yaml', text: bad },
      { file: 'rules/root-account-usage-copy.yaml', text: other },
    ]);
    expect(rules.map((r) => r.id)).toEqual(['root-account-usage-copy']);
    expect(problems).toEqual([{ file: 'rules/root-account-usage.yaml', line: lineOf(bad, 'mitre:'), reason: 'mitre.0: must be a MITRE ATT&CK technique id such as T1078.004' }]);
  });

  it('reports an unknown operator inside a match expression at its line', () => {
    const bad = good.replace('- { path: actor.type, equals: Root }', '- { path: actor.type, equalz: Root }');
    const { problems } = loadRules([{ file: 'r/root-account-usage.yaml', text: bad }]);
    expect(problems).toEqual([{ file: 'r/root-account-usage.yaml', line: lineOf(bad, 'equalz'), reason: 'match.all.0: Unrecognized key: "equalz"' }]);
  });

  it('reports invalid YAML with its line', () => {
    const bad = good.replace('types:\n', 'types:\n  - "unclosed\n');
    const { problems } = loadRules([{ file: 'r/root-account-usage.yaml', text: bad }]);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.reason).toMatch(/^invalid YAML: /);
    expect(problems[0]!.line).toBeGreaterThanOrEqual(lineOf(bad, '"unclosed'));
  });

  it('reports an invalid regular expression, an unknown predicate and bad predicate arguments', () => {
    const regex = good.replace('- { path: actor.type, equals: Root }', "- { path: actor.type, regex: '(Root' }");
    const predicate = good.replace('dedup:', 'predicate: noSuchPredicate\ndedup:');
    const args = good.replace('dedup:', 'predicate: { name: worldOpenPermission, args: { allowedPorts: [99999] } }\ndedup:');
    const load = (text: string) => loadRules([{ file: 'root-account-usage.yaml', text }]).problems.map((p) => p.reason);
    expect(load(regex)).toEqual([expect.stringMatching(/^invalid regex at actor.type: /)]);
    expect(load(predicate)).toEqual([expect.stringMatching(/^unknown predicate "noSuchPredicate" \(known: .*worldOpenPermission/)]);
    expect(load(args)).toEqual([expect.stringMatching(/^invalid args for predicate "worldOpenPermission": /)]);
  });

  it('rejects a resource type Security Hub does not accept', () => {
    const bad = good.replace('  - type: AwsAccount', '  - type: AwsSecurityHubHub');
    expect(loadRules([{ file: 'root-account-usage.yaml', text: bad }]).problems).toEqual([
      { file: 'root-account-usage.yaml', line: lineOf(bad, 'AwsSecurityHubHub'), reason: 'resources.0.type: not a resource type Security Hub accepts (see ResourceDetails in the ASFF reference); use Other' },
    ]);
  });

  it('requires the file name to match the rule id, and rejects duplicate ids', () => {
    expect(loadRules([{ file: 'rules/root.yaml', text: good }]).problems).toEqual([
      { file: 'rules/root.yaml', line: 1, reason: 'file name must be root-account-usage.yaml to match the rule id' },
    ]);
    const { rules, problems } = loadRules([
      { file: 'a/root-account-usage.yaml', text: good },
      { file: 'b/root-account-usage.yaml', text: good },
    ]);
    expect(rules).toHaveLength(1);
    expect(problems).toEqual([{ file: 'b/root-account-usage.yaml', line: 1, reason: 'duplicate rule id "root-account-usage" (also in a/root-account-usage.yaml)' }]);
  });

  it('requires a case that fires and a case that does not', () => {
    const tests = good.indexOf('tests:\n');
    const firstCase = good.slice(tests + 'tests:\n'.length, good.indexOf('  - name: an assumed role lists buckets'));
    const twoPositives = good.slice(0, tests) + 'tests:\n' + firstCase + firstCase.replace('root lists buckets from the CLI', 'root lists buckets again');
    const { problems } = loadRules([{ file: 'root-account-usage.yaml', text: twoPositives }]);
    expect(problems).toEqual([{ file: 'root-account-usage.yaml', line: lineOf(twoPositives, 'tests:'), reason: 'tests: needs at least one case that fires and one that does not' }]);
  });
});
