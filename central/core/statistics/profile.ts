/**
 * An hour-of-day profile: one slow EWMA per hour (UTC) of what a key's windows usually hold.
 * CUSUM measures against it rather than against the fast EWMA of the band: the fast EWMA follows a
 * slow ramp within a few windows, so a ramp never stands out from it, while a reference that only
 * learns a little each day does not move with a ramp of a few hours, and still knows that 09:00 is
 * busier than 03:00 (a plain slow mean would take every morning for a shift).
 */
import { bandOf, decayEwma, updateEwma, type Band, type Ewma } from './ewma.js';

/** One slot per hour of the day. */
export type HourProfile = ReadonlyArray<Ewma | null>;

/** How much one window moves its hour's slot: about a day of that hour's windows to learn a change. */
export const PROFILE_ALPHA = 0.05;

/** The hour (UTC, 0-23) of a window start in seconds. */
export function hourOf(windowStart: number): number {
  return Math.floor((windowStart % 86_400) / 3_600);
}

/** The profile after one more window. */
export function updateProfile(profile: HourProfile | undefined, windowStart: number, value: number): HourProfile {
  const slots = profile ? [...profile] : Array.from({ length: 24 }, () => null);
  const hour = hourOf(windowStart);
  slots[hour] = updateEwma(slots[hour] ?? undefined, value, PROFILE_ALPHA);
  return slots;
}

/**
 * The profile after `count` silent windows from `firstWindow` on: each hour's slot decays by the
 * zeros that fell in that hour (a day of silence is a zero in every hour).
 */
export function decayProfile(profile: HourProfile, firstWindow: number, count: number, windowSeconds: number): HourProfile {
  if (count <= 0) return profile;
  const zeros = new Array<number>(24).fill(0);
  // Whole days add one zero window per window of each hour; the remainder is walked.
  const perDay = 86_400 / windowSeconds;
  const days = Math.floor(count / perDay);
  const perHour = 3_600 / windowSeconds;
  if (days > 0) for (let h = 0; h < 24; h++) zeros[h] = days * perHour;
  for (let i = days * perDay; i < count; i++) zeros[hourOf(firstWindow + i * windowSeconds)]! += 1;
  return profile.map((slot, h) => (slot ? decayEwma(slot, zeros[h]!, PROFILE_ALPHA) : slot));
}

/** The band of the window's hour, or undefined while that hour has never been seen. */
export function profileBand(profile: HourProfile | undefined, windowStart: number, minRelativeDeviation: number, minDeviation: number): Band | undefined {
  const slot = profile?.[hourOf(windowStart)];
  return slot ? bandOf(slot, 0, minRelativeDeviation, minDeviation) : undefined;
}
