/** A worker thread that compiles the rules once and matches the files it is sent. */
import { parentPort, workerData } from 'node:worker_threads';
import { RuleEngine } from '../core/rules/engine.js';
import { loadRules, type RuleSource } from '../core/rules/load.js';
import { matchFile } from './match-file.js';

/** The data a match worker starts with. */
export interface MatchWorkerData {
  readonly ruleSources: readonly RuleSource[];
}

const { ruleSources } = workerData as MatchWorkerData;
const engine = new RuleEngine(loadRules(ruleSources).rules);
parentPort!.postMessage({ ready: true });

parentPort!.on('message', async ({ id, path }: { id: number; path: string }) => {
  try {
    parentPort!.postMessage({ id, result: await matchFile(path, engine) });
  } catch (err) {
    parentPort!.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
