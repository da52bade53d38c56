/**
 * The ports the detection core talks through. AWS adapters (DynamoDB, Security Hub) and embedded
 * adapters (a local database file, JSON lines) implement them; the core never imports either.
 */
import type { AsffFinding } from './findings/asff.js';

/** A value with the version it was stored at, for optimistic concurrency. */
export interface Versioned<T> {
  readonly value: T;
  readonly version: number;
}

/** Durable state: versioned values and sets of members (evidence ids, first-seen sets). */
export interface StateStore {
  /** The stored value and its version, or undefined. */
  get<T>(key: string): Promise<Versioned<T> | undefined>;
  /**
   * Stores a value if the stored version is still `expectedVersion` (undefined: only if absent).
   * A stored value's version is 1 when created and goes up by one with each put, so a writer knows
   * the version it wrote. Returns false, storing nothing, when another writer got there first.
   */
  put<T>(key: string, value: T, expectedVersion: number | undefined): Promise<boolean>;
  /** The members not yet in the set (order kept). */
  unseen(setKey: string, members: readonly string[]): Promise<string[]>;
  /** Adds members to the set. */
  remember(setKey: string, members: readonly string[]): Promise<void>;
}

/** Where findings go: Security Hub in AWS, the local database and JSON lines on a laptop. */
export interface FindingSink {
  put(findings: readonly AsffFinding[]): Promise<void>;
}

/** Where an object lives (S3 in AWS). */
export interface ObjectLocation {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
}

/** Reads whole objects: org-trail files are small, and anything larger than `maxBytes` is refused. */
export interface ObjectStore {
  /** The object's bytes; throws ObjectTooLargeError beyond `maxBytes` without reading the rest. */
  read(location: ObjectLocation, maxBytes: number): Promise<Uint8Array>;
}

/** An object bigger than the reader accepts: reported with its location, never silently skipped. */
export class ObjectTooLargeError extends Error {
  override readonly name = 'ObjectTooLargeError';
  constructor(readonly location: ObjectLocation, readonly bytes: number, readonly maxBytes: number) {
    super(`s3://${location.bucket}/${location.key} is ${bytes} bytes, more than the ${maxBytes} bytes accepted`);
  }
}

/** The time, injectable so tests and replays are deterministic. */
export interface Clock {
  now(): Date;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => new Date() };

/** One statement in the shared ANSI/Trino subset, its values bound to positional `?` placeholders, never spliced. */
export interface SqlQuery {
  readonly sql: string;
  /** One value per `?`, in order. */
  readonly parameters: readonly (string | number)[];
}

/** Where a running query is, as reported to `onProgress`. */
export interface QueryProgress {
  readonly state: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  readonly bytesScanned?: number;
  readonly elapsedMs: number;
}

/** How long a query may take and how a caller stops or watches it. */
export interface QueryRunOptions {
  /** Give up (and stop the query) after this long: QueryTimeoutError. */
  readonly timeoutMs?: number;
  /** Aborting stops the query: QueryCancelledError. */
  readonly signal?: AbortSignal;
  /** Called as the query changes state. */
  readonly onProgress?: (progress: QueryProgress) => void;
}

/** A result column: its name and its type in lowercase SQL (`varchar`, `bigint`, `integer`, `double`, `boolean`, ...). */
export interface QueryColumn {
  readonly name: string;
  readonly type: string;
}

/** A value as both engines return it: integers beyond 2^53 and nested values come back as text. */
export type QueryValue = string | number | boolean | null;

/** All the rows of a finished query. */
export interface QueryResult {
  readonly columns: readonly QueryColumn[];
  readonly rows: readonly Record<string, QueryValue>[];
  /** What the engine read (Athena's DataScannedInBytes); absent where the engine does not say. */
  readonly bytesScanned?: number;
  /** What the scan cost, where the engine bills for it. */
  readonly costUsd?: number;
  readonly engine: 'athena' | 'duckdb';
  readonly elapsedMs: number;
}

/** Runs SQL over the log tables `cloudtrail`, `vpc_flow_logs` and `waf_logs`: Athena in AWS, DuckDB on a laptop. */
export interface QueryEngine {
  run(query: SqlQuery, options?: QueryRunOptions): Promise<QueryResult>;
}
