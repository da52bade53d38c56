/**
 * Compresses and writes files on a worker thread, so generating and serializing records (main
 * thread) overlaps with gzip and file creation (worker) on two cores. zlib's own async API was tried
 * and is slower here: thousands of small buffers cost more in thread-pool hand-offs than they gain.
 */
import { Worker } from 'node:worker_threads';

// Plain CommonJS evaluated in the worker, so it runs the same under tsx, vitest and plain node.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { gzipSync } = require('node:zlib');
const { mkdirSync, writeFileSync } = require('node:fs');
const made = new Set();
parentPort.on('message', (batch) => {
  try {
    let bytes = 0;
    for (const [dir, path, text] of batch) {
      if (!made.has(dir)) { mkdirSync(dir, { recursive: true }); made.add(dir); }
      writeFileSync(path, gzipSync(text, { level: workerData.level }));
      bytes += text.length;
    }
    parentPort.postMessage({ bytes });
  } catch (err) {
    parentPort.postMessage({ error: String((err && err.stack) || err) });
  }
});
`;

/** Raised when the worker could not write a file; carries the worker's error text. */
export class GzipSinkError extends Error {
  override readonly name = 'GzipSinkError';
}

/** A queue of gzip-and-write jobs with bounded memory. */
export class GzipSink {
  private readonly worker: Worker;
  private batch: Array<[string, string, string]> = [];
  private batchBytes = 0;
  private unacknowledged = 0;
  private failure: Error | undefined;
  private waiters: Array<() => void> = [];

  constructor(level: number, private readonly maxInFlightBytes = 64 * 1024 * 1024, private readonly batchBytesLimit = 1024 * 1024) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { level } });
    this.worker.on('message', (m: { bytes?: number; error?: string }) => {
      if (m.error) this.failure ??= new GzipSinkError(m.error);
      else this.unacknowledged -= m.bytes ?? 0;
      this.wake();
    });
    this.worker.on('error', (err) => {
      this.failure ??= err;
      this.wake();
    });
  }

  /** Queues one file; returns a promise to await when the worker is too far behind. */
  write(dir: string, path: string, text: string): Promise<void> | undefined {
    if (this.failure) throw this.failure;
    this.batch.push([dir, path, text]);
    this.batchBytes += text.length;
    if (this.batchBytes >= this.batchBytesLimit) this.send();
    return this.unacknowledged > this.maxInFlightBytes ? this.until(() => this.unacknowledged <= this.maxInFlightBytes / 2) : undefined;
  }

  /** Writes what is queued, waits for the worker to finish, and stops it. */
  async close(): Promise<void> {
    this.send();
    try {
      await this.until(() => this.unacknowledged === 0);
    } finally {
      await this.worker.terminate();
    }
  }

  /** Stops the worker, dropping what is queued. */
  async abort(): Promise<void> {
    this.batch = [];
    await this.worker.terminate();
  }

  private send(): void {
    if (this.batch.length === 0) return;
    this.worker.postMessage(this.batch);
    this.unacknowledged += this.batchBytes;
    this.batch = [];
    this.batchBytes = 0;
  }

  private until(done: () => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.failure) reject(this.failure);
        else if (done()) resolve();
        else this.waiters.push(check);
      };
      check();
    });
  }

  private wake(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const check of waiting) check();
  }
}
