/**
 * `npm run bench`: the pipeline against bare JSON.parse of the same records, measured in the same
 * run, matching with 10, 100 and 1,000 rules, behaviour baselines (behaviour.bench.ts), network
 * statistics (network.bench.ts), and the investigations on DuckDB against replay (query.bench.ts).
 * The last line is one JSON object of figures.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { decodeInput } from '../../central/core/decode/log-object.js';
import type { SecurityEvent } from '../../central/core/event.js';
import { matchEvents } from '../../central/core/detector.js';
import { RuleEngine } from '../../central/core/rules/engine.js';
import { loadRules, type RuleSource } from '../../central/core/rules/load.js';
import type { CompiledCorrelation } from '../../central/core/correlation/compile.js';
import { isCorrelationFinding } from '../../central/core/correlation/finding.js';
import { loadRuleFolders } from '../../central/local/rule-files.js';
import { listInputs } from '../../central/local/files.js';
import { MatchPool } from '../../central/local/match-pool.js';
import { replay } from '../../central/local/replay.js';
import { writeCorpus } from './corpus.js';
import { generatedRules } from './generated-rules.js';
import { behaviourFigures } from './behaviour.bench.js';
import { networkFigures } from './network.bench.js';
import { queryFigures } from './query.bench.js';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const SCALING_RECORDS = 200_000;
const MATCH_EVENTS = 50_000;
const log = (line: string) => process.stdout.write(line + '\n');

async function filesBelow(dir: string): Promise<string[]> {
  return (await listInputs([dir])).files.map((f) => f.path);
}

/** Events per second of JSON.parse alone over the decompressed documents (decompression untimed). */
function parseRate(files: readonly string[]): number {
  let ms = 0;
  let records = 0;
  for (const file of files) {
    const text = gunzipSync(readFileSync(file)).toString('utf8');
    const t = performance.now();
    const doc = JSON.parse(text) as { Records: unknown[] };
    ms += performance.now() - t;
    records += doc.Records.length;
  }
  return records / (ms / 1000);
}

/** Events per second of a replay. With `warm`, the worker pool is started and compiled before timing. */
async function pipelineRate(corpus: string, rules: RuleSource[], label: string, warm = false, correlations: readonly CompiledCorrelation[] = []): Promise<number> {
  return (await pipelineRun(corpus, rules, label, warm, correlations)).rate;
}

/** One replay: its rate, and the seconds spent correlating at the end. */
async function pipelineRun(corpus: string, rules: RuleSource[], label: string, warm = false, correlations: readonly CompiledCorrelation[] = []): Promise<{ rate: number; seconds: number; correlationSeconds: number }> {
  const { rules: compiled, problems } = loadRules(rules);
  if (problems.length) throw new Error(`bench rules failed to load: ${JSON.stringify(problems[0])}`);
  const state = mkdtempSync(join(tmpdir(), 'skywatch-bench-state-'));
  const started = performance.now();
  const pool = warm ? new MatchPool(rules) : undefined;
  await pool?.ready();
  const compileMs = performance.now() - started;
  try {
    const t = performance.now();
    const report = await replay({ paths: [corpus], stateDir: state, rules: compiled, ruleSources: rules, pool, correlations });
    const seconds = (performance.now() - t) / 1000;
    const warmNote = warm ? ` (workers started and compiled the rules in ${Math.round(compileMs)} ms, untimed)` : '';
    const correlated = report.findings.filter(isCorrelationFinding).length;
    const correlationNote = correlations.length ? ` (${correlated} correlation; correlating ${report.correlation.observations} observations took ${report.correlation.seconds.toFixed(2)} s)` : '';
    log(`  ${label}: ${report.events.toLocaleString('en-US')} events in ${seconds.toFixed(2)} s, ${report.findings.length} findings${correlationNote}${warmNote}`);
    return { rate: report.events / seconds, seconds, correlationSeconds: report.correlation.seconds };
  } finally {
    await pool?.close();
    rmSync(state, { recursive: true, force: true });
  }
}

