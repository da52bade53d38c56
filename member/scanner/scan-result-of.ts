/** Turns what scanning found into the result event's detail (see scan-result.ts). */
import { severityRank } from '../../central/core/rules/schema.js';
import type { ObjectScan } from './scan-object.js';
import { MAX_REPORTED_MATCHES, type ScanNote, type ScanResult } from './scan-result.js';

/** The object a result is about, as the Object Created event named it. */
export interface ScannedObject {
  readonly account: string;
  readonly region: string;
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
  readonly etag?: string;
  readonly size: number;
}

const MAX_NOTES = 50;

/** The result of a scan; `scan` is absent when the object was not read at all (`notes` say why). */
export function resultOf(object: ScannedObject, scan: ObjectScan | undefined, notes: readonly ScanNote[], context: { rulesVersion: string; now: Date }): ScanResult {
  const allNotes = [...notes, ...(scan?.notes ?? [])];
  const matches = scan?.matches ?? [];
  return {
    schemaVersion: 1,
    account: object.account,
    region: object.region,
    bucket: object.bucket,
    key: object.key,
    ...(object.versionId && { versionId: object.versionId }),
    ...(object.etag && { etag: object.etag }),
    size: object.size,
    scannedAt: context.now.toISOString(),
    status: statusOf(object.key, matches.length, allNotes, scan !== undefined),
    // The most severe first, so truncation keeps what matters.
    matches: [...matches].sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.offset - b.offset).slice(0, MAX_REPORTED_MATCHES),
    matchCount: matches.length,
    notes: capped(allNotes).map((n) => ({ ...n, path: n.path.slice(0, 1024), detail: n.detail.slice(0, 512) })),
    rulesVersion: context.rulesVersion,
  };
}

/** A bomb can yield a note per part: the first ones are kept, and the last note counts the rest. */
function capped(notes: readonly ScanNote[]): ScanNote[] {
  if (notes.length <= MAX_NOTES) return [...notes];
  const rest = notes.slice(MAX_NOTES - 1);
  return [...notes.slice(0, MAX_NOTES - 1), { path: rest[0]!.path, reason: rest[0]!.reason, detail: `and ${rest.length - 1} more parts not scanned or scanned in part` }];
}

function statusOf(key: string, matches: number, notes: readonly ScanNote[], read: boolean): ScanResult['status'] {
  if (matches > 0) return 'matched';
  // The object itself not scanned (too large, unreadable, media skipped on purpose) is not "clean".
  if (!read || notes.some((n) => n.path === key)) return 'not-scanned';
  return notes.length ? 'partial' : 'clean';
}
