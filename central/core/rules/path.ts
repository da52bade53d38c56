/**
 * Paths into an event: `actor.arn`, `raw.requestParameters.userName`. Arrays fan out, so
 * `raw.requestParameters.ipPermissions.items.ipRanges.items.cidrIp` yields every CIDR of every
 * permission; a numeric segment (`items.0`) picks one element.
 */

/** A value that counts as there: not null, undefined or the empty string. */
export function isPresent(v: unknown): boolean {
  return v !== null && v !== undefined && v !== '';
}

/** Resolves a compiled path to every value it reaches. */
export type PathReader = (root: unknown) => unknown[];

/** Compiles a dotted path once; the reader allocates only the result array. */
export function compilePath(path: string): PathReader {
  const segments = path.split('.');
  if (segments.some((s) => s === '')) throw new Error(`invalid path "${path}": empty segment`);
  return (root) => {
    const out: unknown[] = [];
    collect(root, segments, 0, out);
    return out;
  };
}

function collect(value: unknown, segments: readonly string[], i: number, out: unknown[]): void {
  let current = value;
  for (; i < segments.length; i++) {
    if (current === null || current === undefined) return;
    if (Array.isArray(current)) {
      const seg = segments[i]!;
      if (/^\d+$/.test(seg)) {
        current = current[Number(seg)];
        continue;
      }
      for (const item of current) collect(item, segments, i, out);
      return;
    }
    if (typeof current !== 'object') return;
    current = (current as Record<string, unknown>)[segments[i]!];
  }
  if (current === undefined) return;
  if (Array.isArray(current)) {
    for (const item of current) if (item !== undefined) out.push(item);
  } else {
    out.push(current);
  }
}
