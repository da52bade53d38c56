/**
 * Counts network log files on several threads. Reading every record into the detectors' windows is
 * the costly part of network statistics and it is independent per stream (an account and region:
 * windows, baselines and peers never mix streams), so each stream is given to one worker, which
 * counts its files in the order they are sent. The main thread judges the windows that close,
 * against baselines in its state, in file order: the same findings as one thread gives.
 *
 * A worker that stops fails the file it was on and every later file of its streams, each by name:
 * their windows were on that thread, so going on elsewhere would count them from nothing.
 */
import { Worker } from 'node:worker_threads';
import type { InputProblem } from '../core/decode/input-problem.js';
import { DEFAULT_INPUT_LIMITS, type InputLimits } from '../core/decode/limits.js';
import type { IocSightingData } from '../core/ioc/record-sightings.js';
import type { NetworkLayout } from '../core/netlogs/log-layout.js';
import type { ClosedWindow } from '../core/statistics/accumulator.js';
import type { StatisticsDetector } from '../core/statistics/definition.js';
import { WorkerStoppedError } from './match-pool.js';
import type { NetworkWorkerData } from './network-worker.js';
import type { IocPoolLists } from './statistics-files.js';

const WORKER_ENTRY = new URL('./network-worker.mjs', import.meta.url);

/** What a worker made of one file (or of the end of the input): plain data. */
export interface NetworkCounted {
  readonly records: number;
  readonly problems: InputProblem[];
  /** Windows the file's records closed, each stream's in time order. */
  readonly closed: ClosedWindow[];
  /** The records' IOC hits. */
  readonly sightings: IocSightingData[];
}

/** What a worker is asked to do. */
export type NetworkTask =
  | { readonly kind: 'file'; readonly path: string; readonly layout: NetworkLayout }
  | { readonly kind: 'text'; readonly name: string; readonly text: string; readonly layout: NetworkLayout }
  | { readonly kind: 'flush' };

/** A message to a worker: a task and the id its answer carries. */
export type NetworkJob = NetworkTask & { readonly id: number };

/** How a pool runs. */
export interface NetworkPoolOptions {
  readonly limits?: InputLimits;
  /** IOC lists each worker matches every record on. */
  readonly ioc?: IocPoolLists;
  /** The worker script; tests pass one that misbehaves. */
  readonly entry?: URL;
}

interface Pending {
  readonly label: string;
  resolve(result: NetworkCounted): void;
  reject(error: Error): void;
}

interface Slot {
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
  /** Set once the worker stopped: its streams cannot go on. */
  stopped?: string;
  streams: number;
}

/**
 * The files in an order that takes turns between streams, each stream's files kept in their order.
 * Answers are taken in the order files are sent, a few in flight: files sorted by path come one
 * stream after another, which would keep every file in flight on one worker while the others wait.
 */
export function interleaveStreams<T>(files: readonly T[], streamOf: (file: T) => string): T[] {
  const streams = new Map<string, T[]>();
  for (const f of files) {
    const id = streamOf(f);
    let list = streams.get(id);
    if (!list) streams.set(id, (list = []));
    list.push(f);
  }
  const lists = [...streams.values()];
  const out: T[] = [];
  for (let i = 0; out.length < files.length; i++) for (const list of lists) if (i < list.length) out.push(list[i]!);
  return out;
}

/** The stream of a network file whose path names its account and region. */
export const streamOfLayout = (layout: NetworkLayout): string => `${layout.account}/${layout.region}`;

/** A fixed set of worker threads, each owning the windows of the streams routed to it. */
export class NetworkPool {
  private readonly slots: Slot[] = [];
  private readonly started: Array<Promise<void>> = [];
  /** Which slot counts each stream. */
  private readonly routes = new Map<string, Slot>();
  private nextId = 0;
  private closing = false;

  constructor(detectors: readonly StatisticsDetector[], readonly size: number, options: NetworkPoolOptions = {}) {
    if (!(size >= 1)) throw new RangeError(`a network pool needs at least one thread, got ${size}`);
    const workerData: NetworkWorkerData = { detectors, limits: options.limits ?? DEFAULT_INPUT_LIMITS, ...(options.ioc && { ioc: options.ioc }) };
    for (let i = 0; i < size; i++) {
      const worker = new Worker(options.entry ?? WORKER_ENTRY, { workerData });
      const slot: Slot = { worker, pending: new Map(), streams: 0 };
      this.slots.push(slot);
      this.started.push(this.watch(slot));
    }
  }

  /** Resolves once every worker has compiled its detectors and lists; rejects if one stopped first. */
  async ready(): Promise<void> {
    await Promise.all(this.started);
  }

  /** Counts one file on its stream's worker; the layout must name the account and region. */
  read(path: string, layout: NetworkLayout): Promise<NetworkCounted> {
    return this.send(this.slotOf(layout, path), path, { kind: 'file', path, layout });
  }

  /** Counts a file's text already in memory (benchmarks, tests), as `read` does. */
  readText(name: string, text: string, layout: NetworkLayout): Promise<NetworkCounted> {
    return this.send(this.slotOf(layout, name), name, { kind: 'text', name, text, layout });
  }

  /** Closes every worker's open windows (the end of the input); one answer per worker. */
  flush(): Promise<NetworkCounted[]> {
    return Promise.all(this.slots.map((slot) => this.send(slot, 'the end of the network logs', { kind: 'flush' })));
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  /** The stream's worker: the one with the fewest streams when the stream is first seen. */
  private slotOf(layout: NetworkLayout, input: string): Slot {
    if (!layout.account || !layout.region) throw new Error(`${input}: a network pool counts files whose path names their account and region; count this one on one thread`);
    const stream = streamOfLayout(layout);
    let slot = this.routes.get(stream);
    if (!slot) {
      slot = this.slots.reduce((a, b) => (b.streams < a.streams ? b : a));
      slot.streams++;
      this.routes.set(stream, slot);
    }
    return slot;
  }

  private send(slot: Slot, label: string, task: NetworkTask): Promise<NetworkCounted> {
    if (slot.stopped) return Promise.reject(new WorkerStoppedError(label, slot.stopped));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { label, resolve, reject });
      slot.worker.postMessage({ ...task, id });
    });
  }

  /** Wires a worker's answers; resolves once it is ready, rejects if it stops first. */
  private watch(slot: Slot): Promise<void> {
    const { worker } = slot;
    let failure: Error | undefined;
    let ready = false;
    const started = new Promise<void>((resolve, reject) => {
      worker.on('message', ({ id, result, error }: { id?: number; result?: NetworkCounted; error?: string }) => {
        if (id === undefined) {
          ready = true;
          return resolve();
        }
        const job = slot.pending.get(id);
        slot.pending.delete(id);
        if (error !== undefined) job?.reject(new Error(error));
        else job?.resolve(result!);
      });
      worker.on('error', (err) => (failure = err));
      // Answers a worker posted arrive before its exit, so what is pending is exactly what it never answered.
      worker.once('exit', (code) => {
        const detail = failure ? failure.message : `exit code ${code}`;
        if (!ready) reject(new WorkerStoppedError('', detail, { cause: failure }));
        if (this.closing) return;
        slot.stopped = detail;
        for (const job of slot.pending.values()) job.reject(new WorkerStoppedError(job.label, detail, { cause: failure }));
        slot.pending.clear();
      });
    });
    started.catch(() => undefined);
    return started;
  }
}
