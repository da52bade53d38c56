/**
 * Scans local files and folders with the same Scanner the member Lambda runs: what a team uses to
 * try its rules, or to check a folder before it is uploaded. Files over the size limit get a
 * "not scanned: too large" note, never a silent skip; an unreadable file is reported and the rest
 * are scanned.
 */
import { readFile } from 'node:fs/promises';
import { listInputs, type InputFile, type ListingSkip } from '../../central/local/files.js';
import type { ScanMatch } from '../scanner/scan-match.js';
import { scanName, scanObject, type Scanner } from '../scanner/scan-object.js';
import { maskedText } from '../scanner/secrets/names.js';
import type { ScanNote } from '../scanner/scan-result.js';

/** One scanned file's outcome. */
export interface FileScan {
  /** The file's path as shown: any secret in it masked. */
  readonly path: string;
  readonly matches: readonly ScanMatch[];
  readonly notes: readonly ScanNote[];
}

/** How far scanning has got. */
export interface ScanProgress {
  readonly filesDone: number;
  readonly filesTotal: number;
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly matches: number;
}

/**
 * Every regular file under `paths`, hidden ones included (`.env` files matter here), sorted, with sizes;
 * `skipped` holds what was left out on purpose (links inside folders), for a notice.
 */
export async function listFiles(paths: readonly string[]): Promise<{ files: InputFile[]; problems: ScanNote[]; skipped: ListingSkip[] }> {
  const { files, problems, skipped } = await listInputs(paths, { hidden: true });
  return { files, problems: problems.map((p) => ({ path: p.input, reason: 'unreadable', detail: p.reason })), skipped };
}

/** Scans files one after the other; `onFile` sees each outcome as it comes. */
export async function scanFiles(
  files: readonly InputFile[],
  scanner: Scanner,
  options: { maxObjectBytes: number; onFile?: (scan: FileScan, progress: ScanProgress) => void },
): Promise<FileScan[]> {
  const bytesTotal = files.reduce((n, f) => n + f.size, 0);
  const out: FileScan[] = [];
  let bytesDone = 0, matches = 0;
  for (const [index, file] of files.entries()) {
    const scan = await scanFile(file, scanner, options.maxObjectBytes);
    out.push(scan);
    bytesDone += file.size;
    matches += scan.matches.length;
    options.onFile?.(scan, { filesDone: index + 1, filesTotal: files.length, bytesDone, bytesTotal, matches });
  }
  return out;
}

async function scanFile(file: InputFile, scanner: Scanner, maxObjectBytes: number): Promise<FileScan> {
  // A file that is not read is still named as shown: a secret in its path stays masked.
  const unread = (reason: ScanNote['reason'], detail: string): FileScan => {
    const name = scanName(file.path, scanner);
    return { path: name.shownName, matches: name.matches, notes: [{ path: name.shownName, reason, detail: maskedText(detail, scanner.secrets) }] };
  };
  if (file.size > maxObjectBytes) return unread('too-large', `not scanned: too large (${file.size} bytes, limit ${maxObjectBytes})`);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file.path);
  } catch (err) {
    return unread('unreadable', (err as Error).message);
  }
  try {
    const scan = await scanObject(file.path, bytes, scanner);
    return { path: scan.shownName, matches: scan.matches, notes: scan.notes };
  } catch (err) {
    // The YARA helper killed mid-scan (out of memory) fails this file, not the run.
    return unread('unreadable', `not scanned: ${(err as Error).message}`);
  }
}
