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
