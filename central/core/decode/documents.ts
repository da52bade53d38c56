/**
 * Reads text holding several JSON documents one after the other: what a multi-member gzip of trail
 * files, or `cat` of several of them, decompresses to. `JSON.parse` refuses such text as a whole.
 */
import { endOfObject } from './salvage.js';

/** The complete documents at the start of the text, and where the text stopped being such documents. */
export interface DocumentSequence {
  /** Each complete document, parsed, with the offset it starts at. */
  readonly documents: ReadonlyArray<{ readonly value: unknown; readonly start: number }>;
  /** Offset of the first document that is truncated or invalid, if one is. */
  readonly damagedAt?: number;
}

/** Splits the text into top-level objects and arrays, separated by nothing but whitespace. */
export function readDocuments(text: string): DocumentSequence {
  const documents: Array<{ value: unknown; start: number }> = [];
  let i = 0;
  for (;;) {
    while (i < text.length && isBlank(text.charCodeAt(i))) i++;
    if (i >= text.length) return { documents };
    const c = text.charCodeAt(i);
    const end = c === 0x7b || c === 0x5b ? endOfObject(text, i) : -1;
    if (end < 0) return { documents, damagedAt: i };
    try {
      documents.push({ value: JSON.parse(text.slice(i, end)), start: i });
    } catch {
      return { documents, damagedAt: i };
    }
    i = end;
  }
}

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}
