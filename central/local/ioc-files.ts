/** Reads IOC list folders (the `.yaml` lists and the `.txt` indicator files they name) and loads them. */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadIocLists, type LoadedIocLists } from '../core/ioc/load.js';
import type { RuleSource } from '../core/rules/load.js';
import { YAML_LIMITS } from '../core/rules/yaml-file.js';
import { readRuleSources } from './rule-walk.js';

/** The IOC lists that ship with Skywatch. */
export const BUILTIN_IOC_DIR = fileURLToPath(new URL('../../rules/ioc/', import.meta.url));

/**
 * Loads every IOC list below the folders (default: the built-in ones); files are named relative to
 * `base`. The texts read come back too, for worker threads to compile the same lists.
 */
export function loadIocFolders(folders: readonly string[] = [BUILTIN_IOC_DIR], now: Date = new Date(), base: string = process.cwd()): LoadedIocLists & { sources: RuleSource[] } {
  const { sources, problems } = readRuleSources(folders, { accept: (p) => /\.(ya?ml|txt)$/.test(p), maxBytes: YAML_LIMITS.maxSize, name: (p) => relative(base, p) });
  const loaded = loadIocLists(sources, now);
  return { lists: loaded.lists, problems: [...problems.map((p) => ({ ...p, kind: 'invalid' as const })), ...loaded.problems], sources };
}
