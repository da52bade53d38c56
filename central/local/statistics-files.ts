/** Reads statistics detector folders and IOC list folders for the CLI and the Lambda, and builds the IOC matcher. */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IocProblem } from '../core/ioc/load.js';
import { loadIocLists } from '../core/ioc/load.js';
import { compileIocMatcher, type IocMatcher } from '../core/ioc/matcher.js';
import { YAML_LIMITS } from '../core/rules/yaml-file.js';
import { loadStatisticsDetectors, type LoadedStatistics } from '../core/statistics/load.js';
import { readAsnRanges } from './asn-files.js';
import { BUILTIN_IOC_DIR, loadIocFolders } from './ioc-files.js';
import { readRuleSources } from './rule-walk.js';

/** The statistics detectors that ship with Skywatch. */
export const BUILTIN_STATISTICS_DIR = fileURLToPath(new URL('../../rules/statistics/', import.meta.url));

/** Loads every detector below the folders (default: the built-in ones); files are named relative to `base`. */
export function loadStatisticsFolders(folders: readonly string[] = [BUILTIN_STATISTICS_DIR], base: string = process.cwd()): LoadedStatistics {
  const { sources, problems } = readRuleSources(folders, { accept: (p) => /\.ya?ml$/.test(p), maxBytes: YAML_LIMITS.maxSize, name: (p) => relative(base, p) });
  const loaded = loadStatisticsDetectors(sources);
  return { detectors: loaded.detectors, problems: [...problems, ...loaded.problems] };
}

/** IOC list texts and the packs enabled, as worker threads receive them to compile their own matcher. */
export interface IocPoolLists {
  readonly sources: ReadonlyArray<{ readonly file: string; readonly text: string }>;
  readonly enable: readonly string[];
  /** ISO time that decides which lists have expired, the same on every thread. */
  readonly now: string;
}

/** The IOC matcher over the lists below the folders, with the offline ASN data loaded only when a list needs it. */
export function loadIocMatcher(options: { readonly folders?: readonly string[]; readonly enable?: readonly string[]; readonly now?: Date } = {}): { matcher: IocMatcher; problems: IocProblem[]; lists: IocPoolLists } {
  const now = options.now ?? new Date();
  const loaded = loadIocFolders(options.folders ?? [BUILTIN_IOC_DIR], now);
  const lists: IocPoolLists = { sources: loaded.sources, enable: options.enable ?? [], now: now.toISOString() };
  return { matcher: compileWithAsn(loaded.lists, lists.enable), problems: loaded.problems, lists };
}

/** Compiles the matcher from list texts (in a worker thread). */
export function compileIocLists(lists: IocPoolLists): IocMatcher {
  return compileWithAsn(loadIocLists(lists.sources, new Date(lists.now)).lists, lists.enable);
}

function compileWithAsn(lists: Parameters<typeof compileIocMatcher>[0], enable: readonly string[]): IocMatcher {
  const matcher = compileIocMatcher(lists, { enable });
  // The ASN tables take a second and some 20 MB to load: only when an active list has ASN indicators.
  return matcher.needsAsnLookup ? compileIocMatcher(lists, { enable, asnLookup: readAsnRanges() }) : matcher;
}
