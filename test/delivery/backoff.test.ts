import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from '../../central/core/delivery/backoff.js';

describe('exponential backoff with full jitter', () => {
  const policy = { baseMs: 200, capMs: 5_000, attempts: 6 };

  it('doubles the ceiling with every retry up to the cap', () => {
    const almostOne = () => 0.999_999;
    expect([0, 1, 2, 3, 4, 5, 6].map((r) => backoffDelay(r, policy, almostOne))).toEqual([199, 399, 799, 1599, 3199, 4999, 4999]);
  });

  it('draws the wait uniformly below the ceiling', () => {
    expect(backoffDelay(2, policy, () => 0)).toBe(0);
    expect(backoffDelay(2, policy, () => 0.5)).toBe(400);
    expect(backoffDelay(2, policy, () => 0.25)).toBe(200);
  });

  it('stays within [0, ceiling] whatever the random source returns', () => {
    expect(backoffDelay(1, policy, () => 7)).toBe(400);
    expect(backoffDelay(1, policy, () => -1)).toBe(0);
  });

  it('defaults to five attempts of at most 200 ms, 400 ms, 800 ms and 1.6 s between them', () => {
    expect(DEFAULT_BACKOFF.attempts).toBe(5);
    expect([0, 1, 2, 3].map((r) => backoffDelay(r, DEFAULT_BACKOFF, () => 1))).toEqual([200, 400, 800, 1600]);
  });
});
