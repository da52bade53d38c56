/**
 * How much of one input is held in memory. The decoder reads a whole input as one string and then
 * parses it, so an input far larger than real CloudTrail files (a few MB, delivered about every five
 * minutes per account and region) is refused by name instead of exhausting memory for everyone.
 */

const MiB = 1024 * 1024;

/** Limits on one input; every field has a default in `DEFAULT_INPUT_LIMITS`. */
export interface InputLimits {
  /** The largest file or object read, compressed or not; a larger one is reported and not read. */
  readonly maxFileBytes: number;
  /**
   * The most bytes of text one input may decode to: gunzip stops there and the input is reported.
   * V8 cannot hold a string much over 512 MiB, a hard ceiling; parsing 256 MiB of records takes
   * about 1.3 GB of memory and ten seconds, once per thread.
   */
  readonly maxTextBytes: number;
}

/** 256 MiB read, 256 MiB of text: far above any real trail file, well below what breaks a replay. */
export const DEFAULT_INPUT_LIMITS: InputLimits = { maxFileBytes: 256 * MiB, maxTextBytes: 256 * MiB };
