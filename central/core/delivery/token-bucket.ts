/**
 * Token buckets, one per key (account and region): Security Hub allows BatchImportFindings 10 times a
 * second with bursts of 30 per account and region, so the publisher waits for a token rather than
 * spending its retries on throttling it could have predicted.
 */
import type { Clock } from '../ports.js';

/** A rate in tokens per second and the most tokens a bucket holds. */
export interface RateLimit {
  readonly rate: number;
  readonly burst: number;
}

/** Security Hub's documented BatchImportFindings limit per account and region. */
export const SECURITY_HUB_IMPORT_RATE: RateLimit = { rate: 10, burst: 30 };

/** Waits `ms` milliseconds; injected so tests move a clock instead of waiting. */
export type Sleep = (ms: number) => Promise<void>;

interface Bucket {
  tokens: number;
  at: number;
}

/** One bucket per key, each starting full. */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limit: RateLimit,
    private readonly clock: Clock,
    private readonly sleep: Sleep,
  ) {
    if (!(limit.rate > 0) || !(limit.burst >= 1)) throw new Error(`invalid rate limit: ${limit.rate}/s, burst ${limit.burst}`);
  }

  /** Takes a token for `key`, waiting until one is available. */
  async take(key: string): Promise<void> {
    for (;;) {
      const wait = this.tryTake(key);
      if (wait === 0) return;
      await this.sleep(wait);
    }
  }

  /** Takes a token if one is available (returns 0), else returns how many ms until one will be. */
  tryTake(key: string): number {
    const bucket = this.refill(key);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil(((1 - bucket.tokens) / this.limit.rate) * 1000));
  }

  private refill(key: string): Bucket {
    const now = this.clock.now().getTime();
    const bucket = this.buckets.get(key);
    if (!bucket) {
      const fresh = { tokens: this.limit.burst, at: now };
      this.buckets.set(key, fresh);
      return fresh;
    }
    // A clock that goes backwards (it can, on a laptop) must not mint or burn tokens.
    const elapsed = Math.max(0, now - bucket.at);
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + (elapsed / 1000) * this.limit.rate);
    bucket.at = Math.max(bucket.at, now);
    return bucket;
  }
}
