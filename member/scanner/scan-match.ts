/**
 * What the scanner reports about one match. A match never carries the matched value: only where it
 * is, a masked preview and a short hash, so findings, events, logs and notifications stay clean.
 */

/** The engine that found a match. */
export type MatchKind = 'yara' | 'secret';

import type { SeverityLabel } from '../../central/core/rules/schema.js';

/** Severity labels, as ASFF spells them. */
export type MatchSeverity = SeverityLabel;

/** One redacted match. */
export interface ScanMatch {
  readonly kind: MatchKind;
  /** The YARA rule name, or the secret detector's id. */
  readonly rule: string;
  /** A readable name for the match (the rule's description, or the detector's title). */
  readonly title: string;
  /** Byte offset in the content that matched (inside the archive entry, when `entry` is set). */
  readonly offset: number;
  /** 1-based line of `offset`, for text content. */
  readonly line?: number;
  /** Masked preview of the matched value, e.g. `AKIA****WXYZ`. */
  readonly preview: string;
  /** Short hash of the matched value: equal secrets in two objects have equal hashes. */
  readonly hash: string;
  /** The entry inside an archive, as `outer.zip!inner/file.txt` (secrets in names masked); absent for the object itself. */
  readonly entry?: string;
  /** Set when `entry` was shortened in the middle to fit the result (see scan-result-of.ts). */
  readonly entryTruncated?: true;
  /** Set when the secret is in the entry's name, or the object's when there is no entry, not in its content. */
  readonly inName?: true;
  readonly severity: MatchSeverity;
  /** The ASFF finding type (`Sensitive Data Identifications/...` or `TTPs/...`). */
  readonly findingType: string;
  /** Rule metadata worth showing (author, reference): signature-base's licence asks us to keep it. */
  readonly attribution?: string;
}
