/** Gunzip that keeps what it could decompress when the stream is truncated or corrupt. */
import { createGunzip, gunzipSync } from 'node:zlib';

/** True for data starting with the gzip magic bytes. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The decompressed bytes, and the reason decompression stopped early if it did. */
export interface GunzipResult {
  readonly data: Buffer;
  readonly error?: string;
}

/**
 * Decompresses gzip data. The fast path is one synchronous call; on failure the data is fed through
 * a stream so every byte decompressed before the damage is kept.
 */
export async function gunzipTolerant(bytes: Uint8Array): Promise<GunzipResult> {
  try {
    return { data: gunzipSync(bytes) };
  } catch (err) {
    const reason = (err as Error).message;
    const data = await gunzipPartial(bytes);
    return { data, error: reason };
  }
}

function gunzipPartial(bytes: Uint8Array): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const gunzip = createGunzip();
    const done = () => resolve(Buffer.concat(chunks));
    gunzip.on('data', (c: Buffer) => chunks.push(c));
    gunzip.on('error', done);
    gunzip.on('end', done);
    gunzip.end(bytes);
  });
}
