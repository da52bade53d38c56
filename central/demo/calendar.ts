/**
 * When the organization is busy: application traffic follows its users around the clock, people and
 * their pipelines follow the working day (UTC, Europe and the US overlapping) and rest at weekends.
 */
import type { Random } from './random.js';
import { HOUR } from './time.js';

/** The load of one hour: how many events, and what share of them people (and their CI) cause. */
export interface HourLoad {
  readonly start: number;
  readonly events: number;
  readonly humanShare: number;
}

/** 0 at night, 1 at the busiest working hour (13:00 UTC, when London and New York both work). */
export function workCurve(hourOfDay: number): number {
  if (hourOfDay < 6 || hourOfDay > 21) return 0;
  return Math.sin((Math.PI * (hourOfDay - 5)) / 17);
}

/** Whether a time falls on Saturday or Sunday (UTC). */
export function isWeekend(t: number): boolean {
  const day = new Date(t).getUTCDay();
  return day === 0 || day === 6;
}

/**
 * Splits `count` events over the hours of the period, in proportion to each hour's load with a little
 * noise, using largest remainders so the hours add up to exactly `count`.
 */
export function hourlyLoad(rng: Random, start: number, days: number, count: number): HourLoad[] {
  const hours = Math.max(1, Math.round(days * 24));
  const weights: number[] = [];
  const humanShares: number[] = [];
  for (let i = 0; i < hours; i++) {
    const t = start + i * HOUR;
    const work = workCurve(new Date(t).getUTCHours());
    const weekend = isWeekend(t);
    const apps = (0.6 + 0.6 * work) * (weekend ? 0.85 : 1);
    const people = 0.45 * work * (weekend ? 0.08 : 1);
    weights.push((apps + people) * (0.9 + 0.2 * rng.next()));
    humanShares.push(people / (apps + people));
  }
  const total = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w / total) * count);
  const counts = exact.map(Math.floor);
  let missing = count - counts.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; missing > 0; k = (k + 1) % hours, missing--) counts[byRemainder[k]![1]]!++;
  return counts.map((events, i) => ({ start: start + i * HOUR, events, humanShare: humanShares[i]! }));
}
