/**
 * The repository stands alone: no code reads a path outside it, and no file cites a document that is
 * not in it. A clone with nothing beside it must run the tests exactly as our own checkouts do.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeFiles, outsideReferences, REPO_ROOT, repositoryOutsideReferences } from './repo-paths.js';

describe('references outside the repository', () => {
  it('finds a climb above the root, a sibling folder and an absolute machine path, and nothing in paths that stay inside', () => {
    // Built from pieces, so this file does not itself contain what it looks for.
    const up = '../'.repeat(3);
    const sibling = ['shared', 'fixtures'].join('/');
    const machine = ['', 'work', 'shared'].join('/');
    const file = join(REPO_ROOT, 'test', 'aws', 'example.test.ts');
    const text = [
      "import { x } from '../../central/core/x.js';",
      "const inside = new URL('../fixtures/a.json', import.meta.url);",
      `const outside = new URL('${up}${sibling}/cloudtrail/a.jsonl', import.meta.url);`,
      `const absolute = "${machine}/x";`,
    ].join('\n');

    const found = outsideReferences(REPO_ROOT, file, text);

    expect(found.map((f) => [f.line, f.text])).toEqual([
      [3, `${up}${sibling}/cloudtrail/a.jsonl`],
      [3, `${up}${sibling}`],
      [4, machine],
    ]);
  });

  it('walks the code folders, including this file', () => {
    const files = codeFiles(REPO_ROOT).map((f) => relative(REPO_ROOT, f));
    expect(files).toContain('test/support/repo-paths.test.ts');
    expect(files).toContain('.ci/run');
    expect(files.some((f) => f.startsWith('central/'))).toBe(true);
    expect(files.some((f) => f.includes('node_modules'))).toBe(false);
  });

  it('no code under bin, central, member, stacks, test or .ci refers to a path outside the repository', () => {
    expect(repositoryOutsideReferences().map((f) => `${relative(REPO_ROOT, f.file)}:${f.line} ${f.text} (${f.why})`)).toEqual([]);
  });

  it('no file cites a design document that is not in the repository', () => {
    const cited = 'DESIGN' + '.md';
    const files = [...codeFiles(REPO_ROOT), ...codeFiles(REPO_ROOT, ['docs', 'rules'], new Set(['.md', '.yaml', '.yml'])), join(REPO_ROOT, 'README.md')];
    const citing = files.filter((f) => readFileSync(f, 'utf8').includes(cited));
    expect(citing.map((f) => relative(REPO_ROOT, f))).toEqual([]);
  });
});
