/**
 * Matches files on several threads: decoding (gunzip, UTF-8, JSON) dominates a replay, and it is
 * independent per file. Each worker takes one file at a time; one that stops fails only the file it
 * was on, and a new worker takes over the files queued behind it, so a run neither crashes nor hangs.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { DEFAULT_INPUT_LIMITS, type InputLimits } from '../core/decode/limits.js';
import type { RuleSource } from '../core/rules/load.js';
import type { FileMatch } from './match-file.js';
import type { MatchWorkerData } from './match-worker.js';
import type { IocPoolLists } from './statistics-files.js';

const WORKER_ENTRY = new URL('./match-worker.mjs', import.meta.url);

/** How a pool runs. */
export interface MatchPoolOptions {
  /** Limits on each input; default `DEFAULT_INPUT_LIMITS`. */
  readonly limits?: InputLimits;
  /** The worker script; tests pass a stand-in that misbehaves. */
  readonly entry?: URL;
  /** IOC lists each worker matches on CloudTrail events. */
  readonly ioc?: IocPoolLists;
}

/** A worker thread stopped while it held a file, or before it could take one. */
export class WorkerStoppedError extends Error {
  override readonly name = 'WorkerStoppedError';
  constructor(readonly path: string, detail: string, options?: { cause?: unknown }) {
    super(`the worker thread stopped (${detail})`, options);
  }
}

interface Job {
  readonly id: number;
  readonly path: string;
  resolve(result: FileMatch): void;
  reject(error: Error): void;
}

/** One worker and its unanswered jobs, oldest first; the oldest is the one it is working on. */
interface Slot {
  worker?: Worker;
  ready: boolean;
  /** Set when the worker stopped before it was ready: a new one would stop the same way. */
  failed?: WorkerStoppedError;
  readonly jobs: Map<number, Job>;
}

/** A fixed set of worker threads, each holding the compiled rules. */
export class MatchPool {
  private readonly slots: Slot[] = [];
  private readonly started: Array<Promise<void>> = [];
  private readonly workerData: MatchWorkerData;
  private readonly entry: URL;
  private nextId = 0;
  private turn = 0;
  private closing = false;

  constructor(ruleSources: readonly RuleSource[], readonly size = defaultPoolSize(), options: MatchPoolOptions = {}) {
    this.workerData = { ruleSources, limits: options.limits ?? DEFAULT_INPUT_LIMITS, ...(options.ioc && { ioc: options.ioc }) };
    this.entry = options.entry ?? WORKER_ENTRY;
    for (let i = 0; i < size; i++) {
      const slot: Slot = { ready: false, jobs: new Map() };
      this.slots.push(slot);
      this.started.push(this.start(slot));
    }
  }

  /** Resolves once every worker has compiled its rules. */
  async ready(): Promise<void> {
    await Promise.all(this.started);
  }

  /** Matches one file on the next worker. */
  match(path: string): Promise<FileMatch> {
    const slot = this.slots[this.turn++ % this.slots.length]!;
    if (slot.failed) return Promise.reject(slot.failed);
    return new Promise((resolve, reject) => this.send(slot, { id: this.nextId++, path, resolve, reject }));
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((s) => s.worker?.terminate()));
  }

  private send(slot: Slot, job: Job): void {
    slot.jobs.set(job.id, job);
    slot.worker!.postMessage({ id: job.id, path: job.path });
  }

  /** Starts the slot's worker; resolves once it is ready, rejects if it stops first. */
  private start(slot: Slot): Promise<void> {
    const worker = new Worker(this.entry, { workerData: this.workerData });
    slot.worker = worker;
    slot.ready = false;
    let failure: Error | undefined;
    const started = new Promise<void>((resolve, reject) => {
      worker.on('message', ({ id, result, error }: { id?: number; result?: FileMatch; error?: string }) => {
        if (id === undefined) {
          slot.ready = true;
          return resolve();
        }
        const job = slot.jobs.get(id);
        slot.jobs.delete(id);
        if (error !== undefined) job?.reject(new Error(error));
        else job?.resolve(result!);
      });
      worker.on('error', (err) => (failure = err));
      // Messages a worker posted arrive before its exit, so the jobs left are exactly the unanswered ones.
      worker.once('exit', (code) => {
        const detail = failure ? failure.message : `exit code ${code}`;
        if (!slot.ready) reject(new WorkerStoppedError('', detail, { cause: failure }));
        this.stopped(slot, worker, detail, failure);
      });
    });
    // `ready()` reports a start failure; nobody else need await it.
    started.catch(() => undefined);
    return started;
  }

  private stopped(slot: Slot, worker: Worker, detail: string, cause: Error | undefined): void {
    if (this.closing || slot.worker !== worker) return;
    const [current, ...queued] = slot.jobs.values();
    slot.jobs.clear();
    if (!slot.ready) {
      slot.failed = new WorkerStoppedError('', detail, { cause });
      for (const job of [current, ...queued]) job?.reject(new WorkerStoppedError(job.path, detail, { cause }));
      return;
    }
    current?.reject(new WorkerStoppedError(current.path, detail, { cause }));
    void this.start(slot);
    for (const job of queued) this.send(slot, job);
  }
}

/** One worker per core, at most four: beyond that the main thread's recording becomes the limit. */
export function defaultPoolSize(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}
