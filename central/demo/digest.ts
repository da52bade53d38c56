/**
 * CloudTrail digest files: hourly JSON documents listing the log files delivered in the hour with
 * their SHA-256, chained to the previous digest. The demo writes the first hour of each day per
 * account and region, enough to show that readers must skip them (they hold no events).
 */
import { createHash } from 'node:crypto';
import type { DemoTrail } from './organization.js';
import type { Random } from './random.js';
import { HOUR, isoSeconds } from './time.js';

/** A delivered log file, as a digest lists it. */
export interface DeliveredFile {
  readonly key: string;
  readonly delivered: number;
  readonly oldest: string;
  readonly newest: string;
  /** SHA-256 of the uncompressed file, as digests record it. */
  readonly sha256: string;
}

/** Where and for whom the digests are written. */
export interface DigestScope {
  readonly orgId: string;
  readonly trail: DemoTrail;
  readonly rng: Random;
  readonly account: string;
  readonly region: string;
  readonly delivered: readonly DeliveredFile[];
}

/** One digest: its object key and JSON text. */
export interface DigestFile {
  readonly key: string;
  readonly text: string;
}

/** The digests of one account and region, oldest first, each chained to the one before. */
export function digestDocuments(scope: DigestScope): DigestFile[] {
  const { orgId, trail, account, region } = scope;
  const rng = scope.rng.fork(`digest/${account}/${region}`);
  const fingerprint = scope.rng.fork(`digest-key/${region}`).hex(32);
  const byHour = new Map<number, DeliveredFile[]>();
  for (const file of scope.delivered) {
    const hour = Math.floor(file.delivered / HOUR) * HOUR;
    byHour.set(hour, [...(byHour.get(hour) ?? []), file]);
  }
  const out: DigestFile[] = [];
  let previous: DigestFile | undefined;
  for (const [hour, files] of [...byHour].sort((a, b) => a[0] - b[0])) {
    const end = hour + HOUR + rng.between(30, 600) * 1000;
    const iso = isoSeconds(end);
    const stamp = iso.replace(/[-:]/g, '');
    const key = `AWSLogs/${orgId}/${account}/CloudTrail-Digest/${region}/${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}/${account}_CloudTrail-Digest_${region}_${trail.name}_${trail.homeRegion}_${stamp}.json.gz`;
    const document = {
      awsAccountId: account,
      digestStartTime: isoSeconds(hour),
      digestEndTime: iso,
      digestS3Bucket: trail.bucket,
      digestS3Object: key,
      digestPublicKeyFingerprint: fingerprint,
      digestSignatureAlgorithm: 'SHA256withRSA',
      newestEventTime: files.map((f) => f.newest).sort().at(-1),
      oldestEventTime: files.map((f) => f.oldest).sort()[0],
      previousDigestS3Bucket: previous ? trail.bucket : null,
      previousDigestS3Object: previous?.key ?? null,
      previousDigestHashValue: previous ? createHash('sha256').update(previous.text).digest('hex') : null,
      previousDigestHashAlgorithm: previous ? 'SHA-256' : null,
      previousDigestSignature: previous ? rng.hex(512) : null,
      logFiles: files.map((f) => ({ s3Bucket: trail.bucket, s3Object: f.key, hashValue: f.sha256, hashAlgorithm: 'SHA-256', newestEventTime: f.newest, oldestEventTime: f.oldest })),
    };
    previous = { key, text: JSON.stringify(document) };
    out.push(previous);
  }
  return out;
}
