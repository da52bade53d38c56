/**
 * Expands one object into the parts the engines scan: gzip streams are decompressed, zip archives
 * unpacked, recursively (a zip in a gzip in a zip), within ExpandLimits.
 *
 * - Every part is yielded as `content` before it is expanded, containers included: YARA rules target
 *   zip files too, and bytes appended after a gzip stream are only seen in the container.
 * - Paths: the object is `name`; a zip entry is `archive!dir/file.txt`; a gzip stream's output is
 *   `stream!` plus the last segment of the stream's own name without `.gz`/`.gzip` (`.tgz` becomes
 *   `.tar`): `logs/app.json.gz!app.json`, `outer.zip!a.tar.gz!a.tar`. The gzip header's FNAME is
 *   ignored: a caller can predict the path from the name alone. A `!` in an entry name is not escaped.
 *   Control characters in entry names become `?`, so a path is safe in a log line.
 * - A limit is checked before inflating wherever a size is declared (zip entries), and every inflate
 *   is bounded with `maxOutputLength`, so no stream is ever inflated past a limit. A part that would
 *   cross one is not scanned at all, not even its first bytes: the caller must report `limit` parts,
 *   since padding a file is an easy way to force one. Crossing `ratio`, `entry-bytes` stops that part
 *   and its siblings go on; the archive-wide ratio (entries that share compressed data, as in David
 *   Fifield's overlapping-entries bomb) stops that archive; `total-bytes` and `entries` are budgets
 *   of the whole object, so crossing one stops everything; at `depth` the archive is scanned as bytes
 *   and not opened.
 * - Broken data (truncated, corrupt, wrong CRC, encrypted, unsupported method) gives `unreadable`. We
 *   prefer scanning what we have: what could be recovered (the part of a truncated stream before the
 *   cut, an entry whose CRC does not match) is yielded as `content` first, then `unreadable` on the
 *   same path says it is incomplete or suspect.
 * - Memory: the object, one buffer per open archive level and the current part, each bounded by the
 *   limits; yauzl reads from the buffer without copying.
 */
import zlib from 'node:zlib';
import yauzl from 'yauzl';
import { DEFAULT_EXPAND_LIMITS, type ExpandLimits } from './limits.js';
import { contentKind, mediaType } from './magic.js';

/** The limits a part can cross. */
export type LimitName = 'ratio' | 'total-bytes' | 'depth' | 'entries' | 'entry-bytes';

/** One part of an expanded object: bytes to scan, or why something was not scanned. */
export type ExpandedPart =
  | { readonly type: 'content'; readonly path: string; readonly bytes: Uint8Array; readonly depth: number }
  | { readonly type: 'skipped'; readonly path: string; readonly reason: 'media'; readonly mediaType: string }
  | { readonly type: 'limit'; readonly path: string; readonly limit: LimitName; readonly message: string }
  | { readonly type: 'unreadable'; readonly path: string; readonly message: string };

/** How to expand. */
export interface ExpandOptions {
  readonly limits: ExpandLimits;
  /** Skip binary media (by magic bytes) instead of scanning it; see magic.ts for the polyglot risk this takes. */
  readonly skipMedia: boolean;
}

/** The parts of one object, in order: each container before what it holds. */
export function expandObject(name: string, bytes: Uint8Array, options: ExpandOptions): AsyncGenerator<ExpandedPart> {
  return new Expansion(options).visit(name, bytes, 0);
}

/** A bound on one part's output: the limit that sets it and what crossing it stops. */
interface Cap {
  readonly limit: 'ratio' | 'total-bytes' | 'entry-bytes';
  readonly bytes: number;
  readonly scope: 'part' | 'archive' | 'object';
  readonly why: string;
}

/** A zip being read, and how much its entries have expanded to so far. */
interface OpenArchive {
  readonly path: string;
  readonly depth: number;
  readonly zip: yauzl.ZipFile;
  readonly buffer: Buffer;
  readonly ratioCap: number;
  expanded: number;
}

/** The state of expanding one object: its budgets are shared by every archive in it. */
class Expansion {
  private expandedBytes = 0;
  private entries = 0;
  private stopped = false;
  private readonly limits: ExpandLimits;
  private readonly skipMedia: boolean;

  constructor(options: ExpandOptions) {
    this.limits = options.limits;
    this.skipMedia = options.skipMedia;
  }

