import { describe, expect, it } from 'vitest';
import { HeavyEntry, SpaceSaving, type KeyPart } from '../../../central/core/statistics/space-saving.js';

const entry = (parts: readonly KeyPart[], weight: number) => new HeavyEntry(parts, weight);
const table = (capacity: number, depth = 1) => new SpaceSaving(capacity, depth, entry);

describe('Space-Saving heavy hitters', () => {
  it('counts exactly while the keys fit', () => {
    const t = table(3);
    t.add(['a'], 5);
    t.add(['b'], 3);
    t.add(['a'], 1);
    expect(t.top().map((e) => [e.key, e.weight, e.error])).toEqual([['a', 6, 0], ['b', 3, 0]]);
    expect(t.evicted).toBe(0);
  });

  it('replaces the lightest key and carries its weight as the newcomer\'s possible error', () => {
    const t = table(2);
    t.add(['a'], 5);
    t.add(['b'], 3);
    t.add(['c'], 1);
    expect(t.top().map((e) => [e.key, e.weight, e.error])).toEqual([['a', 5, 0], ['c', 4, 3]]);
    expect(t.evicted).toBe(1);
  });

  it('keeps a heavy key among a million one-off keys in a table of 100', () => {
    const t = table(100);
    for (let i = 0; i < 1_000_000; i++) {
      t.add([`k${i}`], 1);
      if (i % 100 === 0) t.add(['scanner'], 50);
    }
    expect(t.size).toBe(100);
    const top = t.top(1)[0]!;
    expect(top.key).toBe('scanner');
    // The guaranteed part (weight - error) is at most the true 500,000 and at least true - N/capacity.
    expect(top.weight - top.error).toBeLessThanOrEqual(500_000);
    expect(top.weight - top.error).toBeGreaterThanOrEqual(500_000 - 1_500_000 / 100);
  });

  it('ranks ties by key so the order is stable', () => {
    const t = table(5);
    for (const k of ['d', 'b', 'c', 'a']) t.add([k], 1);
    expect(t.top().map((e) => e.key)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('finds a key of several parts by its parts, a number part apart from its text, and reuses no caller array', () => {
    const t = table(10, 2);
    const parts: KeyPart[] = ['10.0.0.1', 443];
    t.add(parts, 1);
    parts[1] = 22; // the caller reuses its array: the entry kept a copy
    t.add(parts, 2);
    t.add(['10.0.0.1', 443], 4);
    t.add(['10.0.0.1', '443'], 8);
    expect(t.top().map((e) => [e.parts, e.weight])).toEqual([[['10.0.0.1', '443'], 8], [['10.0.0.1', 443], 5], [['10.0.0.1', 22], 2]]);
    expect(t.top()[1]!.key).toBe('10.0.0.1\u001f443');
  });

  it('forgets an evicted key entirely: its parts find nothing and a return starts from the lightest weight', () => {
    const t = table(2, 2);
    t.add(['a', 'x'], 5);
    t.add(['b', 'y'], 1);
    t.add(['c', 'z'], 2); // evicts b/y (weight 1)
    t.add(['b', 'y'], 1); // b/y again: evicts the lightest (c/z at 3) and inherits its weight
    expect(t.top().map((e) => [e.key, e.weight, e.error])).toEqual([['a\u001fx', 5, 0], ['b\u001fy', 4, 3]]);
    expect(t.size).toBe(2);
    expect(t.evicted).toBe(2);
  });

  it('agrees with a plain map of joined keys over random keys of three parts sharing prefixes, with and without evictions', () => {
    let seed = 11;
    const rnd = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (const capacity of [10_000, 40]) {
      const t = table(capacity, 3);
      const exact = new Map<string, number>();
      for (let i = 0; i < 5_000; i++) {
        const parts: KeyPart[] = [`s${Math.floor(rnd() * 30)}`, Math.floor(rnd() * 4), `d${Math.floor(rnd() * 5)}`];
        const w = 1 + Math.floor(rnd() * 3);
        const e = t.add(parts, w);
        expect(e.parts).toEqual(parts);
        const key = parts.join('\u001f');
        exact.set(key, (exact.get(key) ?? 0) + w);
      }
      const entries = t.top();
      expect(entries.length).toBe(Math.min(capacity, exact.size));
      // Every tracked key is found again by its parts (adding nothing returns its very entry)...
      for (const e of entries) expect(t.add([...e.parts], 0)).toBe(e);
      expect(t.size).toBe(entries.length);
      // ...and its weight is exact without evictions, an overestimate by at most its error with them.
      for (const e of entries) {
        const truth = exact.get(e.key)!;
        expect(e.weight).toBeGreaterThanOrEqual(truth);
        expect(e.weight - e.error).toBeLessThanOrEqual(truth);
        if (t.evicted === 0) expect(e.weight).toBe(truth);
      }
    }
  });
});
