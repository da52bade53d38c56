/**
 * The ASN data for behaviour rules over `network.asn`, loaded only when a loaded rule reads it
 * (about a second and 15 MB) and once per process, shared with whoever asks again.
 */
import type { AsnLookup } from '../core/ioc/asn-ranges.js';
import type { CompiledRule } from '../core/rules/rule.js';
import { packageAsnPaths, readAsnRanges, type AsnDataPaths } from './asn-files.js';

let loaded: { readonly key: string; readonly ranges: AsnLookup } | undefined;

/** True when some rule's first-seen value reads the source address's network. */
export function rulesReadNetwork(rules: readonly CompiledRule[]): boolean {
  return rules.some((r) => r.firstSeen?.readsNetwork === true);
}

/** The ASN lookup the rules need, or undefined when none reads `network.*`. */
export function asnForRules(rules: readonly CompiledRule[], paths: AsnDataPaths = packageAsnPaths()): AsnLookup | undefined {
  if (!rulesReadNetwork(rules)) return undefined;
  const key = `${paths.ipv4}\u0000${paths.ipv6}`;
  if (loaded?.key !== key) loaded = { key, ranges: readAsnRanges(paths) };
  return loaded.ranges;
}
