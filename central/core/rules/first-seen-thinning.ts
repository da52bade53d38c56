/**
 * Thins a file's first-seen hits before they cross from a worker thread to the gates. Rules over
 * every event (a principal's regions, networks) hit nearly every event, yet the gate decides a value
 * by its earliest sighting and remembers its latest: of the hits sharing a rule, key and value in a
 * file, only the earliest and the latest change anything. Thinning keeps those two and every other
 * hit, so a replay hands the gates a few hits per principal and file instead of one per event.
 * The cost: a value that is news is evidenced by its first and last sighting in each file, not all.
 */
import type { RuleHit } from './engine.js';

/** The hits with, per first-seen rule, key and value, only the earliest and the latest kept (order kept). */
export function thinFirstSeenHits(hits: readonly RuleHit[]): RuleHit[] {
  const extremes = new Map<string, { first: RuleHit; firstAt: number; last: RuleHit; lastAt: number }>();
  for (const hit of hits) {
    const spec = hit.rule.firstSeen;
    if (!spec) continue;
    // Without the ASN data here, the source address stands in for its network: same address, same ASN.
    const value = spec.readsNetwork ? hit.event.sourceIp : spec.value(hit.event, undefined);
    if (value === undefined) continue;
    const id = `${hit.rule.id}\u0000${spec.key(hit.event)}\u0000${value}`;
    const at = Date.parse(hit.event.time);
    const seen = extremes.get(id);
    if (!seen) extremes.set(id, { first: hit, firstAt: at, last: hit, lastAt: at });
    else {
      if (at < seen.firstAt) Object.assign(seen, { first: hit, firstAt: at });
      if (at >= seen.lastAt) Object.assign(seen, { last: hit, lastAt: at });
    }
  }
  if (extremes.size === 0) return [...hits];
  const kept = new Set<RuleHit>();
  for (const { first, last } of extremes.values()) kept.add(first).add(last);
  // A first-seen hit without a value teaches the gate nothing, so it is dropped here too.
  return hits.filter((hit) => !hit.rule.firstSeen || kept.has(hit));
}
