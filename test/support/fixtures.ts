/** Paths to the shared public fixtures, which sit beside the repository (`../shared/fixtures`). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The shared fixtures folder. */
export const FIXTURES = fileURLToPath(new URL('../../../shared/fixtures/', import.meta.url));

/** Reads a JSON-lines fixture into objects. */
export function readJsonLines<T = Record<string, unknown>>(relativePath: string): T[] {
  return readFileSync(FIXTURES + relativePath, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}
