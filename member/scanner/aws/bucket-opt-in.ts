/**
 * The opt-in check: only buckets with the opt-in tag are scanned (the role can read no other bucket's
 * objects anyway). Tags are cached for a few minutes per container, so a batch costs one call a bucket.
 */
import { GetBucketTaggingCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Clock } from '../../../central/core/ports.js';
import type { OptInCheck } from '../scanner-runtime.js';

const CACHE_MS = 5 * 60 * 1000;

export class BucketTagOptIn implements OptInCheck {
  private readonly cache = new Map<string, { optedIn: boolean; at: number }>();

  constructor(private readonly client: S3Client, private readonly tag: { key: string; value: string }, private readonly clock: Clock) {}

  async isOptedIn(bucket: string): Promise<boolean> {
    const now = this.clock.now().getTime();
    const cached = this.cache.get(bucket);
    if (cached && now - cached.at < CACHE_MS) return cached.optedIn;
    const optedIn = await this.lookUp(bucket);
    this.cache.set(bucket, { optedIn, at: now });
    return optedIn;
  }

  private async lookUp(bucket: string): Promise<boolean> {
    try {
      const { TagSet } = await this.client.send(new GetBucketTaggingCommand({ Bucket: bucket }));
      return (TagSet ?? []).some((t) => t.Key === this.tag.key && t.Value === this.tag.value);
    } catch (err) {
      // A bucket without tags answers NoSuchTagSet: not opted in.
      if ((err as { name?: string }).name === 'NoSuchTagSet') return false;
      throw err;
    }
  }
}
