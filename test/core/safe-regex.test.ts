import { describe, expect, it } from 'vitest';
import { backtrackingFeature, compileRuleRegex } from '../../central/core/rules/safe-regex.js';

const values = ['cloudtrail.amazonaws.com', 'kms.amazonaws.com.evil', 'arn:aws:iam::111122223333:root', 'a.b', 'axb', '', 'line\nbreak$'];

describe('compiling rule regexes', () => {
  it('compares literal patterns as strings, with the same answers RE2 gives', () => {
    const cases: Array<[string, string]> = [
      ['\\.amazonaws\\.com$', 'suffix'],
      ['^arn:aws:iam::', 'prefix'],
      ['^a\\.b$', 'equals'],
      ['a.b', 're2'],
      ['iam::111122223333', 'contains'],
      ['^$', 'equals'],
      ['break\\$', 'contains'],
    ];
    for (const [pattern, plan] of cases) {
      const fast = compileRuleRegex(pattern);
      // Forcing RE2: a group around the pattern makes it no longer a literal.
      const re2 = compileRuleRegex(`(?:${pattern})`);
      expect([pattern, fast.plan, re2.plan]).toEqual([pattern, plan, 're2']);
      expect(values.map((v) => fast.test(v))).toEqual(values.map((v) => re2.test(v)));
    }
  });

  it('keeps ignoreCase and multiline patterns on RE2, where folding and line ends are its own', () => {
    expect(compileRuleRegex('^arn:aws', { ignoreCase: true }).plan).toBe('re2');
    expect(compileRuleRegex('root$', { multiline: true }).test('root\nnext')).toBe(true);
    expect(compileRuleRegex('root$').test('root\nnext')).toBe(false);
    expect(compileRuleRegex('^a.b$', { dotAll: true }).test('a\nb')).toBe(true);
    expect(compileRuleRegex('^a.b$').test('a\nb')).toBe(false);
  });

  it('names the first lookaround or backreference outside a character class', () => {
    expect(['(?=a)', 'x(?!a)', '(?<=a)b', '(?<!a)b', '(a)\\2', '(?<n>a)\\k<n>', '[(?=]a', '\\(?=a', '(?<n>a)', '[\\1]'].map(backtrackingFeature)).toEqual([
      'lookahead "(?="', 'negative lookahead "(?!"', 'lookbehind "(?<="', 'negative lookbehind "(?<!"', 'backreference "\\2"', 'backreference "\\k<...>"',
      undefined, undefined, undefined, undefined,
    ]);
  });
});
