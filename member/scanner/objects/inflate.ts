/**
 * Bounded inflation: every gzip stream and deflated zip entry is inflated with a cap on its output,
 * so no stream ever produces more than a limit allows; broken streams give what could be recovered.
 */
import zlib from 'node:zlib';

/** What came out of a stream: all or part of it, and what went wrong. */
export interface Inflated {
  readonly bytes?: Uint8Array;
  readonly overflow?: boolean;
  readonly problem?: string;
}

type Bounded = { bytes: Buffer } | { overflow: true } | { error: unknown };

/** Runs an inflate that may produce at most `cap` bytes; zlib stops as soon as it would produce more. */
export function bounded(cap: number, inflate: (maxOutputLength: number) => Buffer): Bounded {
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
export function gunzipBounded(input: Uint8Array, cap: number): Inflated {
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

export function hex(value: number): string {
  return value.toString(16).padStart(8, '0');
}

export function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
