/** Reads investigation folders (default: the built-in rules/queries/) for the CLI. */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadInvestigations, type LoadedInvestigations } from '../core/query/load-investigations.js';
import { YAML_LIMITS } from '../core/rules/yaml-file.js';
import { readRuleSources } from './rule-walk.js';

/** The investigations that ship with Skywatch. */
export const BUILTIN_QUERIES_DIR = fileURLToPath(new URL('../../rules/queries/', import.meta.url));

/** Loads every investigation below the folders; files are named relative to `base`. */
export function loadInvestigationFolders(folders: readonly string[] = [BUILTIN_QUERIES_DIR], base: string = process.cwd()): LoadedInvestigations {
  const { sources, problems } = readRuleSources(folders, { accept: (p) => /\.ya?ml$/.test(p), maxBytes: YAML_LIMITS.maxSize, name: (p) => relative(base, p) });
  const loaded = loadInvestigations(sources);
  return { investigations: loaded.investigations.sort((a, b) => a.name.localeCompare(b.name)), problems: [...problems, ...loaded.problems] };
}
