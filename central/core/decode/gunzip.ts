/**
 * Gunzip that keeps what it could decompress when the stream is truncated or corrupt, and stops at
 * a size limit so a gzip bomb costs the limit, not the memory of the whole run. Several gzip members
 * one after the other (as `cat a.gz b.gz` or block-wise compressors write) decompress as one text.
 */
import { createGunzip, gunzipSync } from 'node:zlib';

/** True for data starting with the gzip magic bytes. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The decompressed bytes, and why decompression stopped early if it did. */
export interface GunzipResult {
  readonly data: Buffer;
  /** The stream was damaged; `data` holds what came before the damage. */
  readonly error?: string;
  /** The output would exceed the limit; decompression stopped there and `data` is empty. */
  readonly exceeded?: boolean;
}

/**
 * Decompresses gzip data into at most `maxBytes`. The fast path is one synchronous call; on damage
 * the data is fed through a stream so every byte decompressed before the damage is kept.
 */
export async function gunzipTolerant(bytes: Uint8Array, maxBytes = Number.MAX_SAFE_INTEGER): Promise<GunzipResult> {
  try {
    // zlib checks the limit as it inflates and throws there, before producing the rest.
    return { data: gunzipSync(bytes, { maxOutputLength: maxBytes }) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return { data: Buffer.alloc(0), exceeded: true };
    const partial = await gunzipPartial(bytes, maxBytes);
    return partial.exceeded ? partial : { data: partial.data, error: (err as Error).message };
  }
}

function gunzipPartial(bytes: Uint8Array, maxBytes: number): Promise<GunzipResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const gunzip = createGunzip();
    const settle = (result: GunzipResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const done = () => settle({ data: Buffer.concat(chunks) });
    gunzip.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= maxBytes) return void chunks.push(c);
      chunks.length = 0;
      gunzip.destroy();
      settle({ data: Buffer.alloc(0), exceeded: true });
    });
    gunzip.on('error', done);
    gunzip.on('end', done);
    gunzip.end(bytes);
  });
}
