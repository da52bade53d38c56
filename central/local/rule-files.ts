/** Reads rule files from folders, for the CLI and for tests. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { loadRules, type LoadedRules, type RuleSource } from '../core/rules/load.js';
import { PacksFileSchema, selectPacks, type PackChoice, type PackState } from '../core/rules/packs.js';

const RULES_ROOT = fileURLToPath(new URL('../../rules/', import.meta.url));

/** The rules that ship with Skywatch: native CloudTrail rules and the Sigma pack. */
export const BUILTIN_RULES_DIR = join(RULES_ROOT, 'cloudtrail');
export const BUILTIN_SIGMA_DIR = join(RULES_ROOT, 'sigma');
export const PACKS_FILE = join(RULES_ROOT, 'packs.yaml');
export const CATALOGUES_DIR = join(RULES_ROOT, 'catalogues');

/** Which files to read, and the name each gets (for error messages, and for overlays by name). */
export interface RuleFileSelection {
  /** Takes a file's path; default: YAML files. */
  readonly accept?: (path: string) => boolean;
  /** Default: the path relative to the working directory, when below it. */
  readonly name?: (path: string) => string;
}

/** Every accepted file below the given folders (or the files themselves), sorted for stable output. */
export function readRuleSources(paths: readonly string[], { accept = isYamlFile, name = displayPath }: RuleFileSelection = {}): RuleSource[] {
  const files: string[] = [];
  const visit = (p: string) => {
    if (statSync(p).isDirectory()) for (const entry of readdirSync(p)) visit(join(p, entry));
    else if (accept(p)) files.push(p);
  };
  for (const p of paths) visit(p);
  files.sort();
  return files.map((file) => ({ file: name(file), text: readFileSync(file, 'utf8') }));
}

/** True for a `.yaml`/`.yml` file. */
export function isYamlFile(path: string): boolean {
  return /\.ya?ml$/i.test(path);
}

/** The rules of the enabled packs, the sources they compiled from (for worker threads), and every pack's state. */
export type SelectedRules = LoadedRules & { sources: RuleSource[]; packs: PackState[] };

/**
 * Loads the built-in rules plus any extra folders, keeping the rules of enabled packs. `root` is the
 * rules folder: the repository's by default, the copy bundled beside a Lambda function's code there.
 */
export function loadRuleFolders(extra: readonly string[] = [], choice: PackChoice = {}, root: string = RULES_ROOT): SelectedRules {
  const sources = readRuleSources([join(root, 'cloudtrail'), join(root, 'sigma'), ...extra]);
  const loaded = loadRules(sources);
  const declared = PacksFileSchema.parse(parse(readFileSync(join(root, 'packs.yaml'), 'utf8')));
  const { rules, packs } = selectPacks(loaded.rules, declared, choice);
  const files = new Set(rules.map((r) => r.file));
  return { rules, problems: loaded.problems, sources: sources.filter((s) => files.has(s.file)), packs };
}

function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}
