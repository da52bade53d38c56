/** Turns what scanning found into the result event's detail (see scan-result.ts), always valid and always small enough to send. */
import { severityRank } from '../../central/core/rules/schema.js';
import { shortenEnd, shortenMiddle } from './clip-text.js';
import { entrySize, MAX_ENTRY_BYTES, resultEntry } from './result-entry.js';
import type { ObjectScan } from './scan-object.js';
import type { ScanMatch } from './scan-match.js';
import { FINDING_TYPE_PATTERN, MAX_PATH_LENGTH, MAX_REPORTED_MATCHES, type ScanNote, type ScanResult } from './scan-result.js';
import { DEFAULT_YARA_FINDING_TYPE } from './yara/yara-ruleset.js';

/** The object a result is about, as the Object Created event named it (`key` as it may be shown: see shownName). */
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

/**
 * The result of a scan; `scan` is absent when the object was not read at all (`notes` say why).
 * `keyMasked` says `object.key` is already the masked form of the real key.
 */
export function resultOf(object: ScannedObject, scan: Omit<ObjectScan, 'shownName'> | undefined, notes: readonly ScanNote[], context: { rulesVersion: string; now: Date; keyMasked?: boolean }): ScanResult {
  const allNotes = [...notes, ...(scan?.notes ?? [])];
  const matches = scan?.matches ?? [];
  // The most severe first, so what has to be left out is what matters least.
  const ranked = [...matches].sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.offset - b.offset).slice(0, MAX_REPORTED_MATCHES).map(fitted);
  const base: ScanResult = {
    schemaVersion: 1,
    account: object.account,
    region: object.region,
    bucket: object.bucket,
    key: shortenMiddle(object.key, MAX_PATH_LENGTH),
    ...(context.keyMasked && { keyMasked: true as const }),
    ...(object.versionId && { versionId: object.versionId }),
    ...(object.etag && { etag: object.etag }),
    size: object.size,
    scannedAt: context.now.toISOString(),
    status: statusOf(object.key, matches.length, allNotes, scan !== undefined),
    matches: [],
    matchCount: matches.length,
    notes: [],
    rulesVersion: context.rulesVersion,
  };
  return withMatchesThatFit(withNotesThatFit(base, allNotes.map(fittedNote)), ranked);
}

/** A match within the schema's limits: long strings shortened, a malformed finding type replaced. */
function fitted(m: ScanMatch): ScanMatch {
  const entry = m.entry !== undefined && m.entry.length > MAX_PATH_LENGTH ? { entry: shortenMiddle(m.entry, MAX_PATH_LENGTH), entryTruncated: true as const } : {};
  return {
    ...m,
    ...entry,
    rule: shortenEnd(m.rule, 256),
    title: shortenEnd(m.title, 512),
    ...(m.attribution !== undefined && { attribution: shortenEnd(m.attribution, 512) }),
    findingType: FINDING_TYPE_PATTERN.test(m.findingType) ? m.findingType : DEFAULT_YARA_FINDING_TYPE,
  };
}

function fittedNote(n: ScanNote): ScanNote {
  const path = n.path.length > MAX_PATH_LENGTH ? { path: shortenMiddle(n.path, MAX_PATH_LENGTH), pathTruncated: true as const } : {};
  return { ...n, ...path, detail: shortenEnd(n.detail, 512) };
}

/**
 * A bomb can yield a note per part, and fifty notes of long escaped paths could fill the event alone.
 * Matches matter more: notes may take half the entry. The first notes are kept (at most MAX_NOTES,
 * fewer when they pass that half), and the last one kept counts the rest.
 */
function withNotesThatFit(result: ScanResult, notes: readonly ScanNote[]): ScanResult {
  const folded = (keep: number): ScanNote[] => {
    if (keep >= notes.length) return [...notes];
    const last = notes[keep - 1]!;
    return [...notes.slice(0, keep - 1), { path: last.path, ...(last.pathTruncated && { pathTruncated: true }), reason: last.reason, detail: `and ${notes.length - keep} more parts not scanned or scanned in part` }];
  };
  // Room for the largest `matchesDropped`: the field is added last and must not overflow.
  const room = (keep: number) => entrySize(resultEntry({ ...result, notes: folded(keep), matchesDropped: result.matchCount })) < MAX_ENTRY_BYTES / 2;
  let keep = Math.min(notes.length, MAX_NOTES);
  while (keep > 1 && !room(keep)) keep--;
  return { ...result, notes: folded(keep) };
}

/** Adds the ranked matches while the entry stays under EventBridge's limit, and counts the rest. */
function withMatchesThatFit(base: ScanResult, ranked: readonly ScanMatch[]): ScanResult {
  // Counted with the largest `matchesDropped` it could carry, so adding the real one cannot overflow.
  let room = MAX_ENTRY_BYTES - 1 - entrySize(resultEntry({ ...base, matchesDropped: base.matchCount }));
  const kept: ScanMatch[] = [];
  for (const match of ranked) {
    const bytes = Buffer.byteLength(JSON.stringify(match), 'utf8') + (kept.length > 0 ? 1 : 0);
    if (bytes > room) break;
    room -= bytes;
    kept.push(match);
  }
  const dropped = base.matchCount - kept.length;
  return { ...base, matches: kept, ...(dropped > 0 && { matchesDropped: dropped }) };
}

function statusOf(key: string, matches: number, notes: readonly ScanNote[], read: boolean): ScanResult['status'] {
  if (matches > 0) return 'matched';
  // The object itself not scanned (too large, unreadable, media skipped on purpose) is not "clean".
  // A timeout is not that: the secret detectors still read it.
  if (!read || notes.some((n) => n.path === key && n.reason !== 'timeout')) return 'not-scanned';
  return notes.length ? 'partial' : 'clean';
}
