/**
 * Security Hub (and the local store, which follows it) ignores a finding update whose UpdatedAt is
 * not later than the stored one's, so two versions of a finding written within one millisecond
 * would lose the second. A producer that writes a finding more than once gives each version a
 * time at least one millisecond after the last.
 */

/** `now`, or one millisecond after `previous` (an ISO time) when that is not earlier. */
export function laterUpdatedAt(now: Date, previous: string | undefined): Date {
  if (previous === undefined) return now;
  const floor = Date.parse(previous) + 1;
  return now.getTime() >= floor ? now : new Date(floor);
}
