/** Lists input files below paths, recursively and in a stable order. */
import { readdir, stat } from 'node:fs/promises';
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

/**
 * Every regular file below the given paths (a file path lists itself). Hidden entries below a folder
 * are skipped unless `hidden` is set: a scanner must see `.env` files, a log replay has no use for them.
 */
export async function listInputs(paths: readonly string[], { hidden = false } = {}): Promise<{ files: InputFile[]; problems: ListingProblem[] }> {
  const files: InputFile[] = [];
  const problems: ListingProblem[] = [];
  const visit = async (path: string, explicit: boolean): Promise<void> => {
    let info;
    try {
      info = await stat(path);
    } catch (err) {
      problems.push({ input: path, reason: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (err as Error).message });
      return;
    }
    if (info.isFile()) {
      files.push({ path, size: info.size });
    } else if (info.isDirectory()) {
      const entries = (await readdir(path)).sort();
      for (const entry of entries) if (hidden || !entry.startsWith('.')) await visit(join(path, entry), false);
    } else if (explicit) {
      problems.push({ input: path, reason: 'not a regular file or folder' });
    }
  };
  for (const p of paths) await visit(p, true);
  return { files, problems };
}