  /** One part: yielded as it is, then opened when it is a container and the limits allow. */
  async *visit(path: string, bytes: Uint8Array, depth: number): AsyncGenerator<ExpandedPart> {
    const kind = contentKind(bytes);
    if (kind === 'media' && this.skipMedia) {
      yield { type: 'skipped', path, reason: 'media', mediaType: mediaType(bytes) ?? 'unknown' };
      return;
    }
    yield { type: 'content', path, bytes, depth };
    if (kind !== 'gzip' && kind !== 'zip') return;
    if (depth >= this.limits.maxDepth) {
      yield { type: 'limit', path, limit: 'depth', message: `${kind} at depth ${depth} not opened: the limit is ${this.limits.maxDepth}` };
      return;
    }
    if (this.stopped) return;
    yield* kind === 'gzip' ? this.gunzip(path, bytes, depth) : this.unzip(path, bytes, depth);
  }

  /** A gzip stream's output (every member), bounded by the tightest of the part limits. */
  private async *gunzip(path: string, bytes: Uint8Array, depth: number): AsyncGenerator<ExpandedPart> {
    if (!this.takeEntry()) {
      yield this.entriesLimit(path);
      return;
    }
    const member = `${path}!${gzipMemberName(path)}`;
    const cap = this.partCaps(bytes.length)[0]!;
    const out = gunzipBounded(bytes, cap.bytes);
    if (out.overflow) {
      yield this.capLimit(member, cap, `expands to more than ${cap.bytes} bytes`);
      return;
    }
    if (out.bytes) {
      this.expandedBytes += out.bytes.length;
      yield* this.visit(member, out.bytes, depth + 1);
    }
    if (out.problem) yield { type: 'unreadable', path: member, message: out.problem };
  }

  /** A zip's entries, in central directory order, until the archive ends or a limit stops it. */
  private async *unzip(path: string, bytes: Uint8Array, depth: number): AsyncGenerator<ExpandedPart> {
    const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let zip: yauzl.ZipFile;
    try {
      // decodeStrings off: yauzl ends the whole archive at an entry named `../x`, and names are only
      // labels here. validateEntrySizes off: readEntryData checks each entry, so a bad one ends only itself.
      zip = await yauzl.fromBufferPromise(buffer, { decodeStrings: false, validateEntrySizes: false });
    } catch (error) {
      yield { type: 'unreadable', path, message: `not a readable zip: ${messageOf(error)}` };
      return;
    }
    const archive: OpenArchive = { path, depth, zip, buffer, ratioCap: this.ratioCap(buffer.length), expanded: 0 };
    const iterator = zip.eachEntry();
    try {
      while (!this.stopped) {
        let step: IteratorResult<yauzl.Entry>;
        try {
          step = await iterator.next();
        } catch (error) {
          yield { type: 'unreadable', path, message: `zip central directory: ${messageOf(error)}; later entries not read` };
          return;
        }
        if (step.done) return;
        if (!this.takeEntry()) {
          yield this.entriesLimit(path);
          return;
        }
        if ((yield* this.unzipEntry(archive, step.value)) === 'stop-archive') return;
      }
    } finally {
      await iterator.return?.();
    }
  }

  /** One zip entry: checked against the limits on its declared sizes, then read. */
  private async *unzipEntry(archive: OpenArchive, entry: yauzl.Entry): AsyncGenerator<ExpandedPart, 'next' | 'stop-archive'> {
    const name = entryName(entry);
    if (name.endsWith('/') && entry.uncompressedSize === 0) return 'next';
    const path = `${archive.path}!${name}`;
    const problem = entryProblem(entry);
    if (problem) {
      yield { type: 'unreadable', path, message: problem };
      return 'next';
    }
    const declared = entry.uncompressedSize;
    const archiveLeft: Cap = {
      limit: 'ratio',
      bytes: archive.ratioCap - archive.expanded,
      scope: 'archive',
      why: `with the entries before it, more than ${this.limits.maxRatio}x the archive's ${archive.buffer.length} bytes`,
    };
    const crossed = [...this.partCaps(entry.compressedSize), archiveLeft].filter((c) => declared > c.bytes).sort((a, b) => a.bytes - b.bytes)[0];
    if (crossed?.scope === 'archive') {
      yield this.capLimit(archive.path, crossed, `entry ${name} declares ${declared} bytes`);
      return 'stop-archive';
    }
    if (crossed) {
      yield this.capLimit(path, crossed, `declares ${declared} bytes`);
      return 'next';
    }
    const read = await readEntryData(archive.zip, entry, archive.buffer);
    if (read.bytes) {
      this.expandedBytes += read.bytes.length;
      archive.expanded += read.bytes.length;
      yield* this.visit(path, read.bytes, archive.depth + 1);
    }
    if (read.problem) yield { type: 'unreadable', path, message: read.problem };
    return 'next';
  }

  /** Takes one entry from the object's budget; false when it is spent. */
  private takeEntry(): boolean {
    if (this.entries >= this.limits.maxEntries) return false;
    this.entries += 1;
    return true;
  }

