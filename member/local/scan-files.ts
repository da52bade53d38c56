/**
 * Scans local files and folders with the same Scanner the member Lambda runs: what a team uses to
 * try its rules, or to check a folder before it is uploaded. Files over the size limit get a
 * "not scanned: too large" note, never a silent skip; an unreadable file is reported and the rest
 * are scanned.
 */
import { readFile } from 'node:fs/promises';
import { listInputs, type InputFile, type ListingSkip } from '../../central/local/files.js';
import type { ScanMatch } from '../scanner/scan-match.js';
import { scanObject, type Scanner } from '../scanner/scan-object.js';
import type { ScanNote } from '../scanner/scan-result.js';

/** One scanned file's outcome. */
export interface FileScan {
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
  if (file.size > maxObjectBytes) {
    return { path: file.path, matches: [], notes: [{ path: file.path, reason: 'too-large', detail: `not scanned: too large (${file.size} bytes, limit ${maxObjectBytes})` }] };
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file.path);
  } catch (err) {
    return { path: file.path, matches: [], notes: [{ path: file.path, reason: 'unreadable', detail: (err as Error).message }] };
  }
  const scan = await scanObject(file.path, bytes, scanner);
  return { path: file.path, matches: scan.matches, notes: scan.notes };
}
