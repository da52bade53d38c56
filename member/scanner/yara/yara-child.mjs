/**
 * The helper process that runs YARA-X scans for yara-process.ts. @litko/yara-x 0.3.0 cannot stop a
 * scan once started (no timeout, no cancel), so the only way to bound one is to run it in a process
 * the parent can kill. Plain JavaScript with one dependency, so it runs as it is from the repository
 * and from the Lambda bundle (where it sits beside index.mjs).
 *
 * Protocol: the parent sends `{type: 'compile', source, options}` once over IPC and gets `ready` or
 * `failed`; then for each scan `{type: 'scan', id, length, variables}` over IPC and exactly `length`
 * bytes on stdin (raw, so a large part is not serialized), and gets `result` or `error` with the id.
 * Only rule names, meta and match offsets and lengths go back: never the matched bytes.
 */
import { createRequire } from 'node:module';

const { compile } = createRequire(import.meta.url)('@litko/yara-x');

let rules;
/** Scan requests in order, each filled from stdin in turn. */
const pending = [];
/** Bytes that arrived before the request they belong to (stdin and IPC are not ordered together). */
const early = [];

process.on('message', (message) => {
  if (message.type === 'compile') {
    try {
      rules = compile(message.source, message.options);
      process.send({ type: 'ready' });
    } catch (error) {
      process.send({ type: 'failed', message: String(error?.message ?? error) });
    }
  } else if (message.type === 'scan') {
    pending.push({ ...message, bytes: bufferFor(message.length, pending.length === 0), filled: 0 });
    while (early.length > 0 && fill(early[0])) early.shift();
    drain();
  }
});

process.stdin.on('data', (chunk) => {
  if (early.length > 0 || !fill(chunk)) early.push(chunk);
  drain();
});

/** Kept between scans up to this size: fresh memory costs page faults on every byte of every part. */
const REUSED_BYTES = 128 * 1024 * 1024;
let scratch = Buffer.alloc(0);

/** Room for a request's bytes: the reused buffer when it is free and large enough to be worth keeping. */
function bufferFor(length, free) {
  if (!free || length > REUSED_BYTES) return Buffer.allocUnsafe(length);
  if (scratch.length < length) scratch = Buffer.allocUnsafe(Math.max(length, Math.min(REUSED_BYTES, scratch.length * 2)));
  return scratch.subarray(0, length);
}

/**
 * Copies `chunk` into the requests waiting for bytes; true when all of it found a place. What is
 * left (the next request has not arrived yet) stays in `chunk` for later.
 */
function fill(chunk) {
  let offset = chunk.consumed ?? 0;
  for (const scan of pending) {
    if (offset === chunk.length) break;
    const take = Math.min(chunk.length - offset, scan.length - scan.filled);
    chunk.copy(scan.bytes, scan.filled, offset, offset + take);
    scan.filled += take;
    offset += take;
  }
  chunk.consumed = offset;
  return offset === chunk.length;
}

/** Scans, in order, every request whose bytes have all arrived. */
function drain() {
  while (pending.length > 0 && pending[0].filled === pending[0].length) {
    const scan = pending.shift();
    try {
      const found = rules.scan(scan.bytes, scan.variables);
      const slim = found.map((r) => ({ ruleIdentifier: r.ruleIdentifier, meta: r.meta, matches: r.matches.map((m) => ({ offset: m.offset, length: m.length })) }));
      process.send({ type: 'result', id: scan.id, rules: slim });
    } catch (error) {
      process.send({ type: 'error', id: scan.id, message: String(error?.message ?? error) });
    }
  }
}

// The parent gone (it exited or closed the channel): nothing more will come.
process.on('disconnect', () => process.exit(0));
