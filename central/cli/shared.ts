/** What the commands share: loading rules with reporting, state folder resolution, severity labels. */
import { InvalidArgumentError } from 'commander';
import { resolve } from 'node:path';
import { problemLocation, type RuleSource } from '../core/rules/load.js';
import type { PackState } from '../core/rules/packs.js';
import type { CompiledRule } from '../core/rules/rule.js';
import type { CompiledCorrelation } from '../core/correlation/compile.js';
import { SEVERITY_LABELS } from '../core/rules/schema.js';
import { loadRuleFolders } from '../local/rule-files.js';
import { loadSuppressionFiles } from '../local/suppression-files.js';
import type { LoadedSuppressions } from '../core/suppressions/load.js';
import type { CompiledSuppression } from '../core/suppressions/match.js';
import type { IocMatcher } from '../core/ioc/matcher.js';
import type { AsnLookup } from '../core/ioc/asn-ranges.js';
import { asnForRules } from '../local/behaviour-asn.js';
import type { StatisticsDetector } from '../core/statistics/definition.js';
import { loadIocMatcher, loadStatisticsFolders, type IocPoolLists } from '../local/statistics-files.js';

/** The default state folder, relative to the working directory. */
export const DEFAULT_STATE_DIR = '.skywatch';

/** Rule selection options shared by the commands that load rules. */
export interface RuleSelection {
  readonly rules: readonly string[];
  readonly enablePack?: readonly string[];
  readonly disablePack?: readonly string[];
}

/** Loads built-in and extra rules of the enabled packs, printing each rule file that did not load, and each override, to stderr. */
export function loadRulesReporting(selection: RuleSelection): { rules: CompiledRule[]; sources: RuleSource[]; problems: number; packs: PackState[]; correlations: CompiledCorrelation[] } {
  let loaded;
  try {
    loaded = loadRuleFolders(selection.rules.map((d) => resolve(d)), { enable: selection.enablePack, disable: selection.disablePack });
  } catch (err) {
    // An unknown pack name: a usage error, reported here because commander did not see it.
    process.stderr.write(`skywatch: ${(err as Error).message}\n`);
    throw new InvalidArgumentError((err as Error).message);
  }
  const { rules, sources, problems, packs, overrides, correlations } = loaded;
  for (const p of problems) process.stderr.write(`skywatch: rule ${p.kind === 'unsupported' ? 'not loaded' : 'error'}: ${problemLocation(p)}: ${p.reason}\n`);
  // A notice: replacing a built-in rule is what --rules is for, so it does not change the exit code.
  for (const o of overrides) process.stderr.write(`skywatch: rule override: ${o.file} replaces the built-in ${o.replaces} (rule ${o.id})\n`);
  return { rules, sources, problems: problems.length, packs, correlations };
}

/** Parses a severity option, case-insensitively. */
export function parseSeverity(value: string): string {
  const label = value.toUpperCase();
  if (!(SEVERITY_LABELS as readonly string[]).includes(label)) throw new InvalidArgumentError(`unknown severity "${value}" (one of ${SEVERITY_LABELS.join(', ')})`);
  return label;
}

/** Collects a repeatable option into a list. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Parses a whole number option greater than zero. */
export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`expected a whole number greater than 0, got "${value}"`);
  return n;
}

/** Parses a duration option in seconds: 0 or more, fractions allowed. */
export function nonNegativeSeconds(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`expected a number of seconds (0 or more), got "${value}"`);
  return n;
}

/** Loads suppressions (a file or folder; default rules/suppressions.yaml), reporting problems and expired entries on stderr. */
export function loadSuppressionsReporting(path: string | undefined, now = new Date()): { loaded: LoadedSuppressions; active: CompiledSuppression[]; expired: CompiledSuppression[]; problems: number } {
  const loaded = loadSuppressionFiles(path === undefined ? undefined : resolve(path));
  for (const p of loaded.problems) process.stderr.write(`skywatch: suppression error: ${problemLocation(p)}: ${p.reason}\n`);
  const expired = loaded.suppressions.filter((s) => s.expired(now));
  for (const s of expired) process.stderr.write(`skywatch: suppression expired, no longer applied: ${s.id} (${s.file}, expired ${s.expires}, owner ${s.owner})\n`);
  return { loaded, active: loaded.suppressions.filter((s) => !s.expired(now)), expired, problems: loaded.problems.length };
}

/** Loads the statistics detectors and IOC lists (optional packs named in `enableIoc`), printing what did not load to stderr. */
export function loadNetworkDetectorsReporting(options: { readonly enableIoc?: readonly string[] } = {}): { statistics: StatisticsDetector[]; ioc: IocMatcher; iocLists: IocPoolLists; problems: number } {
  const statistics = loadStatisticsFolders();
  for (const p of statistics.problems) process.stderr.write(`skywatch: statistics detector error: ${problemLocation(p)}: ${p.reason}\n`);
  const ioc = loadIocMatcher({ enable: options.enableIoc });
  for (const p of ioc.problems) process.stderr.write(`skywatch: IOC list ${p.kind === 'notice' ? 'notice' : 'error'}: ${problemLocation(p)}: ${p.reason}\n`);
  const errors = ioc.problems.filter((p) => p.kind !== 'notice').length + statistics.problems.length;
  return { statistics: statistics.detectors.map((d) => d.detector), ioc: ioc.matcher, iocLists: ioc.lists, problems: errors };
}

/**
 * The ASN data for behaviour rules over `network.*`, or undefined (said on stderr) when it cannot be
 * read: those rules then learn nothing, and every other rule still runs.
 */
export function loadAsnForRulesReporting(rules: readonly CompiledRule[]): AsnLookup | undefined {
  try {
    return asnForRules(rules);
  } catch (err) {
    process.stderr.write(`skywatch: ASN data could not be read (${err instanceof Error ? err.message : String(err)}); rules over network.asn learn nothing\n`);
    return undefined;
  }
}
