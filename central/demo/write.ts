/**
 * Writes records in the organization-trail layout, the way CloudTrail delivers them: one gzipped
 * `{"Records":[...]}` file per account, region and 5-15 minute window, and digest files beside them.
 * Records stream in time order; a worker compresses and writes each window while generation goes on.
 */
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { alnum } from './aws-ids.js';
import { digestDocuments, type DeliveredFile } from './digest.js';
import { GzipSink } from './gzip-sink.js';
import type { DemoTrail } from './organization.js';
import type { Random } from './random.js';
import type { CloudTrailRecord } from './record.js';
import { deliveryStamp, MINUTE } from './time.js';

/** What the writer needs to know. */
export interface TrailWriterOptions {
  /** The folder that holds `AWSLogs/`. */
  readonly root: string;
  readonly orgId: string;
  readonly trail: DemoTrail;
  readonly rng: Random;
  /** The start of the period: the first delivery window of every stream opens here. */
  readonly start: number;
  /** Compression level: 6 is gzip's default; the demo trades a little size for speed. */
  readonly level?: number;
}

/** What was written. */
export interface WrittenTrail {
  /** Every file written (logs and digests), as full paths. */
  readonly paths: readonly string[];
  readonly files: number;
  readonly digestFiles: number;
  readonly events: number;
}

interface Stream {
  readonly account: string;
  readonly region: string;
  readonly rng: Random;
  windowEnd: number;
  parts: string[];
  oldest: string;
  newest: string;
  readonly delivered: DeliveredFile[];
}

/** Streams records into delivery files. Records must arrive in eventTime order. */
export class TrailWriter {
  private readonly streams = new Map<string, Stream>();
  private readonly sink: GzipSink;
  private readonly paths: string[] = [];
  private files = 0;
  private events = 0;

  constructor(private readonly options: TrailWriterOptions) {
    this.sink = new GzipSink(options.level ?? 6);
  }

  /** Adds one record; returns a promise to await when too many files are still being written. */
  add(record: CloudTrailRecord): Promise<void> | undefined {
    const account = record.recipientAccountId as string;
    const region = record.awsRegion as string;
    const time = record.eventTime as string;
    const stream = this.stream(account, region);
    const t = Date.parse(time);
    let pressure: Promise<void> | undefined;
    if (t >= stream.windowEnd) {
      if (stream.parts.length > 0) pressure = this.flush(stream);
      while (t >= stream.windowEnd) stream.windowEnd += this.windowLength(stream);
    }
    if (stream.parts.length === 0) stream.oldest = time;
    stream.newest = time;
    stream.parts.push(JSON.stringify(record));
    this.events++;
    return pressure;
  }

  /** Flushes every open window, writes the digests, and waits for all files. */
  async close(): Promise<WrittenTrail> {
    for (const stream of this.streams.values()) if (stream.parts.length > 0) await this.flush(stream);
    let digestFiles = 0;
    for (const stream of this.streams.values()) {
      for (const digest of digestDocuments({ ...this.options, account: stream.account, region: stream.region, delivered: stream.delivered })) {
        await this.write(digest.key, digest.text);
        digestFiles++;
      }
    }
    await this.sink.close();
    return { paths: this.paths, files: this.files, digestFiles, events: this.events };
  }

  /** Stops the worker without finishing, after a failure elsewhere. */
  async abort(): Promise<void> {
    await this.sink.abort();
  }

  private stream(account: string, region: string): Stream {
    const key = `${account}|${region}`;
    let stream = this.streams.get(key);
    if (!stream) {
      const rng = this.options.rng.fork(`delivery/${key}`);
      stream = { account, region, rng, windowEnd: this.options.start, parts: [], oldest: '', newest: '', delivered: [] };
      stream.windowEnd += this.windowLength(stream);
      this.streams.set(key, stream);
    }
    return stream;
  }

  /** CloudTrail delivers about every five minutes; quiet streams and jitter stretch that to fifteen. */
  private windowLength(stream: Stream): number {
    return stream.rng.between(5, 15) * MINUTE + stream.rng.between(0, 59) * 1000;
  }

  private flush(stream: Stream): Promise<void> | undefined {
    const { yyyy, mm, dd, stamp } = deliveryStamp(stream.windowEnd);
    const { account, region } = stream;
    // The suffix depends on the window alone, so a rerun with more or fewer events rewrites the same
    // files instead of creating new ones (see tree.ts).
    const key = `AWSLogs/${this.options.orgId}/${account}/CloudTrail/${region}/${yyyy}/${mm}/${dd}/${account}_CloudTrail_${region}_${stamp}_${alnum(stream.rng.fork(stamp), 16)}.json.gz`;
    const text = `{"Records":[${stream.parts.join(',')}]}`;
    // Digests list the files of their hour with a hash of the uncompressed content; hashing only
    // those keeps the cost off the other files.
    if (new Date(stream.windowEnd).getUTCHours() === 0) {
      stream.delivered.push({ key, delivered: stream.windowEnd, oldest: stream.oldest, newest: stream.newest, sha256: createHash('sha256').update(text).digest('hex') });
    }
    stream.parts = [];
    this.files++;
    return this.write(key, text);
  }

  private write(key: string, text: string): Promise<void> | undefined {
    const path = join(this.options.root, key);
    this.paths.push(path);
    return this.sink.write(dirname(path), path, text);
  }
}
