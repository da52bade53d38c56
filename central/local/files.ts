/**
 * Lists input files below paths, recursively and in a stable order. A path named by the caller is
 * followed even when it is a symbolic link; links met while walking a folder are not, so a walk
 * stays inside the folders it was given and cannot loop. Whatever is left out is reported.
 */
import type { Stats } from 'node:fs';
import { lstat, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** A file to read, with its size for progress reporting. */
export interface InputFile {
  readonly path: string;
  readonly size: number;
}

/** A path that could not be listed. */
export interface ListingProblem {
  readonly input: string;
  readonly reason: string;
}

/** A path deliberately left out of the listing (nothing was lost by a fault), and why. */
export interface ListingSkip {
  readonly input: string;
  readonly reason: string;
}

/** What a listing found. */
export interface Listing {
  readonly files: InputFile[];
  readonly problems: ListingProblem[];
  readonly skipped: ListingSkip[];
}

/** Why an entry was left out; callers may show these to users. */
export const SKIP_REASONS = {
  linkInFolder: 'symbolic link inside a folder, not followed',
  specialFile: 'not a regular file or folder (a pipe, socket or device)',
  folderTwice: 'folder already listed',
} as const;

/**
 * Every regular file below the given paths (a file path lists itself). Hidden entries below a folder
 * are skipped unless `hidden` is set: a scanner must see `.env` files, a log replay has no use for them.
 */
export async function listInputs(paths: readonly string[], { hidden = false } = {}): Promise<Listing> {
  const listing: Listing = { files: [], problems: [], skipped: [] };
  // Folders by device and inode: the same folder named twice (or through a link) is walked once.
  const walked = new Set<string>();
  const visit = async (path: string, named: boolean): Promise<void> => {
    let info: Stats;
    try {
      info = named ? await stat(path) : await lstat(path);
    } catch (err) {
      listing.problems.push({ input: path, reason: describeFsError(err) });
      return;
    }
    if (info.isSymbolicLink()) {
      listing.skipped.push({ input: path, reason: SKIP_REASONS.linkInFolder });
    } else if (info.isFile()) {
      listing.files.push({ path, size: info.size });
    } else if (info.isDirectory()) {
      const identity = `${info.dev}:${info.ino}`;
      if (walked.has(identity)) {
        listing.skipped.push({ input: path, reason: SKIP_REASONS.folderTwice });
        return;
      }
      walked.add(identity);
      let entries: string[];
      try {
        entries = (await readdir(path)).sort();
      } catch (err) {
        listing.problems.push({ input: path, reason: `cannot list folder (${describeFsError(err)})` });
        return;
      }
      for (const entry of entries) if (hidden || !entry.startsWith('.')) await visit(join(path, entry), false);
    } else if (named) {
      listing.problems.push({ input: path, reason: 'not a regular file or folder' });
    } else {
      listing.skipped.push({ input: path, reason: SKIP_REASONS.specialFile });
    }
  };
  for (const p of paths) await visit(p, true);
  return listing;
}

/** A short reason for the file system errors a listing meets, the raw message for the rest. */
function describeFsError(err: unknown): string {
  switch ((err as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'symbolic link loop';
    default:
      return (err as Error).message;
  }
}
