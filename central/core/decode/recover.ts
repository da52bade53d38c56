/**
 * Recovers what can be read from text that is not one JSON document: several complete documents in
 * a row (a multi-member gzip), and then the complete records of a truncated last one.
 */
import { readDocuments } from './documents.js';
import { salvageRecords } from './salvage.js';

/** What could be read, and where the damage starts if there is any. */
export interface Recovered {
  /** The complete documents, in order. */
  readonly documents: unknown[];
  /** The complete records of the damaged document's `Records` array. */
  readonly salvaged: unknown[];
  readonly damage?: {
    /** Offset of the damaged document. */
    readonly at: number;
    /** Offset after which nothing was kept. */
    readonly lostAfter: number;
    /** Why the damaged document does not parse. */
    readonly message: string;
    /** True when the damaged document has a `Records` array to salvage from. */
    readonly hasRecords: boolean;
  };
}

/** Reads complete documents, then salvages the damaged one; `parseError` is the whole text's parse error. */
export function recoverDocuments(text: string, parseError: Error): Recovered {
  const sequence = readDocuments(text);
  const documents = sequence.documents.map((d) => d.value);
  if (sequence.damagedAt === undefined) return { documents, salvaged: [] };
  const at = sequence.damagedAt;
  const rest = at === 0 ? text : text.slice(at);
  const salvage = salvageRecords(rest);
  return {
    documents,
    salvaged: salvage?.records ?? [],
    damage: { at, lostAfter: at + (salvage?.stoppedAt ?? 0), message: at === 0 ? parseError.message : parseErrorOf(rest), hasRecords: salvage !== undefined },
  };
}

function parseErrorOf(text: string): string {
  try {
    JSON.parse(text);
    return 'a document that is neither an object nor an array';
  } catch (err) {
    return (err as Error).message;
  }
}
