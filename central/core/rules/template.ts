/** `{{path}}` templates for titles, descriptions, dedup keys and resource ids. */
import { compilePath, isPresent, type PathReader } from './path.js';

/** A compiled template. */
export interface Template {
  readonly source: string;
  /**
   * Renders with each placeholder's first value; `{{a|b}}` falls back to `b` when `a` has none,
   * and a missing value renders as `missing`.
   */
  render(event: unknown, missing?: string): string;
  /** The paths the template reads. */
  readonly paths: readonly string[];
}

const PLACEHOLDER = /\{\{\s*([^{}\s]+)\s*\}\}/g;

/** Compiles a template; a literal string compiles to a constant. */
export function compileTemplate(source: string): Template {
  const literals: string[] = [];
  const readers: PathReader[][] = [];
  const paths: string[] = [];
  let last = 0;
  for (const m of source.matchAll(PLACEHOLDER)) {
    literals.push(source.slice(last, m.index));
    const alternatives = m[1]!.split('|');
    paths.push(...alternatives);
    readers.push(alternatives.map(compilePath));
    last = m.index! + m[0].length;
  }
  literals.push(source.slice(last));
  return {
    source,
    paths,
    render(event, missing = 'unknown') {
      let out = literals[0]!;
      for (let i = 0; i < readers.length; i++) {
        let v: unknown;
        for (const read of readers[i]!) {
          v = read(event).find(isPresent);
          if (v !== undefined) break;
        }
        out += (v === undefined ? missing : typeof v === 'object' ? JSON.stringify(v) : String(v)) + literals[i + 1]!;
      }
      return out;
    },
  };
}
