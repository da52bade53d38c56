/**
 * Finds references to paths outside the repository, so a clone with nothing beside it runs the same
 * as one of our own checkouts (which happen to have sibling folders a test could silently lean on).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';

/** The repository root. */
export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

/** The folders whose code may not reach outside the repository. */
export const CODE_FOLDERS = ['bin', 'central', 'member', 'stacks', 'test', '.ci'] as const;

const CODE_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '.sh', '']);

/** One reference found. */
export interface OutsideReference {
  readonly file: string;
  readonly line: number;
  readonly text: string;
  readonly why: string;
}

// A run of `../` with whatever path follows it: an import, `new URL('../..', import.meta.url)`, a join.
const RELATIVE_CLIMB = /(?:\.\.\/)+[\w.\-/]*/g;
// Folders that exist only beside our own checkouts, and absolute paths of this machine.
const SIBLING_OR_ABSOLUTE = /(?:^|[\s'"`(=])((?:\.\.\/)*shared\/(?:fixtures|DESIGN\.md|STYLE\.md|VETTED\.md)|\/work\/[\w.-]+)/g;

/**
 * The references in one file's text that leave `root`: a relative path that climbs above it (resolved
 * from the file's folder, as imports and `new URL(..., import.meta.url)` are), or a sibling folder or
 * absolute path of a development machine.
 */
export function outsideReferences(root: string, file: string, text: string): OutsideReference[] {
  const found: OutsideReference[] = [];
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    for (const match of line.matchAll(RELATIVE_CLIMB)) {
      const target = resolve(dirname(file), match[0]);
      if (!isInside(root, target)) found.push({ file, line: index + 1, text: match[0], why: `resolves to ${target}, outside the repository` });
    }
    for (const match of line.matchAll(SIBLING_OR_ABSOLUTE)) {
      found.push({ file, line: index + 1, text: match[1]!, why: 'names a folder that exists only on a development machine' });
    }
  });
  return found;
}

/** Every code file under the given folders of `root` (node_modules and fixture data left out). */
export function codeFiles(root: string, folders: readonly string[] = CODE_FOLDERS, extensions: ReadonlySet<string> = CODE_EXTENSIONS): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(path);
      } else if (entry.isFile() && extensions.has(extname(entry.name))) {
        files.push(path);
      }
    }
  };
  for (const folder of folders) walk(join(root, folder));
  return files.sort();
}

/** All references outside the repository in its code. */
export function repositoryOutsideReferences(root = REPO_ROOT): OutsideReference[] {
  return codeFiles(root).flatMap((file) => outsideReferences(root, file, readFileSync(file, 'utf8')));
}

function isInside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && !/^[A-Za-z]:/.test(rel));
}
