import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Where rule text (rules, Sigma rules, secret detectors) becomes a matcher. */
const FOLDERS = ['central/core/rules', 'central/core/ioc', 'member/scanner/secrets'];
const OWNER = 'central/core/rules/safe-regex.ts';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Lines that build a regex at run time (`new RegExp(`, `RegExp(`, `RE2JS.compile(`), as `file:line`. */
function regexBuilders(file: string, text: string): string[] {
  return text.split('\n').flatMap((line, i) => (/\b(?:new\s+)?RegExp\s*\(|RE2JS\s*\.\s*compile\s*\(/.test(line) ? [`${file}:${i + 1}`] : []));
}

describe('compiling rule regexes', () => {
  const files = FOLDERS.flatMap((f) => sources(join(ROOT, f)));

  it('has files to check', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it('happens only in safe-regex.ts: no other file under the rule and detector folders builds a regex at run time', () => {
    const offenders = files.filter((f) => relative(ROOT, f) !== OWNER).flatMap((f) => regexBuilders(relative(ROOT, f), readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('would notice a regex built elsewhere', () => {
    expect(regexBuilders('x.ts', "const a = /literal/;\nconst re = new RegExp(rule.pattern, 'i');\nconst b = RegExp(`${x}`);\nRE2JS.compile(p)")).toEqual(['x.ts:2', 'x.ts:3', 'x.ts:4']);
  });
});
