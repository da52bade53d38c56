/**
 * The "Skywatch Object Scan Result" event: what a member's scanner puts on the central bus for every
 * object it was asked to scan, and what the central detector reads. One schema for both sides, so a
 * change to one is a change to the other. Every object gets a result, including the ones not
 * scanned (too large, unreadable): nothing is skipped silently.
 */
import { z } from 'zod';
import { SEVERITY_LABELS } from '../../central/core/rules/schema.js';

/** `source` and `detail-type` of the event on the central bus. */
export const SCAN_RESULT_SOURCE = 'skywatch.scanner';
export const SCAN_RESULT_DETAIL_TYPE = 'Skywatch Object Scan Result';

/** A result carries at most this many matches (fewer when they would not fit in one event), and says how many there were. */
export const MAX_REPORTED_MATCHES = 100;

/** The longest path (an object key, an archive entry) a result holds; longer ones are shortened in the middle. */
export const MAX_PATH_LENGTH = 1024;

/** What an ASFF finding type looks like; a rule's `finding_type` meta that does not is replaced by the default. */
export const FINDING_TYPE_PATTERN = /^[^/]+\/[^/]+(\/[^/]+)?$/;

/** Why (part of) an object was not scanned, or scanned only in part. */
export const NOTE_REASONS = ['too-large', 'ratio', 'total-bytes', 'depth', 'entries', 'entry-bytes', 'unreadable', 'media', 'timeout'] as const;

const Severity = z.enum(SEVERITY_LABELS);

/** One redacted match (see ScanMatch). */
export const ScanMatchSchema = z.strictObject({
  kind: z.enum(['yara', 'secret']),
  rule: z.string().min(1).max(256),
  title: z.string().max(512),
  offset: z.number().int().min(0),
  line: z.number().int().min(1).optional(),
  preview: z.string().max(64),
  hash: z.string().regex(/^[0-9a-f]{12}$/),
  entry: z.string().max(MAX_PATH_LENGTH).optional(),
  /** Set when `entry` was too long and was shortened in the middle (at `…`). */
  entryTruncated: z.literal(true).optional(),
  /** Set when the secret is in the entry's name (the object key when there is no entry), not its content: `offset` counts characters of the name. */
  inName: z.literal(true).optional(),
  severity: Severity,
  findingType: z.string().regex(FINDING_TYPE_PATTERN, 'must be namespace/category[/classifier]'),
  attribution: z.string().max(512).optional(),
});

/** Why (part of) an object was not scanned. */
export const ScanNoteSchema = z.strictObject({
  /** The object, or an entry inside it (`outer.zip!inner.txt`). */
  path: z.string().max(MAX_PATH_LENGTH),
  /** Set when `path` was too long and was shortened in the middle (at `…`). */
  pathTruncated: z.literal(true).optional(),
  /** `timeout`: the YARA rules did not finish in time; the detail names the rule set. */
  reason: z.enum(NOTE_REASONS),
  detail: z.string().max(512),
});

/** The event's `detail`. */
export const ScanResultSchema = z.strictObject({
  schemaVersion: z.literal(1),
  /** The bucket owner's account and the bucket's region. */
  account: z.string().regex(/^\d{12}$/),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/),
  bucket: z.string().min(3).max(63),
  /** The object key, with any secret in it masked (see keyMasked). */
  key: z.string().min(1).max(MAX_PATH_LENGTH),
  /** Set when the key held a secret, masked in `key` and everywhere else: the real key is not in the result. */
  keyMasked: z.literal(true).optional(),
  versionId: z.string().optional(),
  etag: z.string().optional(),
  size: z.number().int().min(0),
  /** When the scan finished (ISO 8601). */
  scannedAt: z.string().datetime(),
  /** `clean`: scanned, nothing found; `matched`: at least one match; `partial`: scanned in part (see notes); `not-scanned`: see notes. */
  status: z.enum(['clean', 'matched', 'partial', 'not-scanned']),
  matches: z.array(ScanMatchSchema).max(MAX_REPORTED_MATCHES),
  /** All matches found, reported or not. */
  matchCount: z.number().int().min(0),
  /** Matches left out of `matches`, the least severe first: past MAX_REPORTED_MATCHES, or to fit in one event. Absent when none were. */
  matchesDropped: z.number().int().min(1).optional(),
  notes: z.array(ScanNoteSchema).max(50),
  /** Which rules scanned it: a short hash of the rule files, so a finding can be traced to a rule set. */
  rulesVersion: z.string().max(64),
});

/** A scan result as it travels. */
export type ScanResult = z.infer<typeof ScanResultSchema>;
export type ScanNote = z.infer<typeof ScanNoteSchema>;
