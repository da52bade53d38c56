import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { contentKind, mediaType, type MediaType } from '../../member/scanner/objects/magic.js';
import { buildZip } from '../support/zip-writer.js';

/** Bytes from ASCII strings and byte lists, in order. */
function bytes(...parts: ReadonlyArray<string | readonly number[]>): Uint8Array {
  return Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : [...p])));
}

const u32le = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];
const u32be = (n: number) => [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const zeros = (n: number) => new Array<number>(n).fill(0);

const transportStream = new Uint8Array(564);
for (const at of [0, 188, 376]) transportStream.set([0x47, 0x40, 0x00, 0x10], at);

// The first bytes of real files of each type (headers as the formats' specifications lay them out).
const MEDIA: ReadonlyArray<readonly [MediaType, Uint8Array]> = [
  ['png', bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a], u32be(13), 'IHDR')],
  ['jpeg', bytes([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], 'JFIF', [0])],
  ['gif', bytes('GIF89a', [0x01, 0x00, 0x01, 0x00])],
  ['gif', bytes('GIF87a', [0x01, 0x00, 0x01, 0x00])],
  ['webp', bytes('RIFF', u32le(1024), 'WEBPVP8 ')],
  ['wav', bytes('RIFF', u32le(1024), 'WAVEfmt ')],
  ['avi', bytes('RIFF', u32le(1024), 'AVI LIST')],
  ['aiff', bytes('FORM', u32be(1024), 'AIFFCOMM')],
  ['bmp', bytes('BM', u32le(70), zeros(4), u32le(54), u32le(40), u32le(1), u32le(1))],
  ['tiff', bytes('II', [0x2a, 0x00], u32le(8))],
  ['tiff', bytes('MM', [0x00, 0x2a], u32be(8))],
  ['ico', bytes([0, 0, 1, 0, 1, 0], [16, 16, 0, 0], [1, 0, 32, 0], u32le(1128), u32le(22))],
  ['cur', bytes([0, 0, 2, 0, 1, 0], [32, 32, 0, 0], [4, 0, 4, 0], u32le(4264), u32le(22))],
  ['psd', bytes('8BPS', [0, 1], zeros(6))],
  ['mp4', bytes(u32be(24), 'ftyp', 'isom', u32be(512), 'isomiso2')],
  ['m4a', bytes(u32be(28), 'ftyp', 'M4A ', u32be(0), 'M4A mp42isom')],
  ['mov', bytes(u32be(20), 'ftyp', 'qt  ', u32be(0x200), 'qt  ')],
  ['mov', bytes(u32be(108), 'moov', u32be(108), 'mvhd')],
  ['heic', bytes(u32be(24), 'ftyp', 'heic', u32be(0), 'mif1heic')],
  ['heif', bytes(u32be(24), 'ftyp', 'mif1', u32be(0), 'mif1heic')],
  ['avif', bytes(u32be(28), 'ftyp', 'avif', u32be(0), 'avifmif1miaf')],
  ['3gp', bytes(u32be(24), 'ftyp', '3gp4', u32be(0), 'isom3gp4')],
  ['mp3', bytes('ID3', [4, 0, 0], u32be(0))],
  ['mp3', bytes([0xff, 0xfb, 0x90, 0x64], zeros(8))],
  ['flac', bytes('fLaC', [0x00, 0x00, 0x00, 0x22])],
  ['ogg', bytes('OggS', [0x00, 0x02], zeros(8))],
  ['midi', bytes('MThd', u32be(6), [0, 1, 0, 2])],
  ['webm', bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x84], 'webm', [0x42, 0x87, 0x81, 0x04])],
  ['mkv', bytes([0x1a, 0x45, 0xdf, 0xa3, 0xa3, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x88], 'matroska', [0x42, 0x87, 0x81, 0x04])],
  ['flv', bytes('FLV', [0x01, 0x05], u32be(9))],
  ['mpeg', bytes([0x00, 0x00, 0x01, 0xba, 0x44, 0x00, 0x04, 0x00])],
  ['mpeg', bytes([0x00, 0x00, 0x01, 0xb3, 0x14, 0x00, 0xf0, 0x13])],
  ['mpeg-ts', transportStream],
];

describe('mediaType', () => {
  it.each(MEDIA.map(([type, head], i) => [`${type} #${i}`, type, head] as const))('recognises %s by its magic bytes', (_label, type, head) => {
    expect(mediaType(head)).toBe(type);
    expect(contentKind(head)).toBe('media');
  });

  it('reads RIFF forms at offset 8 and leaves unknown forms (an animated cursor) to be scanned', () => {
    expect(mediaType(bytes('RIFF', u32le(1024), 'ACONLIST'))).toBeUndefined();
    expect(mediaType(bytes('RIFF', u32le(1024)))).toBeUndefined();
  });

  it('reads ftyp at offset 4 only, not at offset 0', () => {
    expect(mediaType(bytes('ftypisom', u32be(512), 'isomiso2'))).toBeUndefined();
  });

  it('does not take a text that starts with BM, ID3-less FF bytes or a G for media', () => {
    expect(mediaType(bytes('BMW service records, 2024\nVIN,mileage\n'))).toBeUndefined();
    expect(mediaType(bytes([0xff, 0xff, 0xff, 0xff, 0x00]))).toBeUndefined();
    expect(mediaType(bytes('GET /index.html HTTP/1.1\r\nHost: example.com\r\n'))).toBeUndefined();
  });

  it('does not take truncated signatures for media', () => {
    expect(mediaType(bytes('GIF8'))).toBeUndefined();
    expect(mediaType(bytes([0x89], 'PNG'))).toBeUndefined();
    expect(mediaType(new Uint8Array(0))).toBeUndefined();
  });
});

describe('contentKind', () => {
  it('recognises a gzip stream', () => {
    expect(contentKind(gzipSync('{"Records":[]}'))).toBe('gzip');
  });

  it('recognises a zip archive and an empty one', () => {
    expect(contentKind(buildZip([{ name: 'a.txt', data: 'a' }]))).toBe('zip');
    expect(contentKind(buildZip([]))).toBe('zip');
  });

  it('takes gzip magic with a method other than deflate for other content', () => {
    expect(contentKind(bytes([0x1f, 0x8b, 0x07, 0x00]))).toBe('other');
  });

  it('calls a PNG with a zip appended media: the polyglot that skipping media lets through', () => {
    const png = MEDIA[0]![1];
    const polyglot = new Uint8Array([...png, ...buildZip([{ name: 'shell.php', data: '<?php system($_GET["c"]); ?>' }])]);
    expect(contentKind(polyglot)).toBe('media');
  });

  it('calls text, SVG and empty input other', () => {
    expect(contentKind(bytes('AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n'))).toBe('other');
    expect(contentKind(bytes('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'))).toBe('other');
    expect(contentKind(new Uint8Array(0))).toBe('other');
  });
});
