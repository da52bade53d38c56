/**
 * Hostile YAML in any file the loaders read (rules, Sigma rules, suppressions, secret detectors)
 * becomes one problem naming the file and line; the file is skipped and the others still load.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadRules, parseYaml } from '../../central/core/rules/load.js';
import { loadSuppressions } from '../../central/core/suppressions/load.js';
import { BUILTIN_RULES_DIR } from '../../central/local/rule-files.js';
import { parseSecretDetectors } from '../../member/scanner/secrets/detector-file.js';
import { billionLaughs } from '../support/hostile-yaml.js';

const good = { file: 'rules/cloudtrail/root-account-usage.yaml', text: readFileSync(`${BUILTIN_RULES_DIR}/root-account-usage.yaml`, 'utf8') };

const bombRule = `id: lol-bomb
title: Laughs
severity: LOW
${billionLaughs()}
`;

const bombSigma = `title: CloudTrail logging stopped
status: test
logsource:
  product: aws
  service: cloudtrail
detection:
${billionLaughs('  ')}
  selection:
    eventName: *lol8
  condition: selection
level: high
`;

const suppression = `suppressions:
  - id: accepted
    reason: The pipeline does this on every merge, reviewed in pull requests.
    owner: platform-team@example.com
    expires: 2027-06-30
    match: { rules: [ec2-vpc-changed] }
`;

const detector = (id: string, extra = '') => `id: ${id}
title: Example token
severity: HIGH
findingType: Sensitive Data Identifications/Passwords/Example token
keywords: [ext_]
pattern: '(?<![A-Za-z0-9_])(ext_[A-Za-z0-9]{24})(?![A-Za-z0-9_])'
secretGroup: 1
${extra}tests:
  positive: ['EXAMPLE_TOKEN=ext_Q7v2LrP9kZ3mT8wX1bN4cH6d']
  negative: ['EXAMPLE_TOKEN=ext_<token>']
`;

const EXCESSIVE = 'invalid YAML: Excessive alias count indicates a resource exhaustion attack';

describe('YAML alias bombs', () => {
  it('a rule file is reported at its first alias and skipped; the other rules load', () => {
    const { rules, problems } = loadRules([{ file: 'custom/lol-bomb.yaml', text: bombRule }, good]);
    expect(rules.map((r) => r.id)).toEqual(['root-account-usage']);
    expect(problems).toEqual([{ file: 'custom/lol-bomb.yaml', line: 5, reason: EXCESSIVE }]);
  });

  it('a Sigma rule is reported the same way', () => {
    const { rules, problems } = loadRules([{ file: 'custom/aws_cloudtrail_laughs.yml', text: bombSigma }, good]);
    expect(rules.map((r) => r.id)).toEqual(['root-account-usage']);
    expect(problems).toEqual([{ file: 'custom/aws_cloudtrail_laughs.yml', line: 8, reason: EXCESSIVE }]);
  });

  it('a suppression file is reported and skipped; the suppressions of the other files apply', () => {
    const loaded = loadSuppressions([
      { file: 'suppressions/laughs.yaml', text: `suppressions: []\n${billionLaughs()}\n` },
      { file: 'suppressions/pipeline.yaml', text: suppression },
    ]);
    expect(loaded.suppressions.map((s) => s.id)).toEqual(['accepted']);
    expect(loaded.problems).toEqual([{ file: 'suppressions/laughs.yaml', line: 3, reason: EXCESSIVE }]);
  });

  it('a secret detector file is reported and skipped; the other detectors load', () => {
    const { detectors, problems } = parseSecretDetectors([
      { file: 'secrets/laughs-token.yaml', text: detector('laughs-token', `${billionLaughs()}\n`) },
      { file: 'secrets/example-token.yaml', text: detector('example-token') },
    ]);
    expect(detectors.map((d) => d.id)).toEqual(['example-token']);
    expect(problems).toEqual([{ file: 'secrets/laughs-token.yaml', line: 9, message: EXCESSIVE }]);
  });

  it('an alias without its anchor is reported at that alias', () => {
    const text = good.text.replace('dedup:', 'x-shared: &shared 1\nx-copy: *shared\nx-missing: *nowhere\ndedup:');
    const { problems } = loadRules([{ file: good.file, text }]);
    expect(problems).toEqual([
      { file: good.file, line: text.split('\n').indexOf('x-missing: *nowhere') + 1, reason: 'invalid YAML: Unresolved alias (the anchor must be set before the alias): nowhere' },
    ]);
  });

  it('more than 100 aliases are refused at the 101st, before the yaml package resolves them one scan each', () => {
    const aliases = Array.from({ length: 101 }, (_, i) => `  k${i}: *region`).join('\n');
    const result = parseYaml('custom/aliases.yaml', `region: &region eu-west-1\nsettings:\n${aliases}\n`);
    expect(result).toEqual({ file: 'custom/aliases.yaml', line: 103, reason: 'more than 100 aliases' });
  });
});

describe('YAML nesting and size', () => {
  it('nesting deeper than 64 levels is reported at the line where it passes the limit', () => {
    const text = good.text.replace('dedup:', `x-deep:\n  ${'['.repeat(70)}1${']'.repeat(70)}\ndedup:`);
    const { problems } = loadRules([{ file: good.file, text }, { file: 'other/root-account-usage-copy.yaml', text: good.text.replace('id: root-account-usage', 'id: root-account-usage-copy') }]);
    expect(problems).toEqual([{ file: good.file, line: text.split('\n').indexOf('x-deep:') + 2, reason: 'nested deeper than 64 levels' }]);
  });

  it('files of thousands of nested brackets, one after another, are each reported and do not bring the process down', () => {
    // The yaml package catches its own stack overflow; a few in a row have aborted Node (out of memory in the regex compiler).
    const brackets = `${'['.repeat(20_000)}${']'.repeat(20_000)}\n`;
    const sources = ['a', 'b', 'c', 'd'].map((n) => ({ file: `custom/${n}.yaml`, text: brackets }));
    expect(loadRules([...sources, good]).problems).toEqual(sources.map(({ file }) => ({ file, line: 1, reason: 'nested deeper than 64 levels' })));
  });

  it('nesting of 64 levels still loads', () => {
    const result = parseYaml('custom/deep.yaml', `${'['.repeat(64)}1${']'.repeat(64)}\n`);
    expect('reason' in result).toBe(false);
  });

  it('a map of 40,000 keys is checked for duplicates in linear time', { timeout: 15_000 }, () => {
    // The yaml package's own uniqueKeys check compares every key with every other: minutes at this size.
    const keys = Array.from({ length: 40_000 }, (_, i) => `  AKIAEX${String(i).padStart(6, '0')}: off`).join('\n');
    const text = `id: access-key-inventory\nkeys:\n${keys}\nkeys-again: {a: 1, b: 2, a: 3}\n`;
    expect(parseYaml('custom/access-key-inventory.yaml', text)).toEqual({ file: 'custom/access-key-inventory.yaml', line: 40_003, reason: 'invalid YAML: Map keys must be unique' });
  });

  it('a file over 1 MiB is refused whole, before parsing', () => {
    const text = `${good.text}\n# ${'x'.repeat(1024 * 1024 - good.text.length)}\n`;
    const { rules, problems } = loadRules([{ file: good.file, text }]);
    expect(rules).toEqual([]);
    expect(problems).toEqual([{ file: good.file, line: 0, reason: `file too large: ${text.length} characters (the limit is 1048576)` }]);
  });

  it('a second YAML document in one file is an error at its start', () => {
    const result = parseYaml('custom/two.yaml', 'id: one\n---\nid: two\n');
    expect(result).toEqual({ file: 'custom/two.yaml', line: 2, reason: 'invalid YAML: the file holds more than one YAML document' });
  });
});
