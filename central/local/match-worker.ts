/**
 * A worker thread that compiles the rules once and matches the files it is sent, one at a time:
 * that bounds its memory to one input, and tells the pool which file it was on if it ever stops.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { InputLimits } from '../core/decode/limits.js';
import { RuleEngine } from '../core/rules/engine.js';
import { loadRules, type RuleSource } from '../core/rules/load.js';
import { matchFile } from './match-file.js';

/** The data a match worker starts with. */
export interface MatchWorkerData {
  readonly ruleSources: readonly RuleSource[];
  readonly limits: InputLimits;
}

const { ruleSources, limits } = workerData as MatchWorkerData;
const engine = new RuleEngine(loadRules(ruleSources).rules);
parentPort!.postMessage({ ready: true });

let queue = Promise.resolve();
parentPort!.on('message', (job: { id: number; path: string }) => {
  queue = queue.then(() => answer(job));
});

async function answer({ id, path }: { id: number; path: string }): Promise<void> {
  try {
    parentPort!.postMessage({ id, result: await matchFile(path, engine, limits) });
  } catch (err) {
    parentPort!.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
}
