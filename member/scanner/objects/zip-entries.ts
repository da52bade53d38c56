/** Reading zip entries through yauzl: what makes an entry unreadable, its data within its declared size, its name. */
import zlib from 'node:zlib';
import yauzl from 'yauzl';
import { bounded, codeOf, hex, messageOf, type Inflated } from './inflate.js';

const METHODS: Readonly<Record<number, string>> = { 9: 'Deflate64', 12: 'bzip2', 14: 'LZMA', 93: 'Zstandard', 95: 'XZ', 98: 'PPMd', 99: 'AES' };

/** Why an entry cannot be read, from its central directory record alone. */
export function entryProblem(entry: yauzl.Entry): string | undefined {
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
export async function readEntryData(zip: yauzl.ZipFile, entry: yauzl.Entry, archive: Buffer): Promise<Inflated> {
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
export function entryName(entry: yauzl.Entry): string {
  const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
  return name.replace(/[\u0000-\u001f\u007f]/g, '?');
}
