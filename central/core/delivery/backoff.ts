/**
 * Exponential backoff with full jitter: each retry waits a random time between 0 and
 * min(cap, base * 2^retry), so publishers throttled together do not retry together.
 */

/** How long and how often to retry. */
export interface BackoffPolicy {
  /** The first retry's ceiling, in ms. */
  readonly baseMs: number;
  /** No wait is longer than this, in ms. */
  readonly capMs: number;
  /** Attempts in all, the first one included. */
  readonly attempts: number;
}

/** The publisher's default: up to 5 attempts, waits of at most 200 ms, 400 ms, 800 ms, 1.6 s. */
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 200, capMs: 5_000, attempts: 5 };

/** The wait before retry number `retry` (0 for the first retry); `random` returns [0, 1). */
export function backoffDelay(retry: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, retry));
  return Math.floor(Math.min(Math.max(random(), 0), 1) * ceiling);
}
