/**
 * Tar archives hold whole folders of logs. The decoder reads one document per input, so it names an
 * archive for what it is rather than reporting its headers as invalid JSON.
 */

/** The problem reported for a tar archive. */
export const TAR_NOT_READ = 'tar archives are not read; extract it and replay the folder';

/** Names that say tar: `.tar`, `.tar.gz`, `.tgz`. */
export function isTarName(name: string): boolean {
  return /\.(tar|tar\.gz|tgz)$/i.test(name);
}

/** POSIX and GNU tar headers carry `ustar` at offset 257 of the first block. */
export function isTar(bytes: Uint8Array): boolean {
  return bytes.length >= 262 && bytes[257] === 0x75 && bytes[258] === 0x73 && bytes[259] === 0x74 && bytes[260] === 0x61 && bytes[261] === 0x72;
}
