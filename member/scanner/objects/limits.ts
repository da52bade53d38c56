/**
 * Limits on expanding one object (gzip streams and zip archives, nested). They bound what a hostile
 * object can cost us: zip and gzip bombs, archives of a million entries, archives nested without end.
 */

const MiB = 1024 * 1024;

/** How far the expansion of one object may go. */
export interface ExpandLimits {
  /** Bytes expanded from one object in all (zip entries and gzip output, at every depth; the object itself not counted). */
  readonly maxTotalBytes: number;
  /** Expanded bytes per compressed byte: per gzip stream, per zip entry and per zip archive (all its entries together). */
  readonly maxRatio: number;
  /** How deep archives nest: the object is depth 0, its entries depth 1. An archive at this depth is scanned as it is, not opened. */
  readonly maxDepth: number;
  /** Entries (zip records, directories included, and gzip streams) per object, all archives together. */
  readonly maxEntries: number;
  /** Bytes of one expanded part (a zip entry or a gzip stream's output). */
  readonly maxEntryBytes: number;
  /**
   * Parts up to this many bytes are not held to `maxRatio`: a small text of repeated lines compresses
   * past 100x and is no bomb. Default 1 MiB; the total-bytes limit still bounds many such parts.
   */
  readonly ratioGraceBytes?: number;
}

/** The object size limit of the scanner (MAX_OBJECT_BYTES), which is also the default for one expanded part. */
export const DEFAULT_MAX_OBJECT_BYTES = 100 * MiB;

/** The limits used unless configured otherwise. */
export const DEFAULT_EXPAND_LIMITS: ExpandLimits = Object.freeze({
  maxTotalBytes: 256 * MiB,
  maxRatio: 100,
  maxDepth: 3,
  maxEntries: 10_000,
  maxEntryBytes: DEFAULT_MAX_OBJECT_BYTES,
  ratioGraceBytes: 1 * MiB,
});

/** The environment variables `limitsFromEnv` reads, by limit. */
export const EXPAND_LIMIT_VARIABLES = Object.freeze({
  maxTotalBytes: 'EXPAND_MAX_TOTAL_BYTES',
  maxRatio: 'EXPAND_MAX_RATIO',
  maxDepth: 'EXPAND_MAX_DEPTH',
  maxEntries: 'EXPAND_MAX_ENTRIES',
  maxEntryBytes: 'EXPAND_MAX_ENTRY_BYTES',
  ratioGraceBytes: 'EXPAND_RATIO_GRACE_BYTES',
} satisfies Record<keyof ExpandLimits, string>);

/**
 * Limits from environment-like strings (`process.env`), defaults for what is absent; one part may be
 * as large as an object we would scan (`maxObjectBytes`) unless EXPAND_MAX_ENTRY_BYTES says otherwise.
 * Throws, naming the variable, on a value that is not a whole number in range: a typo must fail at
 * cold start, not loosen a limit.
 */
export function limitsFromEnv(env: Readonly<Record<string, string | undefined>>, maxObjectBytes: number = DEFAULT_MAX_OBJECT_BYTES): ExpandLimits {
  const read = (key: keyof ExpandLimits, fallback: number, min: number): number => {
    const name = EXPAND_LIMIT_VARIABLES[key];
    const text = env[name];
    if (text === undefined || text.trim() === '') return fallback;
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value < min) throw new Error(`${name} must be a whole number of at least ${min}, not "${text}"`);
    return value;
  };
  const d = DEFAULT_EXPAND_LIMITS;
  return {
    maxTotalBytes: read('maxTotalBytes', d.maxTotalBytes, 1),
    maxRatio: read('maxRatio', d.maxRatio, 1),
    maxDepth: read('maxDepth', d.maxDepth, 0),
    maxEntries: read('maxEntries', d.maxEntries, 1),
    maxEntryBytes: read('maxEntryBytes', maxObjectBytes, 1),
    ratioGraceBytes: read('ratioGraceBytes', d.ratioGraceBytes ?? MiB, 0),
  };
}
