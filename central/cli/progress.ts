/** A progress bar on stderr, drawn only when stderr is a terminal so logs and pipes stay clean. */
import type { ReplayProgress } from '../local/replay.js';

const WIDTH = 28;
const REDRAW_MS = 100;

/** How far a command that reads files has got. */
export interface FileProgress {
  readonly filesDone: number;
  readonly filesTotal: number;
  readonly bytesDone: number;
  readonly bytesTotal: number;
}

const replayTail = (p: ReplayProgress) => `${p.events.toLocaleString('en-US')} events  ${p.findings} findings`;

/** Returns a progress callback and a function that clears the bar; `tail` says what the command has found so far. */
export function progressBar<P extends FileProgress = ReplayProgress>(
  stream: NodeJS.WriteStream = process.stderr,
  tail: (p: P) => string = replayTail as unknown as (p: P) => string,
): { update(p: P): void; done(): void } {
  if (!stream.isTTY) return { update() {}, done() {} };
  let last = 0;
  let drawn = false;
  return {
    update(p) {
      const now = Date.now();
      if (now - last < REDRAW_MS && p.filesDone !== p.filesTotal) return;
      last = now;
      const ratio = p.bytesTotal ? p.bytesDone / p.bytesTotal : 1;
      const filled = Math.round(ratio * WIDTH);
      const bar = '#'.repeat(filled) + '-'.repeat(WIDTH - filled);
      stream.write(`\r[${bar}] ${Math.round(ratio * 100)}%  ${p.filesDone}/${p.filesTotal} files  ${tail(p)}`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}
