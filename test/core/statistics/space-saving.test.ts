import { describe, expect, it } from 'vitest';
import { SpaceSaving } from '../../../central/core/statistics/space-saving.js';

const table = (capacity: number) => new SpaceSaving<null>(capacity, () => null);

describe('Space-Saving heavy hitters', () => {
  it('counts exactly while the keys fit', () => {
    const t = table(3);
    t.add('a', 5);
    t.add('b', 3);
    t.add('a', 1);
    expect(t.top().map((e) => [e.key, e.weight, e.error])).toEqual([['a', 6, 0], ['b', 3, 0]]);
    expect(t.evicted).toBe(0);
  });

  it('replaces the lightest key and carries its weight as the newcomer\'s possible error', () => {
    const t = table(2);
    t.add('a', 5);
    t.add('b', 3);
    t.add('c', 1);
    expect(t.top().map((e) => [e.key, e.weight, e.error])).toEqual([['a', 5, 0], ['c', 4, 3]]);
    expect(t.evicted).toBe(1);
  });

  it('keeps a heavy key among a million one-off keys in a table of 100', () => {
    const t = table(100);
    for (let i = 0; i < 1_000_000; i++) {
      t.add(`k${i}`, 1);
      if (i % 100 === 0) t.add('scanner', 50);
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
    for (const k of ['d', 'b', 'c', 'a']) t.add(k, 1);
    expect(t.top().map((e) => e.key)).toEqual(['a', 'b', 'c', 'd']);
  });
});
