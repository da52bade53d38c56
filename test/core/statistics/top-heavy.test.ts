import { describe, expect, it } from 'vitest';
import { TopHeavy } from '../../../central/core/statistics/top-heavy.js';

describe('the top-heavy selection', () => {
  it('keeps the highest values, ties by weight then by key, as a full sort would', () => {
    const items = Array.from({ length: 500 }, (_, i) => ({ key: `k${(i * 7919) % 500}`, weight: i % 13, value: i % 17 }));
    const top = new TopHeavy<{ key: string; weight: number }>(25);
    for (const item of items) top.offer(item, item.value);
    const sorted = [...items].sort((a, b) => b.value - a.value || b.weight - a.weight || (a.key < b.key ? -1 : 1)).slice(0, 25);
    expect(top.ranked().map((r) => r.entry.key)).toEqual(sorted.map((s) => s.key));
  });

  it('keeps everything offered when fewer than its limit come', () => {
    const top = new TopHeavy<{ key: string; weight: number }>(10);
    top.offer({ key: 'b', weight: 1 }, 1);
    top.offer({ key: 'a', weight: 1 }, 1);
    expect(top.ranked().map((r) => r.entry.key)).toEqual(['a', 'b']);
  });
});
