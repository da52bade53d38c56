/** Reads rule files from folders, for the CLI and for tests. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { loadRules, YAML_LIMITS, type LoadedRules, type RuleOrigin, type RuleSource } from '../core/rules/load.js';
import { readRuleSources } from './rule-walk.js';
import { PacksFileSchema, selectPacks, type PackChoice, type PackState } from '../core/rules/packs.js';

const RULES_ROOT = fileURLToPath(new URL('../../rules/', import.meta.url));

/** The rules that ship with Skywatch: native CloudTrail rules and the Sigma pack (`custom/`, when present, is the user's). */
export const BUILTIN_RULES_DIR = join(RULES_ROOT, 'cloudtrail');
export const BUILTIN_SIGMA_DIR = join(RULES_ROOT, 'sigma');
export const PACKS_FILE = join(RULES_ROOT, 'packs.yaml');
export const CATALOGUES_DIR = join(RULES_ROOT, 'catalogues');

export { isYamlFile, readRuleSources, type RuleFiles, type RuleFileSelection } from './rule-walk.js';

/** The rules of the enabled packs, the sources they compiled from (for worker threads), and every pack's state. */
export type SelectedRules = LoadedRules & { sources: RuleSource[]; packs: PackState[] };

/**
 * Loads the built-in rules (`cloudtrail/`, `sigma/`) and the user's: `custom/` when the rules folder
 * has one (how a deployment carries its own rules to the detector Lambda) and the extra folders,
 * keeping the rules of enabled packs. A user rule replaces the built-in rule of its id (reported in
 * `overrides`). `root` is the rules folder: the repository's by default, the copy bundled beside a
 * Lambda function's code there.
 */
export function loadRuleFolders(extra: readonly string[] = [], choice: PackChoice = {}, root: string = RULES_ROOT): SelectedRules {
  // Shared, so a built-in folder also given as an extra one is read once, as built-in.
  const seen = new Set<string>();
  const read = (paths: readonly string[], origin: RuleOrigin) => {
    const { sources, problems } = readRuleSources(paths, { maxBytes: YAML_LIMITS.maxSize, seen });
    return { problems, sources: sources.map((s) => ({ ...s, origin })) };
  };
  const correlation = join(root, 'correlation');
  const builtin = read([join(root, 'cloudtrail'), join(root, 'sigma'), ...(existsSync(correlation) ? [correlation] : [])], 'builtin');
  const custom = join(root, 'custom');
  const user = read([...(existsSync(custom) ? [custom] : []), ...extra], 'user');
  const sources = [...builtin.sources, ...user.sources];
  const loaded = loadRules(sources);
  const declared = PacksFileSchema.parse(parse(readFileSync(join(root, 'packs.yaml'), 'utf8')));
  const { rules, packs } = selectPacks(loaded.rules, declared, choice);
  const files = new Set(rules.map((r) => r.file));
  return {
    rules,
    problems: [...builtin.problems, ...user.problems, ...loaded.problems],
    overrides: loaded.overrides,
    correlations: loaded.correlations,
    sources: sources.filter((s) => files.has(s.file)),
    packs,
  };
}