  private entriesLimit(path: string): ExpandedPart {
    this.stopped = true;
    return { type: 'limit', path, limit: 'entries', message: `more than ${this.limits.maxEntries} entries in the object: nothing more is expanded` };
  }

  private capLimit(path: string, cap: Cap, amount: string): ExpandedPart {
    if (cap.scope === 'object') this.stopped = true;
    const after = { part: '', archive: '; the rest of the archive is not expanded', object: '; nothing more is expanded' }[cap.scope];
    return { type: 'limit', path, limit: cap.limit, message: `${amount}: ${cap.why}${after}` };
  }

  private ratioCap(compressedBytes: number): number {
    const grace = this.limits.ratioGraceBytes ?? DEFAULT_EXPAND_LIMITS.ratioGraceBytes ?? 0;
    return Math.max(grace, Math.floor(this.limits.maxRatio * compressedBytes));
  }

  /** The bounds on one part's output, tightest first (the more local limit first on a tie). */
  private partCaps(compressedBytes: number): Cap[] {
    const { maxEntryBytes, maxRatio, maxTotalBytes } = this.limits;
    const left = Math.max(0, maxTotalBytes - this.expandedBytes);
    const caps: Cap[] = [
      { limit: 'entry-bytes', bytes: maxEntryBytes, scope: 'part', why: `one part may have at most ${maxEntryBytes} bytes` },
      { limit: 'ratio', bytes: this.ratioCap(compressedBytes), scope: 'part', why: `more than ${maxRatio}x its ${compressedBytes} compressed bytes` },
      { limit: 'total-bytes', bytes: left, scope: 'object', why: `${left} of the object's ${maxTotalBytes} expanded bytes were left` },
    ];
    return caps.sort((a, b) => a.bytes - b.bytes);
  }
}

/** What came out of a stream: all or part of it, and what went wrong. */
interface Inflated {
  readonly bytes?: Uint8Array;
  readonly overflow?: boolean;
  readonly problem?: string;
}

type Bounded = { bytes: Buffer } | { overflow: true } | { error: unknown };

/** Runs an inflate that may produce at most `cap` bytes; zlib stops as soon as it would produce more. */
function bounded(cap: number, inflate: (maxOutputLength: number) => Buffer): Bounded {
  try {
    const bytes = inflate(Math.max(1, cap));
    return bytes.length > cap ? { overflow: true } : { bytes };
  } catch (error) {
    return codeOf(error) === 'ERR_BUFFER_TOO_LARGE' ? { overflow: true } : { error };
  }
}

/**
 * A whole gzip file (every member), or, when it is broken, what can be recovered: the output before
 * the cut of a truncated stream, or the first member's data when its trailer (CRC, length) is wrong
 * or what follows it is not gzip.
 */
function gunzipBounded(input: Uint8Array, cap: number): Inflated {
  const whole = bounded(cap, (max) => zlib.gunzipSync(input, { maxOutputLength: max }));
  if (!('error' in whole)) return whole;
  const recovered =
    codeOf(whole.error) === 'Z_BUF_ERROR'
      ? bounded(cap, (max) => zlib.gunzipSync(input, { maxOutputLength: max, finishFlush: zlib.constants.Z_SYNC_FLUSH }))
      : inflateFirstMember(input, cap);
  if ('overflow' in recovered) return recovered;
  const bytes = 'bytes' in recovered && recovered.bytes.length > 0 ? recovered.bytes : undefined;
  return { bytes, problem: gzipProblem(whole.error, bytes?.length ?? 0) };
}

/** The deflate data of the first gzip member, read past its header and without its trailer. */
function inflateFirstMember(input: Uint8Array, cap: number): Bounded {
  const start = gzipDataOffset(input);
  if (start === undefined) return { error: new Error('gzip header is truncated') };
  return bounded(cap, (max) => zlib.inflateRawSync(input.subarray(start), { maxOutputLength: max, finishFlush: zlib.constants.Z_SYNC_FLUSH }));
}

/** Where a gzip member's deflate data starts (RFC 1952: fixed header, then FEXTRA, FNAME, FCOMMENT, FHCRC). */
function gzipDataOffset(b: Uint8Array): number | undefined {
  if (b.length < 10) return undefined;
  const flags = b[3]!;
  let at = 10;
  if (flags & 0x04) at += 2 + (b[at] ?? 0) + (b[at + 1] ?? 0) * 256;
  for (const flag of [0x08, 0x10]) {
    if (!(flags & flag)) continue;
    const end = b.indexOf(0, at);
    if (end < 0) return undefined;
    at = end + 1;
  }
  if (flags & 0x02) at += 2;
  return at <= b.length ? at : undefined;
}

