/**
 * Matches files on several threads: decoding (gunzip, UTF-8, JSON) dominates a replay, and it is
 * independent per file. Results come back in submission order, so replays stay deterministic.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { RuleSource } from '../core/rules/load.js';
import type { FileMatch } from './match-file.js';

const WORKER_ENTRY = new URL('./match-worker.mjs', import.meta.url);

interface Pending {
  resolve(result: FileMatch): void;
  reject(error: Error): void;
}

/** A fixed set of worker threads, each holding the compiled rules. */
export class MatchPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private turn = 0;
  private readonly started: Array<Promise<void>> = [];

  constructor(ruleSources: readonly RuleSource[], readonly size = defaultPoolSize()) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(WORKER_ENTRY, { workerData: { ruleSources } });
      this.started.push(new Promise((resolve, reject) => {
        worker.once('message', () => resolve());
        worker.once('error', reject);
      }));
      worker.on('message', ({ id, result, error }: { id: number; result?: FileMatch; error?: string }) => {
        if (id === undefined) return; // the ready signal
        const p = this.pending.get(id);
        this.pending.delete(id);
        if (error !== undefined) p?.reject(new Error(error));
        else p?.resolve(result!);
      });
      worker.on('error', (err) => this.failAll(err));
      this.workers.push(worker);
    }
  }

  /** Resolves once every worker has compiled its rules. */
  async ready(): Promise<void> {
    await Promise.all(this.started);
  }

  /** Matches one file on the next worker. */
  match(path: string): Promise<FileMatch> {
    const id = this.nextId++;
    const worker = this.workers[this.turn++ % this.workers.length]!;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, path });
    });
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}

/** One worker per core, at most four: beyond that the main thread's recording becomes the limit. */
export function defaultPoolSize(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}
