/**
 * Rule files as text, read from a folder (the bundled `rules/`, or `skywatch scan --rules DIR`) in a
 * stable order, so the same folder always compiles the same way.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** One rule file: where it came from (`yara/webshells.yar`, for error messages and overlays) and its text. */
export interface RuleText {
  readonly file: string;
  readonly text: string;
}

/** Every file under `dir` whose name passes `accept`, recursively, sorted; `file` is relative to `dir`'s parent. */
export function readRuleFiles(dir: string, accept: (name: string) => boolean): RuleText[] {
  const files: string[] = [];
  const walk = (folder: string) => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (accept(name)) files.push(path);
    }
  };
  walk(dir);
  const base = join(dir, '..');
  return files.map((path) => ({ file: relative(base, path), text: readFileSync(path, 'utf8') }));
}
