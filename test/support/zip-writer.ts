/**
 * A small zip writer for tests (PKWARE APPNOTE 4.3: local headers, central directory, end record),
 * able to write what real zip tools refuse to: sizes and CRCs that lie, encrypted flags, unsupported
 * methods, and many central records sharing one local header (David Fifield's overlapping bomb).
 */
import { crc32, deflateRawSync } from 'node:zlib';

/** One entry to write. */
export interface ZipEntryInput {
  readonly name: string;
  readonly data: Uint8Array | string;
  /** Deflated unless said otherwise. */
  readonly method?: 'stored' | 'deflated';
  /** Values to write in both headers instead of the true ones. */
  readonly declare?: { readonly uncompressedSize?: number; readonly compressedSize?: number; readonly crc32?: number; readonly compressionMethod?: number; readonly flags?: number };
  /** Extra field bytes (id, size, data records), written in both headers. */
  readonly extra?: Uint8Array;
  /** Sets the traditional-encryption flag; `data` is written as the already-encrypted payload (12-byte header included). */
  readonly encrypted?: boolean;
}

// 2024-05-14 12:00:00 in MS-DOS format.
const DOS_TIME = 12 << 11;
const DOS_DATE = ((2024 - 1980) << 9) | (5 << 5) | 14;
const UTF8_NAMES = 0x0800;

interface Prepared {
  readonly name: Buffer;
  readonly extra: Buffer;
  readonly payload: Buffer;
  readonly flags: number;
  readonly method: number;
  readonly crc: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
}

function prepare(entry: ZipEntryInput): Prepared {
  const data = typeof entry.data === 'string' ? Buffer.from(entry.data, 'utf8') : Buffer.from(entry.data);
  const stored = entry.method === 'stored' || entry.encrypted === true;
  const payload = stored ? data : deflateRawSync(data);
  const d = entry.declare ?? {};
  return {
    name: Buffer.from(entry.name, 'utf8'),
    extra: Buffer.from(entry.extra ?? []),
    payload,
    flags: UTF8_NAMES | (entry.encrypted ? 0x0001 : 0) | (d.flags ?? 0),
    method: d.compressionMethod ?? (stored ? 0 : 8),
    crc: d.crc32 ?? crc32(entry.encrypted ? data.subarray(12) : data),
    compressedSize: d.compressedSize ?? payload.length,
    uncompressedSize: d.uncompressedSize ?? (entry.encrypted ? data.length - 12 : data.length),
  };
}

function localHeader(p: Prepared): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(p.flags, 6);
  header.writeUInt16LE(p.method, 8);
  header.writeUInt16LE(DOS_TIME, 10);
  header.writeUInt16LE(DOS_DATE, 12);
  header.writeUInt32LE(p.crc >>> 0, 14);
  header.writeUInt32LE(p.compressedSize, 18);
  header.writeUInt32LE(p.uncompressedSize, 22);
  header.writeUInt16LE(p.name.length, 26);
  header.writeUInt16LE(p.extra.length, 28);
  return Buffer.concat([header, p.name, p.extra]);
}

function centralRecord(p: Prepared, localOffset: number, name: Buffer = p.name): Buffer {
  const record = Buffer.alloc(46);
  record.writeUInt32LE(0x02014b50, 0);
  record.writeUInt16LE((3 << 8) | 20, 4);
  record.writeUInt16LE(20, 6);
  record.writeUInt16LE(p.flags, 8);
  record.writeUInt16LE(p.method, 10);
  record.writeUInt16LE(DOS_TIME, 12);
  record.writeUInt16LE(DOS_DATE, 14);
  record.writeUInt32LE(p.crc >>> 0, 16);
  record.writeUInt32LE(p.compressedSize, 20);
  record.writeUInt32LE(p.uncompressedSize, 24);
  record.writeUInt16LE(name.length, 28);
  record.writeUInt16LE(p.extra.length, 30);
  record.writeUInt32LE(0o100644 * 0x10000, 38);
  record.writeUInt32LE(localOffset, 42);
  return Buffer.concat([record, name, p.extra]);
}

function endRecord(count: number, directorySize: number, directoryOffset: number): Buffer {
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(directorySize, 12);
  end.writeUInt32LE(directoryOffset, 16);
  return end;
}

/** A zip archive of `entries`, in order; a name ending in `/` with empty data is a directory. */
export function buildZip(entries: readonly ZipEntryInput[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const p = prepare(entry);
    const local = Buffer.concat([localHeader(p), p.payload]);
    central.push(centralRecord(p, offset));
    locals.push(local);
    offset += local.length;
  }
  const directory = Buffer.concat(central);
  return Buffer.concat([...locals, directory, endRecord(entries.length, directory.length, offset)]);
}

/**
 * `count` central records, named `name-1` .. `name-count`, all pointing at the one local header of
 * `kernel`: each entry's data is the same compressed bytes, so the archive expands to `count` times
 * the kernel while holding it once.
 */
export function overlappingZip(kernel: ZipEntryInput, count: number): Buffer {
  const p = prepare(kernel);
  const local = Buffer.concat([localHeader(p), p.payload]);
  const central = Array.from({ length: count }, (_, i) => centralRecord(p, 0, Buffer.from(`${kernel.name}-${i + 1}`, 'utf8')));
  const directory = Buffer.concat(central);
  return Buffer.concat([local, directory, endRecord(count, directory.length, local.length)]);
}
