/**
 * The statistics function's detectors and IOC lists, read from the rules folder bundled next to its
 * code (`rules/statistics`, `rules/ioc`) at cold start. A broken detector or list fails the cold
 * start with its file and line. ASN lists are loaded but match nothing here: the ASN tables are not
 * bundled (they cost 20 MB and a second per cold start), so only addresses and networks raise the
 * severity of an anomalous key.
 */
import { resolve } from 'node:path';
import { addressIntel } from '../../core/ioc/address-intel.js';
import { compileIocMatcher, type IocMatcher } from '../../core/ioc/matcher.js';
import { problemLocation } from '../../core/rules/load.js';
import type { StatisticsDetector } from '../../core/statistics/definition.js';
import type { AddressIntel } from '../../core/statistics/network-statistics.js';
import { loadIocFolders } from '../../local/ioc-files.js';
import { loadStatisticsFolders } from '../../local/statistics-files.js';

/** What a statistics run judges with. */
export interface BundledStatistics {
  readonly detectors: StatisticsDetector[];
  readonly intel: AddressIntel;
  /** IOC lists loaded, and those with ASN indicators (which match nothing without the tables). */
  readonly lists: number;
  readonly asnLists: number;
}

/** Loads the detectors and IOC lists below `rulesRoot`; throws naming every broken file. */
export function loadBundledStatistics(rulesRoot: string, now: Date): BundledStatistics {
  const statistics = loadStatisticsFolders([resolve(rulesRoot, 'statistics')], rulesRoot);
  if (statistics.problems.length) throw new Error(`statistics rules failed to load: ${statistics.problems.map((p) => `${problemLocation(p)}: ${p.reason}`).join('; ')}`);
  const ioc = loadBundledIoc(rulesRoot, now);
  return { detectors: statistics.detectors.map((l) => l.detector), intel: addressIntel(ioc.matcher), lists: ioc.lists, asnLists: ioc.asnLists };
}

/** The IOC lists bundled below `rulesRoot`, compiled (without the ASN tables); throws naming every broken file. */
export function loadBundledIoc(rulesRoot: string, now: Date): { matcher: IocMatcher; lists: number; asnLists: number } {
  const ioc = loadIocFolders([resolve(rulesRoot, 'ioc')], now, rulesRoot);
  const broken = ioc.problems.filter((p) => p.kind !== 'notice');
  if (broken.length) throw new Error(`IOC lists failed to load: ${broken.map((p) => `${problemLocation(p)}: ${p.reason}`).join('; ')}`);
  return { matcher: compileIocMatcher(ioc.lists), lists: ioc.lists.length, asnLists: ioc.lists.filter((l) => l.asns.length > 0).length };
}
