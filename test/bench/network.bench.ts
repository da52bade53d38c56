/**
 * Network statistics figures for `npm run bench`: flow records through decode, aggregation and
 * detection against bare line splitting of the same lines, measured in the same run (decompression
 * untimed on both sides), and the peak memory of a million distinct sources, measured in a child
 * process so the bench's own memory does not count.
 *
 * The pipeline is measured as `skywatch replay` runs it on a machine with more than one core: the
 * streams counted on worker threads (NetworkPool, one per core), the windows judged on the main
 * thread. The same work on one thread is printed beside it.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { decodeFlowLog } from '../../central/core/netlogs/flow-log.js';
import { layoutOfPath } from '../../central/core/netlogs/log-layout.js';
import { MemoryStateStore } from '../../central/core/state/memory-store.js';
import { NetworkStatistics } from '../../central/core/statistics/network-statistics.js';
import { listInputs } from '../../central/local/files.js';
import { defaultPoolSize } from '../../central/local/match-pool.js';
import { interleaveStreams, NetworkPool, streamOfLayout, type NetworkCounted } from '../../central/local/network-pool.js';
import { loadStatisticsFolders } from '../../central/local/statistics-files.js';
import { writeFlowCorpus } from './flow-corpus.js';

/** The figures this file adds to the bench's JSON line. */
export interface NetworkFigures {
  readonly flow_pipeline_vs_split: number;
  readonly flow_records_per_s: number;
  /** Worker threads the pipeline counted on. */
  readonly flow_threads: number;
  readonly flow_one_thread_vs_split: number;
  readonly split_records_per_s: number;
  readonly statistics_peak_rss_mb_1m_sources: number;
}

const CLOCK = { now: () => new Date('2026-11-12T00:00:00Z') };
const MEMORY_CHILD = fileURLToPath(new URL('./statistics-memory.child.ts', import.meta.url));

/** Writes the corpus under `root`, measures both rates (best of two rounds each) and the memory figure. */
export async function networkFigures(root: string, records: number, log: (line: string) => void): Promise<NetworkFigures> {
  const corpus = join(root, 'flow');
  log(`generating about ${records.toLocaleString('en-US')} VPC Flow Logs records…`);
  const written = writeFlowCorpus(corpus, records);
  const files = (await listInputs([corpus])).files.map((f) => f.path).sort();
  log(`network statistics over ${written.records.toLocaleString('en-US')} flow records in ${written.files} files:`);
  const split: number[] = [];
  const pipeline: number[] = [];
  const inline: number[] = [];
  const threads = defaultPoolSize();
  // Alternated, best of two on each side: this machine is shared, so one pass can be slow.
  for (let round = 1; round <= 2; round++) {
    split.push(splitRate(files));
    pipeline.push(await threadedRate(files, threads, log, round));
    inline.push(await pipelineRate(files, log, round));
  }
  const splitBest = Math.max(...split);
  const pipelineBest = Math.max(...pipeline);
  const inlineBest = Math.max(...inline);
  log(`  bare line splitting: ${Math.round(splitBest).toLocaleString('en-US')} records/s`);
  log(`  decode + aggregate + detect, ${threads} worker thread${threads === 1 ? '' : 's'}: ${Math.round(pipelineBest).toLocaleString('en-US')} records/s (${(pipelineBest / splitBest).toFixed(3)} of splitting)`);
  log(`  decode + aggregate + detect, one thread: ${Math.round(inlineBest).toLocaleString('en-US')} records/s (${(inlineBest / splitBest).toFixed(3)} of splitting)`);
  const rss = peakRssOfMillionSources();
  log(`  1,000,000 distinct sources through the flow detectors: peak RSS ${rss} MB (child process)`);
  return {
    flow_pipeline_vs_split: Math.round((pipelineBest / splitBest) * 1000) / 1000,
    flow_records_per_s: Math.round(pipelineBest),
    flow_threads: threads,
    flow_one_thread_vs_split: Math.round((inlineBest / splitBest) * 1000) / 1000,
    split_records_per_s: Math.round(splitBest),
    statistics_peak_rss_mb_1m_sources: rss,
  };
}

