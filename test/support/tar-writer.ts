/**
 * A small tar writer for tests (POSIX ustar: a 512-byte header per file, the data padded to 512
 * bytes, two zero blocks at the end), so archive fixtures need no `tar` binary.
 */

/** One regular file to put in the archive. */
export interface TarEntryInput {
  readonly name: string;
  readonly data: Uint8Array | string;
}

const BLOCK = 512;

/** The bytes of a ustar archive holding the entries, in order. */
export function tarArchive(entries: readonly TarEntryInput[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const data = Buffer.from(entry.data);
    blocks.push(header(entry.name, data.length), data, Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK));
  }
  blocks.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(blocks);
}

function header(path: string, size: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  // Names over 100 bytes go in two parts: the folders in `prefix`, the rest in `name`.
  const cut = path.length > 100 ? path.lastIndexOf('/', 155) : -1;
  const [prefix, name] = cut > 0 ? [path.slice(0, cut), path.slice(cut + 1)] : ['', path];
  if (name.length > 100 || prefix.length > 155) throw new Error(`tar name too long for ustar: ${path}`);
  h.write(name, 0);
  h.write('0000644\0', 100);
  h.write('0001750\0', 108);
  h.write('0001750\0', 116);
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  h.write(`${Math.floor(Date.UTC(2026, 10, 2) / 1000).toString(8).padStart(11, '0')}\0`, 136);
  h.write('0', 156); // a regular file
  h.write('ustar\0', 257);
  h.write('00', 263);
  h.write('analyst', 265);
  h.write('analyst', 297);
  h.write(prefix, 345);
  // The checksum is summed with its own field read as spaces.
  h.fill(' ', 148, 156);
  const sum = h.reduce((n, byte) => n + byte, 0);
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}
