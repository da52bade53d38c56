/** Reads rule files from folders, for the CLI and for tests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { loadRules, YAML_LIMITS, type LoadedRules, type RuleSource } from '../core/rules/load.js';
import { readRuleSources } from './rule-walk.js';
import { PacksFileSchema, selectPacks, type PackChoice, type PackState } from '../core/rules/packs.js';

const RULES_ROOT = fileURLToPath(new URL('../../rules/', import.meta.url));

/** The rules that ship with Skywatch: native CloudTrail rules and the Sigma pack. */
export const BUILTIN_RULES_DIR = join(RULES_ROOT, 'cloudtrail');
export const BUILTIN_SIGMA_DIR = join(RULES_ROOT, 'sigma');
export const PACKS_FILE = join(RULES_ROOT, 'packs.yaml');
export const CATALOGUES_DIR = join(RULES_ROOT, 'catalogues');

export { isYamlFile, readRuleSources, type RuleFiles, type RuleFileSelection } from './rule-walk.js';

/** The rules of the enabled packs, the sources they compiled from (for worker threads), and every pack's state. */
export type SelectedRules = LoadedRules & { sources: RuleSource[]; packs: PackState[] };

/**
 * Loads the built-in rules plus any extra folders, keeping the rules of enabled packs. `root` is the
 * rules folder: the repository's by default, the copy bundled beside a Lambda function's code there.
 */
export function loadRuleFolders(extra: readonly string[] = [], choice: PackChoice = {}, root: string = RULES_ROOT): SelectedRules {
  const { sources, problems: unread } = readRuleSources([join(root, 'cloudtrail'), join(root, 'sigma'), ...extra], { maxBytes: YAML_LIMITS.maxSize });
  const loaded = loadRules(sources);
  const declared = PacksFileSchema.parse(parse(readFileSync(join(root, 'packs.yaml'), 'utf8')));
  const { rules, packs } = selectPacks(loaded.rules, declared, choice);
  const files = new Set(rules.map((r) => r.file));
  return { rules, problems: [...unread, ...loaded.problems], sources: sources.filter((s) => files.has(s.file)), packs };
}
