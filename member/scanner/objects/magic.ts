/**
 * What a byte string is, by its magic bytes: a gzip stream, a zip archive, binary media, or other.
 * Only the leading bytes are read, never the name: an attacker chooses the name as easily as the
 * content, and a name says nothing about the bytes.
 *
 * Skipping media (when the caller asks) saves scanning photos and videos, which rarely carry
 * anything YARA or the secrets detectors look for. It is a trade of risk for cost: a polyglot (a PNG
 * with a zip or a script appended, a JPEG whose comment holds a web shell) starts like media and is
 * then not scanned at all. Text formats that can carry scripts (SVG, HTML, PDF) are never media here.
 */

/** How the expander treats a byte string. */
export type ContentKind = 'gzip' | 'zip' | 'media' | 'other';

/** The binary media formats recognised. */
export type MediaType =
  | 'png' | 'jpeg' | 'gif' | 'webp' | 'bmp' | 'tiff' | 'ico' | 'cur' | 'psd'
  | 'heic' | 'heif' | 'avif' | 'mp4' | 'mov' | 'm4a' | '3gp'
  | 'avi' | 'wav' | 'aiff' | 'mp3' | 'flac' | 'ogg' | 'midi'
  | 'webm' | 'mkv' | 'flv' | 'mpeg' | 'mpeg-ts';

/** The kind of `bytes`: `gzip` (1f 8b, deflate), `zip` (a local file header, or an empty archive), `media`, or `other`. */
export function contentKind(bytes: Uint8Array): ContentKind {
  if (isGzip(bytes)) return 'gzip';
  if (isZip(bytes)) return 'zip';
  if (mediaType(bytes) !== undefined) return 'media';
  return 'other';
}

/** A gzip stream: ID1 ID2 and CM = 8 (deflate, the only method gzip defines). */
export function isGzip(bytes: Uint8Array): boolean {
  return startsWith(bytes, 0, [0x1f, 0x8b, 0x08]);
}

/**
 * A zip archive that starts at offset 0: a local file header (`PK\3\4`) or the end record of an
 * empty archive (`PK\5\6`). Archives with data before them (self-extracting, appended to an image)
 * are not zip here: the polyglot risk the module comment describes.
 */
export function isZip(bytes: Uint8Array): boolean {
  return startsWith(bytes, 0, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, 0, [0x50, 0x4b, 0x05, 0x06]);
}

