import { describe, expect, it } from 'vitest';
import { cusumAlarm, updateCusum } from '../../../central/core/statistics/cusum.js';
import { bandOf, decayEwma, updateEwma, zScore, type Ewma } from '../../../central/core/statistics/ewma.js';

describe('EWMA of mean and variance', () => {
  it('follows the hand-computed sequence 10, 20, 10 with alpha 0.3', () => {
    // 10: mean 10, variance 0. 20: diff 10, mean 13, variance 0.7 * (0 + 10 * 3) = 21.
    // 10: diff -3, mean 12.1, variance 0.7 * (21 + (-3) * (-0.9)) = 16.59.
    let s: Ewma | undefined;
    s = updateEwma(s, 10, 0.3);
    expect(s).toEqual({ mean: 10, variance: 0 });
    s = updateEwma(s, 20, 0.3);
    expect(s.mean).toBeCloseTo(13, 12);
    expect(s.variance).toBeCloseTo(21, 12);
    s = updateEwma(s, 10, 0.3);
    expect(s.mean).toBeCloseTo(12.1, 12);
    expect(s.variance).toBeCloseTo(16.59, 12);
  });

  it('draws the 3-sigma band from the estimate', () => {
    const band = bandOf({ mean: 12.1, variance: 16.59 }, 3, 0.1);
    expect(band.deviation).toBeCloseTo(Math.sqrt(16.59), 12);
    expect(band.upper).toBeCloseTo(12.1 + 3 * Math.sqrt(16.59), 12);
    expect(band.lower).toBeCloseTo(12.1 - 3 * Math.sqrt(16.59), 12);
    expect(zScore(band, 30)).toBeCloseTo((30 - 12.1) / Math.sqrt(16.59), 12);
  });

  it('floors the deviation of a series that never varied, at a share of the mean and at 1', () => {
    expect(bandOf({ mean: 60, variance: 0 }, 3, 0.1).deviation).toBe(6);
    expect(bandOf({ mean: 2, variance: 0 }, 3, 0.1).deviation).toBe(1);
    expect(bandOf({ mean: 0.01, variance: 0 }, 3, 0.1, 0.02).deviation).toBe(0.02);
  });

  it('treats silent windows as zeros', () => {
    const decayed = decayEwma({ mean: 100, variance: 0 }, 2, 0.5);
    // 100 -> 50 (variance 0.5 * (0 + 100 * 50) = 2500) -> 25 (variance 0.5 * (2500 + 50 * 25) = 1875).
    expect(decayed.mean).toBeCloseTo(25, 12);
    expect(decayed.variance).toBeCloseTo(1875, 12);
  });
});

describe('CUSUM', () => {
  it('adds standardized excess over the slack and never goes below zero', () => {
    const zs = [1, 2, 0.2, -1, -5, 3];
    const out: number[] = [];
    let s = 0;
    for (const z of zs) out.push((s = updateCusum(s, z, 0.5)));
    // 0 + 1 - .5 = .5; .5 + 2 - .5 = 2; 2 + .2 - .5 = 1.7; 1.7 - 1 - .5 = .2; max(0, .2 - 5.5) = 0; 0 + 3 - .5 = 2.5.
    expect(out.map((v) => Math.round(v * 1e9) / 1e9)).toEqual([0.5, 2, 1.7, 0.2, 0, 2.5]);
  });

  it('alarms only above the decision threshold', () => {
    expect(cusumAlarm(5, 5)).toBe(false);
    expect(cusumAlarm(5.01, 5)).toBe(true);
  });

  it('catches a shift of one deviation that a 3-sigma band never sees', () => {
    // Each window stands 1 deviation above the expected value: z = 1, under the band's 3.
    let s = 0;
    let windows = 0;
    while (!cusumAlarm(s, 5)) {
      s = updateCusum(s, 1, 0.5);
      windows++;
    }
    expect(windows).toBe(11);
  });
});
