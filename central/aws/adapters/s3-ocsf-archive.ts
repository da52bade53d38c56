/**
 * The FindingArchive over S3: the OCSF records of one publishing call as JSON lines, one object per
 * account and region, under `<prefix>account=<account>/region=<region>/date=<yyyy-mm-dd>/`, so a table
 * defined over it (Athena, Security Lake) can prune by partition; Skywatch itself defines no such table.
 * Encryption is the bucket's default (SSE-S3 or SSE-KMS).
 */
import { randomBytes } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { FindingArchive, OcsfDetectionFinding } from '../../core/delivery/ocsf.js';
import type { Clock } from '../../core/ports.js';

/** Where and how the archive writes. */
export interface S3FindingArchiveOptions {
  readonly client: S3Client;
  readonly bucket: string;
  /** Key prefix ending in `/` (OCSF_PREFIX). */
  readonly prefix: string;
  readonly clock: Clock;
  /** A short random suffix so two writers in the same millisecond never overwrite each other. */
  readonly suffix?: () => string;
}

/** OCSF JSON lines in the log archive. */
export class S3FindingArchive implements FindingArchive {
  constructor(private readonly options: S3FindingArchiveOptions) {}

  async write(records: readonly OcsfDetectionFinding[]): Promise<void> {
    const groups = new Map<string, OcsfDetectionFinding[]>();
    for (const record of records) {
      const key = `account=${record.cloud.account.uid}/region=${record.cloud.region}`;
      const group = groups.get(key);
      if (group) group.push(record);
      else groups.set(key, [record]);
    }
    const now = this.options.clock.now().toISOString();
    const date = now.slice(0, 10);
    const time = now.slice(11, 23).replace(/[:.]/g, '');
    for (const [place, group] of groups) {
      const suffix = this.options.suffix?.() ?? randomBytes(6).toString('hex');
      await this.options.client.send(
        new PutObjectCommand({
          Bucket: this.options.bucket,
          Key: `${this.options.prefix}${place}/date=${date}/${time}-${suffix}.jsonl`,
          Body: group.map((r) => JSON.stringify(r)).join('\n') + '\n',
          ContentType: 'application/x-ndjson',
        }),
      );
    }
  }
}