/** The media format of `bytes`, or undefined when it is not binary media we recognise. */
export function mediaType(bytes: Uint8Array): MediaType | undefined {
  const b = bytes;
  if (startsWith(b, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(b, 0, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(b, 0, 'GIF87a') || startsWith(b, 0, 'GIF89a')) return 'gif';
  if (startsWith(b, 0, 'RIFF')) return riffType(b);
  if (startsWith(b, 0, 'FORM') && (startsWith(b, 8, 'AIFF') || startsWith(b, 8, 'AIFC'))) return 'aiff';
  if (isBmp(b)) return 'bmp';
  if (startsWith(b, 0, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, 0, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  const icon = iconType(b);
  if (icon) return icon;
  if (startsWith(b, 0, '8BPS')) return 'psd';
  // ISO base media (MP4, QuickTime, HEIF...): a box size, then the `ftyp` box type at offset 4.
  if (startsWith(b, 4, 'ftyp') && b.length >= 12 && readUint32BE(b, 0) >= 16) return isoBrandType(b);
  // Old QuickTime files start with a movie or data box instead.
  if (startsWith(b, 4, 'moov') || startsWith(b, 4, 'mdat') || startsWith(b, 4, 'wide')) return 'mov';
  if (startsWith(b, 0, 'ID3') || isMp3Frame(b)) return 'mp3';
  if (startsWith(b, 0, 'fLaC')) return 'flac';
  if (startsWith(b, 0, 'OggS')) return 'ogg';
  if (startsWith(b, 0, 'MThd')) return 'midi';
  if (startsWith(b, 0, [0x1a, 0x45, 0xdf, 0xa3])) return ebmlDocType(b);
  if (startsWith(b, 0, [0x46, 0x4c, 0x56, 0x01])) return 'flv';
  if (startsWith(b, 0, [0x00, 0x00, 0x01, 0xba]) || startsWith(b, 0, [0x00, 0x00, 0x01, 0xb3])) return 'mpeg';
  // A transport stream is 188-byte packets, each starting with 0x47: one 'G' is a letter, three in step are not.
  if (b.length > 376 && b[0] === 0x47 && b[188] === 0x47 && b[376] === 0x47) return 'mpeg-ts';
  return undefined;
}

/** RIFF containers name their form at offset 8; other forms (animated cursors, MIDI in RIFF) are not skipped. */
function riffType(b: Uint8Array): MediaType | undefined {
  if (startsWith(b, 8, 'WEBP')) return 'webp';
  if (startsWith(b, 8, 'WAVE')) return 'wav';
  if (startsWith(b, 8, 'AVI ')) return 'avi';
  return undefined;
}

/** `BM` alone starts too many texts: also require zero reserved bytes and a known DIB header size at 14. */
function isBmp(b: Uint8Array): boolean {
  if (!startsWith(b, 0, 'BM') || b.length < 18) return false;
  if (readUint32LE(b, 6) !== 0) return false;
  return [12, 16, 40, 52, 56, 64, 108, 124].includes(readUint32LE(b, 14));
}

/** ICO and CUR: reserved 0, type 1 or 2, at least one image, and the first image's reserved byte 0. */
function iconType(b: Uint8Array): MediaType | undefined {
  if (b.length < 22 || b[0] !== 0 || b[1] !== 0 || b[3] !== 0 || b[4]! + b[5]! * 256 === 0 || b[9] !== 0) return undefined;
  if (b[2] === 1) return 'ico';
  if (b[2] === 2) return 'cur';
  return undefined;
}

/** The major brand at offset 8 of an `ftyp` box. */
function isoBrandType(b: Uint8Array): MediaType {
  const brand = String.fromCharCode(...b.subarray(8, 12));
  if (['M4A ', 'M4B ', 'M4P '].includes(brand)) return 'm4a';
  if (['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs'].includes(brand)) return 'heic';
  if (['mif1', 'msf1'].includes(brand)) return 'heif';
  if (['avif', 'avis'].includes(brand)) return 'avif';
  if (brand === 'qt  ') return 'mov';
  if (brand.startsWith('3g')) return '3gp';
  return 'mp4';
}

/**
 * An MPEG audio layer III frame header without ID3 tag: 11 sync bits, a valid version, layer III,
 * and a bitrate and sample rate that are not the reserved values.
 */
function isMp3Frame(b: Uint8Array): boolean {
  if (b.length < 4 || b[0] !== 0xff) return false;
  const b1 = b[1]!;
  const b2 = b[2]!;
  return (b1 & 0xe6) === 0xe2 && (b1 & 0x18) !== 0x08 && (b2 & 0xf0) !== 0xf0 && (b2 & 0x0c) !== 0x0c;
}

/** Matroska and WebM share the EBML header; its DocType (within the first bytes) tells them apart. */
function ebmlDocType(b: Uint8Array): MediaType {
  const head = String.fromCharCode(...b.subarray(0, 64));
  return head.includes('webm') ? 'webm' : 'mkv';
}

function startsWith(bytes: Uint8Array, offset: number, signature: readonly number[] | string): boolean {
  const sig = typeof signature === 'string' ? [...signature].map((c) => c.charCodeAt(0)) : signature;
  if (bytes.length < offset + sig.length) return false;
  return sig.every((value, i) => bytes[offset + i] === value);
}

function readUint32LE(b: Uint8Array, offset: number): number {
  return (b[offset]! | (b[offset + 1]! << 8) | (b[offset + 2]! << 16)) + b[offset + 3]! * 0x1000000;
}

function readUint32BE(b: Uint8Array, offset: number): number {
  return b[offset]! * 0x1000000 + ((b[offset + 1]! << 16) | (b[offset + 2]! << 8) | b[offset + 3]!);
}
