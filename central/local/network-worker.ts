/**
 * A worker thread that decodes the network log files of the streams (account and region) it is
 * given and counts them into the statistics detectors' windows, one file at a time in the order
 * sent: a stream's windows close in its files' order, exactly as on one thread. It answers each
 * file with the windows that closed and the records' IOC hits; the baselines are judged by the
 * main thread, which holds the state.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { InputProblem } from '../core/decode/input-problem.js';
import type { InputLimits } from '../core/decode/limits.js';
import { networkIocSightings } from '../core/ioc/record-sightings.js';
import { decodeFlowLog } from '../core/netlogs/flow-log.js';
import type { NetworkLayout } from '../core/netlogs/log-layout.js';
import { decodeWafLog } from '../core/netlogs/waf-log.js';
import type { StatisticsDetector } from '../core/statistics/definition.js';
import { NetworkWindows } from '../core/statistics/network-windows.js';
import { decodeNetworkBytes, deliveryOrigin, readNetworkBytes, type NetworkFileRead } from './network-files.js';
import type { NetworkCounted, NetworkJob } from './network-pool.js';
import { compileIocLists, type IocPoolLists } from './statistics-files.js';

/** The data a network worker starts with. */
export interface NetworkWorkerData {
  readonly detectors: readonly StatisticsDetector[];
  readonly limits: InputLimits;
  readonly ioc?: IocPoolLists;
}

const { detectors, limits, ioc: iocLists } = workerData as NetworkWorkerData;
const windows = new NetworkWindows(detectors);
const ioc = iocLists ? compileIocLists(iocLists) : undefined;
parentPort!.postMessage({ ready: true });

// Jobs are counted strictly one after another, in arrival order: windows depend on it. A file's
// bytes are read as soon as its job arrives (the pool keeps only a few in flight), so the thread
// never waits on the disk between small files.
let queue = Promise.resolve();
parentPort!.on('message', (job: NetworkJob) => {
  const bytes = job.kind === 'file' ? readNetworkBytes(job.path, limits) : undefined;
  queue = queue.then(() => run(job, bytes));
});

async function run(job: NetworkJob, bytes: Promise<Buffer | InputProblem> | undefined): Promise<void> {
  try {
    parentPort!.postMessage({ id: job.id, result: await counted(job, bytes) });
  } catch (err) {
    parentPort!.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err) });
  }
}

async function counted(job: NetworkJob, bytes: Promise<Buffer | InputProblem> | undefined): Promise<NetworkCounted> {
  if (job.kind === 'flush') return { records: 0, problems: [], closed: windows.flush(), sightings: [] };
  const read = job.kind === 'file' ? await decodeNetworkBytes(job.path, await bytes!, job.layout, limits) : decodeText(job.name, job.text, job.layout);
  return {
    records: read.records.length,
    problems: read.problems,
    closed: windows.add(read.records),
    sightings: ioc ? networkIocSightings(read.records, ioc) : [],
  };
}

function decodeText(name: string, text: string, layout: NetworkLayout): NetworkFileRead {
  const origin = deliveryOrigin(layout);
  return layout.kind === 'flow' ? decodeFlowLog(name, text, origin) : decodeWafLog(name, text, origin);
}
