import { describe, expect, it } from 'vitest';
import { ANY, compileWildcard, starPattern } from '../../central/core/wildcard.js';

describe('wildcards without a regex', () => {
  it('matches star patterns over the whole value, everything else literal', () => {
    const role = starPattern('arn:aws:iam::*:role/ci-*');
    expect(['arn:aws:iam::111122223333:role/ci-deploy', 'arn:aws:iam::111122223333:role/ci-'].map((s) => role.test(s))).toEqual([true, true]);
    expect(['arn:aws:iam::111122223333:role/cd-deploy', 'xarn:aws:iam::111122223333:role/ci-a'].map((s) => role.test(s))).toEqual([false, false]);
    expect([starPattern('a.b?').test('a.b?'), starPattern('a.b?').test('axbc'), starPattern('*').test(''), starPattern('').test('x')]).toEqual([true, false, true, false]);
  });

  it('places each segment leftmost, so a later segment still finds room', () => {
    const g = starPattern('*ab*ab*abc');
    expect([g.test('abababc'), g.test('ababab'), g.test('xxabyyabzzabc')]).toEqual([true, false, true]);
    // The head and the tail may not overlap.
    expect([starPattern('ab*ba').test('aba'), starPattern('ab*ba').test('abba')]).toEqual([false, true]);
  });

  it('reads ANY as exactly one character, and honours anchors and case folding', () => {
    const oneChar = compileWildcard([['a', ANY, 'c'], ['e']], { ignoreCase: true });
    expect(['ABCxE', 'acE', 'abbce', 'a-ce'].map((s) => oneChar.test(s))).toEqual([true, false, false, true]);
    const inside = compileWildcard([['s', '3', ANY]], { anchorStart: false, anchorEnd: false });
    expect([inside.test('arn:aws:s3:::bucket'), inside.test('s3')]).toEqual([true, false]);
    const prefix = compileWildcard([['g', 'e', 't']], { anchorEnd: false });
    expect([prefix.test('GetObject'), prefix.test('getObject'), prefix.test('target')]).toEqual([false, true, false]);
  });
});
