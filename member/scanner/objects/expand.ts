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
import yauzl from 'yauzl';
import { gunzipBounded, gzipMemberName, messageOf } from './inflate.js';
import { DEFAULT_EXPAND_LIMITS, type ExpandLimits } from './limits.js';
import { contentKind, mediaType } from './magic.js';
import { entryName, entryProblem, readEntryData } from './zip-entries.js';

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
