/**
 * What an Athena query costs: $5 per TB scanned, each query rounded up to the next megabyte with a
 * 10 MB minimum (Athena pricing). A query that scanned nothing (DDL, a failed query) is not charged.
 */

/** Dollars per terabyte scanned (SQL queries, us-east-1 and most regions). */
export const ATHENA_USD_PER_TB = 5;
const MB = 1024 ** 2;
const TB = 1024 ** 4;
const MINIMUM_BYTES = 10 * MB;

/** The dollars a query that scanned `bytesScanned` bytes is billed. */
export function athenaCostUsd(bytesScanned: number, usdPerTb = ATHENA_USD_PER_TB): number {
  if (!(bytesScanned > 0)) return 0;
  const billed = Math.max(MINIMUM_BYTES, Math.ceil(bytesScanned / MB) * MB);
  return (billed / TB) * usdPerTb;
}