/** Records per second of `split('\n')` and each line's `split(' ')`, the least a line reader does. */
function splitRate(files: readonly string[]): number {
  let ms = 0;
  let records = 0;
  let tokens = 0;
  for (const file of files) {
    const text = gunzipSync(readFileSync(file)).toString('utf8');
    const t = performance.now();
    const lines = text.split('\n');
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      if (line === '') continue;
      tokens += line.split(' ').length;
      records++;
    }
    ms += performance.now() - t;
  }
  // Reading the token count keeps the splits from being optimised away.
  if (tokens < records) throw new Error('bench: split fewer tokens than lines');
  return records / (ms / 1000);
}

/**
 * Records per second of the gunzipped texts counted on `threads` worker threads, each account's
 * and region's files on one of them, and the closed windows judged here, `finish` included.
 */
async function threadedRate(files: readonly string[], threads: number, log: (line: string) => void, round: number): Promise<number> {
  const { detectors } = loadStatisticsFolders();
  const list = detectors.map((d) => d.detector);
  const texts = interleaveStreams(files, (file) => streamOfLayout(layoutOfPath(file)!)).map((file) => ({ file, layout: layoutOfPath(file)!, text: gunzipSync(readFileSync(file)).toString('utf8') }));
  const pool = new NetworkPool(list, threads);
  try {
    await pool.ready();
    const statistics = new NetworkStatistics({ detectors: list, state: new MemoryStateStore(), clock: CLOCK });
    let records = 0;
    let findings = 0;
    const t = performance.now();
    // As replay does: streams taking turns, a few files in flight per thread, answers taken in that order.
    const inflight: Array<Promise<NetworkCounted>> = [];
    let next = 0;
    const fill = () => {
      while (inflight.length < threads * 4 && next < texts.length) {
        const { file, layout, text } = texts[next++]!;
        inflight.push(pool.readText(file, text, layout));
      }
    };
    fill();
    while (inflight.length > 0) {
      const counted = await inflight.shift()!;
      fill();
      if (counted.problems.length) throw new Error(`bench flow file has problems: ${JSON.stringify(counted.problems[0])}`);
      records += counted.records;
      await statistics.addClosed(counted.closed, counted.records);
      findings += statistics.take().length;
    }
    for (const end of await pool.flush()) await statistics.addClosed(end.closed, 0);
    findings += (await statistics.finish()).length;
    const ms = performance.now() - t;
    const { windows, anomalies } = statistics.summary;
    log(`  pipeline on ${threads} threads (${round}): ${records.toLocaleString('en-US')} records in ${(ms / 1000).toFixed(2)} s, ${windows} windows, ${anomalies} anomalies, ${findings} finding versions`);
    return records / (ms / 1000);
  } finally {
    await pool.close();
  }
}

/** Records per second of decoding the gunzipped text and counting it through every flow detector on this thread, `finish` included. */
async function pipelineRate(files: readonly string[], log: (line: string) => void, round: number): Promise<number> {
  const { detectors, problems } = loadStatisticsFolders();
  if (problems.length) throw new Error(`bench statistics detectors failed to load: ${JSON.stringify(problems[0])}`);
  const statistics = new NetworkStatistics({ detectors: detectors.map((d) => d.detector), state: new MemoryStateStore(), clock: CLOCK });
  let ms = 0;
  let records = 0;
  let findings = 0;
  for (const file of files) {
    const text = gunzipSync(readFileSync(file)).toString('utf8');
    const layout = layoutOfPath(file);
    const origin = { account: layout?.account, region: layout?.region };
    const t = performance.now();
    const decoded = decodeFlowLog(file, text, origin);
    await statistics.add(decoded.records);
    findings += statistics.take().length;
    ms += performance.now() - t;
    if (decoded.problems.length) throw new Error(`bench flow file has problems: ${JSON.stringify(decoded.problems[0])}`);
    records += decoded.records.length;
  }
  const t = performance.now();
  findings += (await statistics.finish()).length;
  ms += performance.now() - t;
  const { windows, anomalies } = statistics.summary;
  log(`  pipeline on one thread (${round}): ${records.toLocaleString('en-US')} records in ${(ms / 1000).toFixed(2)} s, ${windows} windows, ${anomalies} anomalies, ${findings} finding versions`);
  return records / (ms / 1000);
}

/** Peak RSS in MB of a child process pushing a million distinct sources through the flow detectors. */
function peakRssOfMillionSources(): number {
  const out = execFileSync(process.execPath, ['--import', 'tsx', MEMORY_CHILD], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const last = out.trim().split('\n').at(-1) ?? '';
  const parsed = JSON.parse(last) as { maxRssMb: number };
  return parsed.maxRssMb;
}
