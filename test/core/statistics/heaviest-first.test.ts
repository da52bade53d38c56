import { describe, expect, it } from 'vitest';
import { sortHeaviestFirst, type Weighted } from '../../../central/core/statistics/heaviest-first.js';
import { seededRandom } from '../../support/seeded.js';

const reference = (items: readonly Weighted[]) => [...items].sort((a, b) => b.weight - a.weight || (a.key < b.key ? -1 : 1));

/** Every run sorts the same inputs. */
const seeded = seededRandom;

function keysOf(rnd: () => number, n: number, alphabet: string, maxLength: number): string[] {
  const keys = new Set<string>();
  while (keys.size < n) {
    let k = '';
    const length = Math.floor(rnd() * (maxLength + 1));
    for (let i = 0; i < length; i++) k += alphabet[Math.floor(rnd() * alphabet.length)];
    keys.add(k);
  }
  return [...keys];
}

describe('sortHeaviestFirst', () => {
  it('orders keys as the comparator of weight, then key, does', () => {
    const rnd = seeded(1);
    for (const [n, alphabet, maxLength, weights] of [
      [600, '0123456789.', 15, 1],
      [2_000, '0123456789.\u001f', 24, 3],
      [300, 'ab', 12, 50],
      [40, 'aé\u{1F600}z', 6, 2],
      [1_000, '0123456789', 8, 1_000_000],
      [5, 'xy', 3, 1],
      [0, 'x', 1, 1],
    ] as const) {
      const items = keysOf(rnd, n, alphabet, maxLength).map((key) => ({ key, weight: Math.floor(rnd() * weights) }));
      expect(sortHeaviestFirst([...items]).map((i) => i.key)).toEqual(reference(items).map((i) => i.key));
    }
  });

  it('keeps a key before the keys it is a prefix of', () => {
    const items = ['10.0.0.12', '10.0.0.1', '10.0.0.1\u001f443', '10.0.0.10', '', '1'].map((key) => ({ key, weight: 1 }));
    expect(sortHeaviestFirst(items).map((i) => i.key)).toEqual(['', '1', '10.0.0.1', '10.0.0.1\u001f443', '10.0.0.10', '10.0.0.12']);
  });

  it('puts heavier keys first whatever their keys, fractional and huge weights included', () => {
    const items = [
      { key: 'a', weight: 0.5 },
      { key: 'b', weight: 1e300 },
      { key: 'c', weight: 2 },
      { key: 'd', weight: 0.5 },
      { key: 'e', weight: 0 },
    ];
    expect(sortHeaviestFirst(items).map((i) => i.key)).toEqual(['b', 'c', 'a', 'd', 'e']);
  });
});
