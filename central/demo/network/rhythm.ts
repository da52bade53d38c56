/**
 * How busy the network is at a moment: a smooth daily curve (quiet around 02:00 UTC, busiest around
 * 14:00 when Europe and the US both work), lower at weekends, with a slow wobble so no two days are
 * the same. Detectors learn this rhythm, so it must be smooth; per-window noise is added by callers.
 */
import { isWeekend } from '../calendar.js';
import type { Random } from '../random.js';
import { HOUR } from '../time.js';

/** The share of the peak rate left at the quietest hour. */
export const NIGHT_FLOOR = 0.2;
/** Weekend traffic as a share of the same weekday hour. */
export const WEEKEND_FACTOR = 0.55;

/** A traffic level for a stream: the same curve, its own wobble. */
export interface Rhythm {
  /** The expected share of the peak rate at `t` (ms), 0..~1.1. */
  level(t: number): number;
}

/** 0 at 02:00 UTC, 1 at 14:00 UTC, following a cosine so the rise and fall have no corners. */
export function dayCurve(t: number): number {
  const hours = (t % (24 * HOUR)) / HOUR;
  return 0.5 - 0.5 * Math.cos((2 * Math.PI * (hours - 2)) / 24);
}

/** A rhythm with two slow sinusoids of random phase (periods of about 5 and 11 hours). */
export function rhythmFor(rng: Random): Rhythm {
  const phaseA = rng.next() * 2 * Math.PI;
  const phaseB = rng.next() * 2 * Math.PI;
  return {
    level(t) {
      const curve = NIGHT_FLOOR + (1 - NIGHT_FLOOR) * dayCurve(t) ** 1.3;
      const wobble = 1 + 0.07 * Math.sin((2 * Math.PI * t) / (5.3 * HOUR) + phaseA) + 0.05 * Math.sin((2 * Math.PI * t) / (11.7 * HOUR) + phaseB);
      return curve * wobble * (isWeekend(t) ? WEEKEND_FACTOR : 1);
    },
  };
}

/** `expected` with ±`spread` uniform noise, rounded to a whole count. */
export function noisyCount(rng: Random, expected: number, spread = 0.12): number {
  return Math.max(0, Math.round(expected * (1 - spread + 2 * spread * rng.next())));
}

/** An approximately Poisson count with mean `mean` (Knuth's method; means here stay small). */
export function poisson(rng: Random, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = rng.next(); p > limit; p *= rng.next()) k++;
  return k;
}
