/**
 * Recovers the complete records of a truncated `{"Records":[...]}` document: an interrupted
 * upload or a damaged gzip must not cost the records that did arrive.
 */

/** The complete elements of the `Records` array, and the offset where reading stopped. */
export interface Salvage {
  readonly records: unknown[];
  readonly stoppedAt: number;
}

/** Scans for the `Records` array and parses each complete element; undefined when there is none. */
export function salvageRecords(text: string): Salvage | undefined {
  const key = text.indexOf('"Records"');
  if (key < 0) return undefined;
  const open = text.indexOf('[', key);
  if (open < 0) return undefined;
  const records: unknown[] = [];
  let i = open + 1;
  for (;;) {
    while (i < text.length && (text[i] === ',' || text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
    if (i >= text.length || text[i] !== '{') return { records, stoppedAt: i };
    const end = endOfObject(text, i);
    if (end < 0) return { records, stoppedAt: i };
    try {
      records.push(JSON.parse(text.slice(i, end)));
    } catch {
      return { records, stoppedAt: i };
    }
    i = end;
  }
}

/** Offset just past the object (or array) starting at `start`, or -1 if the text ends first. */
export function endOfObject(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}
