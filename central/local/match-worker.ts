/**
 * A worker thread that compiles the rules once and matches the files it is sent, one at a time:
 * that bounds its memory to the input it decodes (and the next one, read meanwhile so the thread
 * does not wait on the disk), and tells the pool which file it was on if it ever stops.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { InputLimits } from '../core/decode/limits.js';
import { RuleEngine } from '../core/rules/engine.js';
import { loadRules, type RuleSource } from '../core/rules/load.js';
import { matchInput, readInput, type ReadInput } from './match-file.js';
import { compileIocLists, type IocPoolLists } from './statistics-files.js';

/** The data a match worker starts with. */
export interface MatchWorkerData {
  readonly ruleSources: readonly RuleSource[];
  readonly limits: InputLimits;
  /** IOC lists to match on CloudTrail events, compiled here as on the main thread. */
  readonly ioc?: IocPoolLists;
}

const { ruleSources, limits, ioc: iocLists } = workerData as MatchWorkerData;
const engine = new RuleEngine(loadRules(ruleSources).rules);
const ioc = iocLists ? compileIocLists(iocLists) : undefined;
parentPort!.postMessage({ ready: true });

interface Job {
  readonly id: number;
  readonly path: string;
  read?: Promise<ReadInput>;
}

/** Jobs in arrival order; the first is the one being decoded. Reading never throws, so it may run ahead. */
const jobs: Job[] = [];
let busy = false;

parentPort!.on('message', (job: { id: number; path: string }) => {
  jobs.push({ ...job });
  void next();
});

async function next(): Promise<void> {
  // The current file and the one after it are read; the rest wait their turn.
  for (const job of jobs.slice(0, 2)) job.read ??= readInput(job.path, limits);
  if (busy || jobs.length === 0) return;
  busy = true;
  const { id, path, read } = jobs[0]!;
  try {
    parentPort!.postMessage({ id, result: await matchInput(path, await read!, engine, limits, ioc) });
  } catch (err) {
    parentPort!.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
  jobs.shift();
  busy = false;
  void next();
}
