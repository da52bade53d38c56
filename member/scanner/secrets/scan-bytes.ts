/**
 * Secret detectors over bytes of any size. The detectors read a string (the bytes as latin1), and V8
 * cannot make a string of more than 2^29 - 24 characters (about 512 MiB): a larger part threw and
 * stopped the whole scan. Large parts are read in windows instead, each with a margin on both sides,
 * so a secret or a key pair across a window's edge is still seen whole; a window reports only the
 * matches that start in it, so nothing is reported twice.
 */
import type { ScanMatch } from '../scan-match.js';
import type { SecretDetector } from './detector-file.js';
import { findSecrets } from './find-secrets.js';

/** How large parts are read. */
export interface SecretWindows {
  /** Bytes a window reports on; parts up to this size are read in one piece. */
  readonly bytes: number;
  /**
   * Bytes read on each side beyond the window: at least the longest secret plus the farthest pair
   * (`requires.within`, at most 64 KiB), so a match across an edge is complete in the window it starts in.
   */
  readonly margin: number;
}

const MiB = 1024 * 1024;

/** 64 MiB windows with 1 MiB margins: far below V8's limit, and larger than any detector's reach. */
export const DEFAULT_SECRET_WINDOWS: SecretWindows = Object.freeze({ bytes: 64 * MiB, margin: 1 * MiB });

/** The secrets in `bytes`, sorted by offset; offsets and lines are those of the whole part. */
export function findSecretsInBytes(bytes: Uint8Array, detectors: readonly SecretDetector[], windows: SecretWindows = DEFAULT_SECRET_WINDOWS): ScanMatch[] {
  if (bytes.byteLength <= windows.bytes) return findSecrets(latin1(bytes), detectors);
  const out: ScanMatch[] = [];
  // Lines before the current read's start, counted once as the reads move forward.
  let linesBefore = 0;
  let counted = 0;
  for (let start = 0; start < bytes.byteLength; start += windows.bytes) {
    const from = Math.max(0, start - windows.margin);
    const to = Math.min(bytes.byteLength, start + windows.bytes + windows.margin);
    for (let nl = bytes.indexOf(10, counted); nl !== -1 && nl < from; nl = bytes.indexOf(10, nl + 1)) linesBefore++;
    counted = from;
    for (const match of findSecrets(latin1(bytes.subarray(from, to)), detectors)) {
      const offset = from + match.offset;
      if (offset < start || offset >= start + windows.bytes) continue;
      out.push({ ...match, offset, ...(match.line !== undefined && { line: match.line + linesBefore }) });
    }
  }
  return out;
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}
