/** Paths to the public fixtures in `test/fixtures/` (see its README for sources and licences). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The public fixtures folder, with a trailing separator. */
export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** Reads a JSON-lines fixture into objects. */
export function readJsonLines<T = Record<string, unknown>>(relativePath: string): T[] {
  return readFileSync(FIXTURES + relativePath, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}
