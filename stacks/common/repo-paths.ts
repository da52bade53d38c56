/** Paths inside the repository, resolved from this file so synth works from any working directory. */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** An absolute path from a repository-relative one. */
export function repoPath(relative: string): string {
  return join(REPO_ROOT, relative);
}
