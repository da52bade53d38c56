import { describe, expect, it } from 'vitest';
import { RuleEngine } from '../../central/core/rules/engine.js';
import { RuleGates } from '../../central/core/rules/gates.js';
import { thinFirstSeenHits } from '../../central/core/rules/first-seen-thinning.js';
import { MemoryStateStore } from '../../central/core/state/memory-store.js';
import { loadRuleFolders } from '../../central/local/rule-files.js';
import { quietWeek, runInstances } from './support.js';

const rules = loadRuleFolders().rules;
const engine = new RuleEngine(rules);

describe('thinning a file of first-seen hits', () => {
  it('keeps the earliest and latest sighting per rule, key and value, and every other hit', () => {
    const day = [
      runInstances('2026-11-09T10:05:00Z', 'eu-west-1', 't3.medium', 1, 1, 'a'),
      runInstances('2026-11-09T10:01:00Z', 'eu-west-1', 't3.medium', 1, 2, 'b'),
      runInstances('2026-11-09T10:09:00Z', 'eu-west-1', 't3.medium', 1, 3, 'c'),
      runInstances('2026-11-09T10:03:00Z', 'eu-west-1', 't3.medium', 1, 4, 'd'),
    ];
    const hits = day.flatMap((e) => engine.evaluate(e));
    const thinned = thinFirstSeenHits(hits);
    const regionHits = thinned.filter((h) => h.rule.id === 'behaviour-new-region-for-principal').map((h) => h.event.time);
    expect(regionHits).toEqual(['2026-11-09T10:01:00Z', '2026-11-09T10:09:00Z']);
    // Volume counts every call: its hits are all kept.
    expect(thinned.filter((h) => h.rule.id === 'provisioning-volume-by-principal')).toHaveLength(4);
  });

  it('lets the gates reach the same decisions as with every hit', async () => {
    const events = [...quietWeek(), runInstances('2026-11-09T03:00:00Z', 'ap-southeast-3', 't3.medium', 1, 50, 'x'), runInstances('2026-11-09T03:02:00Z', 'ap-southeast-3', 't3.medium', 1, 51, 'y')];
    const fired = async (thin: boolean) => {
      const gates = new RuleGates(new MemoryStateStore());
      const ids = new Set<string>();
      for (const file of [events.slice(0, 7), events.slice(7)]) {
        const hits = file.flatMap((e) => engine.evaluate(e));
        const admitted = await gates.admit(thin ? thinFirstSeenHits(hits) : hits);
        await admitted.commit();
        for (const h of admitted.hits) ids.add(h.rule.id);
      }
      return [...ids].sort();
    };
    expect(await fired(true)).toEqual(await fired(false));
    expect(await fired(true)).toEqual(['behaviour-new-region-for-account', 'behaviour-new-region-for-principal']);
  });
});
