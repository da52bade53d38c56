/** AWS identifier formats, drawn from the seeded generator so they look real but are never real. */
import type { Random } from './random.js';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * A 12-digit account id. Runs of one digit and ascending runs are redrawn so no id reads like the
 * documentation examples (123456789012, 111122223333) people search logs for.
 */
export function accountId(rng: Random): string {
  for (;;) {
    const id = String(rng.between(1, 9)) + rng.chars('0123456789', 11);
    if (/(\d)\1{3}/.test(id) || /0123|1234|2345|3456|4567|5678|6789/.test(id)) continue;
    return id;
  }
}

/** An organization id: `o-` and 10 lowercase letters or digits. */
export function organizationId(rng: Random): string {
  return 'o-' + rng.chars(LOWER_ALNUM, 10);
}

/** An organization root id (`r-` and 4 characters). */
export function rootId(rng: Random): string {
  return 'r-' + rng.chars(LOWER_ALNUM, 4);
}

/** An organizational unit id under a root. */
export function ouId(rng: Random, root: string): string {
  return `ou-${root.slice(2)}-${rng.chars(LOWER_ALNUM, 8)}`;
}

/** An IAM unique id: AROA for roles, AIDA for users, ASIA/AKIA for access keys. */
export function uniqueId(rng: Random, prefix: 'AROA' | 'AIDA' | 'ASIA' | 'AKIA'): string {
  return prefix + rng.chars(BASE32, prefix === 'AROA' || prefix === 'AIDA' ? 17 : 16);
}

/** An EC2-style resource id with the 17-hex-digit form (`i-0…`, `sg-0…`, `snap-0…`). */
export function resourceId(rng: Random, prefix: string): string {
  return `${prefix}-0${rng.hex(16)}`;
}

/** The 16-character request id S3 writes instead of a UUID. */
export function s3RequestId(rng: Random): string {
  return rng.chars(UPPER_ALNUM, 16);
}

/** Base64 text of the given length (S3's x-amz-id-2, STS session tokens). */
export function base64(rng: Random, n: number): string {
  return rng.chars(BASE64, n);
}

/** Letters and digits, as in the random suffix of a CloudTrail log file name. */
export function alnum(rng: Random, n: number): string {
  return rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', n);
}

/** A private address inside a 10.x VPC. */
export function privateIp(rng: Random, secondOctet: number): string {
  return `10.${secondOctet}.${rng.between(0, 63)}.${rng.between(4, 250)}`;
}