const GZIP_FAULTS: Readonly<Record<string, string>> = {
  'unexpected end of file': 'the gzip stream is truncated',
  'incorrect data check': "the gzip stream's CRC-32 does not match its data",
  'incorrect length check': "the gzip stream's length does not match its data",
  'incorrect header check': 'what follows the gzip stream is not gzip',
};

function gzipProblem(error: unknown, recovered: number): string {
  const message = messageOf(error);
  const fault = GZIP_FAULTS[message] ?? 'the gzip stream is corrupt';
  return `${fault} (zlib: ${message}); ${recovered > 0 ? `scanned the ${recovered} bytes read before the fault` : 'nothing could be read'}`;
}

/** The name of a gzip stream's output: the last segment of its path without the gzip suffix. */
export function gzipMemberName(path: string): string {
  const segment = path.slice(path.lastIndexOf('!') + 1);
  const base = segment.slice(segment.lastIndexOf('/') + 1);
  const stripped = base.replace(/\.tgz$/i, '.tar').replace(/\.(gz|gzip)$/i, '');
  return stripped === '' ? base : stripped;
}

const METHODS: Readonly<Record<number, string>> = { 9: 'Deflate64', 12: 'bzip2', 14: 'LZMA', 93: 'Zstandard', 95: 'XZ', 98: 'PPMd', 99: 'AES' };

/** Why an entry cannot be read, from its central directory record alone. */
function entryProblem(entry: yauzl.Entry): string | undefined {
  if (entry.isEncrypted()) return 'entry is encrypted: not scanned';
  const method = entry.compressionMethod;
  if (method !== 0 && method !== 8) return `compression method ${method}${METHODS[method] ? ` (${METHODS[method]})` : ''} is not supported: not scanned`;
  if (method === 0 && entry.compressedSize !== entry.uncompressedSize) {
    return `stored entry declares ${entry.uncompressedSize} bytes but holds ${entry.compressedSize}: not scanned`;
  }
  return undefined;
}

/**
 * An entry's data. The declared size was checked against the limits, and the inflate is bounded by
 * it: an entry that lies (declares little, inflates to much) is stopped at its declared size.
 */
async function readEntryData(zip: yauzl.ZipFile, entry: yauzl.Entry, archive: Buffer): Promise<Inflated> {
  let start: number;
  try {
    start = (await zip.readLocalFileHeaderPromise(entry, { minimal: true })).fileDataStart;
  } catch (error) {
    return { problem: `entry data cannot be found: ${messageOf(error)}` };
  }
  const data = archive.subarray(start, start + entry.compressedSize);
  if (entry.compressionMethod === 0) return withCrcCheck(data, entry);
  const declared = entry.uncompressedSize;
  const out = bounded(declared, (max) => zlib.inflateRawSync(data, { maxOutputLength: max }));
  if ('overflow' in out) return { problem: `entry inflates past the ${declared} bytes it declares (a zip bomb or a corrupt archive): not scanned` };
  if ('error' in out) {
    if (codeOf(out.error) !== 'Z_BUF_ERROR') return { problem: `entry data is corrupt (zlib: ${messageOf(out.error)}): not scanned` };
    const partial = bounded(declared, (max) => zlib.inflateRawSync(data, { maxOutputLength: max, finishFlush: zlib.constants.Z_SYNC_FLUSH }));
    const bytes = 'bytes' in partial && partial.bytes.length > 0 ? partial.bytes : undefined;
    const read = bytes ? `scanned the ${bytes.length} bytes read before the cut` : 'nothing could be read';
    return { bytes, problem: `entry data is truncated (zlib: ${messageOf(out.error)}); ${read}` };
  }
  if (out.bytes.length !== declared) return { bytes: out.bytes, problem: `entry inflates to ${out.bytes.length} bytes, not the ${declared} it declares` };
  return withCrcCheck(out.bytes, entry);
}

/** yauzl does not check CRCs: a mismatch means a corrupt or altered entry, still worth scanning. */
function withCrcCheck(bytes: Uint8Array, entry: yauzl.Entry): Inflated {
  const crc = zlib.crc32(bytes);
  if (crc === entry.crc32) return { bytes };
  return { bytes, problem: `CRC-32 of the data is ${hex(crc)}, the archive says ${hex(entry.crc32)}: the entry is corrupt or was altered` };
}

/** The entry's name as the archive spells it (CP437 or UTF-8), with control characters made visible. */
function entryName(entry: yauzl.Entry): string {
  const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
  return name.replace(/[\u0000-\u001f\u007f]/g, '?');
}

function hex(value: number): string {
  return value.toString(16).padStart(8, '0');
}

function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
