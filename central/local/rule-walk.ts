/**
 * Finds and reads rule files below folders. Links met while walking are not followed, so a link to
 * a parent folder cannot make the walk loop; a path given explicitly may be a link. A file or folder
 * that cannot be read, or a file over the size limit, is a problem naming it, and the rest are read.
 */
import { readdirSync, readFileSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { join, relative } from 'node:path';
import type { RuleProblem, RuleSource } from '../core/rules/load.js';

/** Which files to read, and the name each gets (for error messages, and for overlays by name). */
export interface RuleFileSelection {
  /** Takes a file's path; default: YAML files. */
  readonly accept?: (path: string) => boolean;
  /** Default: the path relative to the working directory, when below it. */
  readonly name?: (path: string) => string;
  /** Larger files are reported, not read. Default: no limit. */
  readonly maxBytes?: number;
  /** Real paths already read, by an earlier call too; those files are not read again. Default: none. */
  readonly seen?: Set<string>;
}

/** The files read, sorted by path for stable output, and the files and folders that could not be. */
export interface RuleFiles {
  readonly sources: RuleSource[];
  readonly problems: RuleProblem[];
}

/** Every accepted file below the given folders (or the files themselves). */
export function readRuleSources(paths: readonly string[], { accept = isYamlFile, name = displayPath, maxBytes = Infinity, seen = new Set() }: RuleFileSelection = {}): RuleFiles {
  const problems: RuleProblem[] = [];
  const report = (path: string, reason: string) => problems.push({ file: name(path), line: 0, reason });
  const files: string[] = [];
  const walk = (dir: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      report(dir, `cannot read the folder (${codeOf(err)})`);
      return;
    }
    // A link is neither a directory nor a file here: Dirent types come from lstat, so links stay unfollowed.
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && accept(path)) files.push(path);
    }
  };
  for (const path of paths) {
    let kind: 'folder' | 'file' | 'other';
    try {
      const stat = statSync(path);
      kind = stat.isDirectory() ? 'folder' : stat.isFile() ? 'file' : 'other';
    } catch (err) {
      report(path, codeOf(err) === 'ENOENT' ? 'no such file or folder' : `cannot read (${codeOf(err)})`);
      continue;
    }
    if (kind === 'folder') walk(path);
    else if (kind === 'other') report(path, 'not a file or folder');
    else if (accept(path)) files.push(path);
  }
  const sources: RuleSource[] = [];
  for (const file of files.sort()) {
    try {
      const real = realpathSync(file);
      if (seen.has(real)) continue;
      seen.add(real);
      const { size } = statSync(file);
      if (size > maxBytes) report(file, `file too large: ${size} bytes (the limit is ${maxBytes})`);
      else sources.push({ file: name(file), text: readFileSync(file, 'utf8') });
    } catch (err) {
      report(file, `cannot read the file (${codeOf(err)})`);
    }
  }
  return { sources, problems };
}

/** True for a `.yaml`/`.yml` file. */
export function isYamlFile(path: string): boolean {
  return /\.ya?ml$/i.test(path);
}

function codeOf(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
}

function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}
