import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { unboundedQuantifier } from '../../central/core/rules/safe-regex.js';
import { loadSecretDetectors, parseSecretDetectors } from '../../member/scanner/secrets/detector-file.js';

/** A valid detector file; `change` edits its text to break one thing. */
function file(id: string, change: (text: string) => string = (t) => t) {
  const text = [
    `id: ${id}`,
    'title: Example token',
    'severity: HIGH',
    'findingType: Sensitive Data Identifications/Passwords/Example token',
    'keywords: [ext_]',
    "pattern: '(?<![A-Za-z0-9_])(ext_[A-Za-z0-9]{24})(?![A-Za-z0-9_])'",
    'secretGroup: 1',
    'minEntropy: 3',
    'tests:',
    "  positive: ['EXAMPLE_TOKEN=ext_Q7v2LrP9kZ3mT8wX1bN4cH6d']",
    "  negative: ['EXAMPLE_TOKEN=ext_<token>']",
    '',
  ].join('\n');
  return { file: `secrets/${id}.yaml`, text: change(text) };
}

describe('parseSecretDetectors', () => {
  it('compiles a valid file with the d and g flags and its settings', () => {
    const { detectors, problems } = parseSecretDetectors([file('example-token')]);
    expect(problems).toEqual([]);
    expect(detectors).toHaveLength(1);
    const [d] = detectors;
    expect([d!.id, d!.file, d!.regex.flags, d!.secretGroup, d!.minEntropy, d!.keywords, d!.generic]).toEqual(['example-token', 'secrets/example-token.yaml', 'dg', 1, 3, ['ext_'], false]);
  });

  it('reports an alias bomb as a problem of its file instead of throwing, and still loads the other files', () => {
    // Nine aliases of nine aliases, nine levels deep: 387 million strings once expanded.
    const levels = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]', ...'bcdefghi'.split('').map((n, i) => `${n}: &${n} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`)];
    const bomb = file('bomb-token', (t) => `${levels.join('\n')}\n${t}`);
    const { detectors, problems } = parseSecretDetectors([file('example-token'), bomb]);
    expect(detectors.map((d) => d.id)).toEqual(['example-token']);
    expect(problems).toEqual([{ file: 'secrets/bomb-token.yaml', line: 2, message: 'invalid YAML: Excessive alias count indicates a resource exhaustion attack' }]);
  });

  it('reports a YAML syntax error with its file and line and still loads the other files', () => {
    const broken = file('broken-token', (t) => t.replace("keywords: [ext_]", 'keywords: [ext_'));
    const { detectors, problems } = parseSecretDetectors([file('example-token'), broken, file('other-token')]);
    expect(detectors.map((d) => d.id)).toEqual(['example-token', 'other-token']);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'secrets/broken-token.yaml', line: 6 });
    expect(problems[0]!.message).toMatch(/^invalid YAML: /);
  });

  it.each([
    ['an unknown severity', (t: string) => t.replace('severity: HIGH', 'severity: SEVERE'), 3, /^severity: /],
    ['an ASFF type without a classifier', (t: string) => t.replace('Passwords/Example token', 'Passwords'), 4, /^findingType: must be an ASFF namespace\/category\/classifier/],
    ['an upper-case keyword', (t: string) => t.replace('[ext_]', '[EXT_]'), 5, /^keywords\.0: keywords are matched on lower-cased content/],
    ['an unknown key', (t: string) => t.replace('secretGroup: 1', 'secretGroup: 1\nseverityy: LOW'), 8, /^unknown key "severityy"$/],
    ['a pattern that does not compile', (t: string) => t.replace("'(?<![A-Za-z0-9_])(ext_", "'(?<![A-Za-z0-9_])((ext_"), 6, /^pattern: Invalid regular expression/],
    ['an unbounded quantifier', (t: string) => t.replace('{24}', '+'), 6, /^pattern: unbounded quantifier "\+"/],
    ['a secret group the pattern lacks', (t: string) => t.replace('secretGroup: 1', 'secretGroup: 2'), 7, /^secretGroup: the pattern has 1 capture group\(s\), not 2$/],
    ['an unknown validator', (t: string) => t.replace('minEntropy: 3', 'minEntropy: 3\nvalidate: [luhn, crc32]'), 9, /^validate: unknown validator "crc32" \(known: luhn, jwt-header, us-ssn, letters-and-digits\)$/],
    ['an allow regex that does not compile', (t: string) => t.replace('minEntropy: 3', "minEntropy: 3\nallow:\n  - 'x{8}'\n  - '[unclosed'"), 11, /^allow\.1: Invalid regular expression/],
    ['an unbounded quantifier in an allow regex', (t: string) => t.replace('minEntropy: 3', "minEntropy: 3\nallow:\n  - 'x{8}'\n  - '^(?:x+)'"), 11, /^allow\.1: unbounded quantifier "\+"/],
    ['a file name that is not the id', (t: string) => t.replace('id: example-token', 'id: example-tokens'), 1, /^file name must be example-tokens\.yaml to match the detector id$/],
    ['no tests', (t: string) => t.slice(0, t.indexOf('tests:')), 1, /^tests: /],
  ])('reports %s at its line', (_name, change, line, message) => {
    const { detectors, problems } = parseSecretDetectors([file('example-token', change), file('other-token')]);
    expect(detectors.map((d) => d.id)).toEqual(['other-token']);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'secrets/example-token.yaml', line });
    expect(problems[0]!.message).toMatch(message);
  });

  it('reports a requires naming no loaded detector at the line of the name', () => {
    const pair = file('example-secret', (t) => t.replace('minEntropy: 3', 'minEntropy: 3\nrequires:\n  detector: example-id\n  within: 256'));
    const { detectors, problems } = parseSecretDetectors([pair]);
    expect(detectors).toEqual([]);
    expect(problems).toEqual([{ file: 'secrets/example-secret.yaml', line: 10, message: 'requires: unknown detector "example-id" (no such detector is loaded)' }]);
  });

  it('loads a pair whose required detector loads, and not one whose required detector is broken', () => {
    const pair = file('example-secret', (t) => t.replace('minEntropy: 3', 'minEntropy: 3\nrequires: { detector: example-id, within: 256 }'));
    const good = parseSecretDetectors([file('example-id'), pair]);
    expect(good.problems).toEqual([]);
    expect(good.detectors.find((d) => d.id === 'example-secret')?.requires).toEqual({ detector: 'example-id', within: 256 });
    const brokenId = file('example-id', (t) => t.replace('severity: HIGH', 'severity: SEVERE'));
    const bad = parseSecretDetectors([brokenId, pair]);
    expect(bad.detectors).toEqual([]);
    expect(bad.problems.map((p) => [p.file, p.line])).toEqual([['secrets/example-id.yaml', 3], ['secrets/example-secret.yaml', 9]]);
  });

  it('reports the second file with an id already loaded', () => {
    const { detectors, problems } = parseSecretDetectors([file('example-token'), { ...file('example-token'), file: 'custom/example-token.yaml' }]);
    expect(detectors.map((d) => d.file)).toEqual(['secrets/example-token.yaml']);
    expect(problems).toEqual([{ file: 'custom/example-token.yaml', line: 1, message: 'duplicate detector id "example-token" (also in secrets/example-token.yaml)' }]);
  });
});

