/** Reads rule files from folders, for the CLI and for tests. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRules, type LoadedRules, type RuleSource } from '../core/rules/load.js';

/** The rules that ship with Skywatch. */
export const BUILTIN_RULES_DIR = fileURLToPath(new URL('../../rules/cloudtrail', import.meta.url));

/** Every `.yaml`/`.yml` file below the given folders (or the files themselves), sorted for stable output. */
export function readRuleSources(paths: readonly string[]): RuleSource[] {
  const files: string[] = [];
  const visit = (p: string) => {
    if (statSync(p).isDirectory()) for (const entry of readdirSync(p)) visit(join(p, entry));
    else if (/\.ya?ml$/i.test(p)) files.push(p);
  };
  for (const p of paths) visit(p);
  files.sort();
  return files.map((file) => ({ file: displayPath(file), text: readFileSync(file, 'utf8') }));
}

/** Loads the built-in rules plus any extra folders, keeping the sources for worker threads. */
export function loadRuleFolders(extra: readonly string[] = []): LoadedRules & { sources: RuleSource[] } {
  const sources = readRuleSources([BUILTIN_RULES_DIR, ...extra]);
  return { ...loadRules(sources), sources };
}

function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}
