/**
 * One-sided CUSUM (Page 1954) over standardized values: it adds up how far each window stands
 * above the expected value beyond a slack of `k` deviations and alarms when the sum passes `h`.
 * A 3-sigma band misses a shift of one or two deviations that lasts; CUSUM is made for it.
 * Only the upper side is kept: a drop in traffic is not what these detectors look for.
 */

/** The statistic after one more standardized value (never below zero). */
export function updateCusum(previous: number, z: number, k: number): number {
  return Math.max(0, previous + z - k);
}

/** True when the statistic says the level has shifted up. */
export function cusumAlarm(statistic: number, h: number): boolean {
  return statistic > h;
}