/** Matching alone (no decoding), best of three passes over the same decoded events. */
function matchSeconds(events: readonly SecurityEvent[], rules: RuleSource[]): number {
  const engine = new RuleEngine(loadRules(rules).rules);
  let best = Infinity;
  for (let pass = 0; pass < 3; pass++) {
    const t = performance.now();
    matchEvents(engine, events);
    best = Math.min(best, (performance.now() - t) / 1000);
  }
  return best;
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'skywatch-bench-'));
  const corpus = join(root, 'corpus');
  const scaling = join(root, 'scaling');
  try {
    log(`generating ${RECORDS.toLocaleString('en-US')} CloudTrail records…`);
    const { pairs } = writeCorpus(corpus, RECORDS);
    writeCorpus(scaling, Math.min(SCALING_RECORDS, RECORDS));
    const files = await filesBelow(corpus);

    const parse = parseRate(files);
    log(`  bare JSON.parse: ${Math.round(parse).toLocaleString('en-US')} events/s`);
    const { sources: builtin, correlations } = loadRuleFolders();
    const pipeline = await pipelineRate(corpus, builtin, `pipeline (${builtin.length} built-in rules)`);
    // Correlation's cost, two ways: runs with and without the built-in correlation rules, alternated
    // and the best of two kept on each side (this machine is shared, so one run can be slow); and,
    // within the runs with them, the time correlating took against the whole replay.
    const runs = { without: [] as number[], with: [] as number[], share: [] as number[] };
    for (let round = 1; round <= 2; round++) {
      runs.with.push((await pipelineRun(corpus, builtin, `pipeline with ${correlations.length} correlation rules (${round})`, false, correlations)).seconds);
      const run = await pipelineRun(corpus, builtin, `pipeline without correlation (${round})`);
      runs.without.push(run.seconds);
    }
    const last = await pipelineRun(corpus, builtin, 'pipeline with correlation, for its share of the time', false, correlations);
    runs.share.push(last.correlationSeconds / last.seconds);
    const withSeconds = Math.min(...runs.with, last.seconds);
    const withoutSeconds = Math.min(...runs.without);
    log(`  correlation: best ${withSeconds.toFixed(2)} s with, ${withoutSeconds.toFixed(2)} s without; correlating was ${(runs.share[0]! * 100).toFixed(1)}% of a replay with it`);

    const behaviour = await behaviourFigures(corpus, builtin, log);

    log('rule scaling over the same records:');
    const byCount = new Map<number, number>();
    for (const count of [10, 100, 1000]) byCount.set(count, await pipelineRate(scaling, generatedRules(count, pairs), `${count} generated rules`, true));

    const events: SecurityEvent[] = [];
    for (const file of await filesBelow(scaling)) {
      if (events.length >= MATCH_EVENTS) break;
      events.push(...(await decodeInput(file, readFileSync(file))).events);
    }
    const match10 = matchSeconds(events, generatedRules(10, pairs));
    const match1000 = matchSeconds(events, generatedRules(1000, pairs));
    log(`  matching only, ${events.length.toLocaleString('en-US')} events: 10 rules ${(match10 * 1000).toFixed(1)} ms, 1,000 rules ${(match1000 * 1000).toFixed(1)} ms`);

    // Taken before the network figures, so it stays the CloudTrail pipeline's peak.
    const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    const network = await networkFigures(root, RECORDS, log);
    const query = await queryFigures(log);

    const figures = {
      pipeline_vs_parse: round(pipeline / parse),
      rules_1000_vs_10: round(byCount.get(10)! / byCount.get(1000)!),
      match_only_1000_vs_10: round(match1000 / match10),
      peak_rss_mb: peakRssMb,
      events_per_s: Math.round(pipeline),
      correlation_time_vs_without: round(withSeconds / withoutSeconds),
      correlation_share_of_pipeline: round(runs.share[0]!),
      ...behaviour,
      ...network,
      ...query,
    };
    log(JSON.stringify(figures));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const round = (x: number) => Math.round(x * 1000) / 1000;
await main();