describe('unboundedQuantifier', () => {
  it('finds *, + and {n,} outside character classes and escapes only', () => {
    expect(unboundedQuantifier('a{1,5}[*+]\\*\\+b?')).toBeUndefined();
    expect(unboundedQuantifier('ab*')).toBe('*');
    expect(unboundedQuantifier('[a-z]+')).toBe('+');
    expect(unboundedQuantifier('x{3,}')).toBe('{3,}');
    expect(unboundedQuantifier('[\\]+]a{2}')).toBeUndefined();
  });
});

describe('loadSecretDetectors', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads .yaml and .yml files below a folder, sorted, and leaves other files alone', () => {
    dir = mkdtempSync(join(tmpdir(), 'skywatch-secrets-'));
    const root = join(dir, 'secrets');
    mkdirSync(join(root, 'vendor'), { recursive: true });
    writeFileSync(join(root, 'zeta-token.yaml'), file('zeta-token').text);
    writeFileSync(join(root, 'alpha-token.yml'), file('alpha-token').text.replace('id: alpha-token', 'id: alpha-token'));
    writeFileSync(join(root, 'vendor', 'beta-token.yaml'), file('beta-token').text);
    writeFileSync(join(root, 'README.md'), '# not a detector\n');
    writeFileSync(join(root, 'broken-token.yaml'), 'id: [\n');
    const { detectors, problems } = loadSecretDetectors(root);
    expect(detectors.map((d) => d.file)).toEqual(['secrets/alpha-token.yml', 'secrets/vendor/beta-token.yaml', 'secrets/zeta-token.yaml']);
    expect(problems.map((p) => [p.file, p.line])).toEqual([['secrets/broken-token.yaml', 2]]);
  });
});
