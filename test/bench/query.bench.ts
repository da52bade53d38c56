/**
 * Investigations on DuckDB against replay, over the same files: the demo organization's trail
 * (BENCH_DEMO_EVENTS benign events, 210,000 as `npm run demo` by default) is generated once, then
 * replayed with the built-in rules (events/s) and read by DuckDB through the investigations
 * (trail rows/s: every record of the trail read per second of query). Run it alone with
 * `node --import tsx test/bench/query.bench.ts`; `queryFigures` gives the figures to another bench.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bindInvestigation } from '../../central/core/query/bind.js';
import { generateDemoOrganization } from '../../central/demo/generate.js';
import { DuckDbQueryEngine } from '../../central/local/duckdb-query-engine.js';
import { loadInvestigationFolders } from '../../central/local/investigation-files.js';
import { replay } from '../../central/local/replay.js';
import { loadRuleFolders } from '../../central/local/rule-files.js';

/** The figures, for the JSON line of a bench. */
export interface QueryFigures {
  /** Trail records read per second by actor-activity over every account and day. */
  readonly duckdb_trail_rows_per_s: number;
  /** The same for ip-activity, which also reads the (empty here) flow and WAF views. */
  readonly duckdb_ip_activity_rows_per_s: number;
  readonly replay_events_per_s: number;
  readonly duckdb_vs_replay: number;
  readonly duckdb_open_s: number;
}

/** Generates the demo trail under a temporary folder, replays it, queries it, and reports. */
export async function queryFigures(log: (line: string) => void = (l) => process.stdout.write(`${l}\n`), benignEvents = Number(process.env.BENCH_DEMO_EVENTS ?? 210_000)): Promise<QueryFigures> {
  const root = mkdtempSync(join(tmpdir(), 'skywatch-query-bench-'));
  try {
    const demo = await generateDemoOrganization({ outDir: root, benignEvents, network: false });
    log(`investigations over the demo trail: ${demo.events.toLocaleString('en-US')} events in ${demo.files} files, ${demo.accounts.length} accounts`);

    const { rules, sources, correlations } = await loadRuleFolders([], {});
    const t0 = performance.now();
    const report = await replay({ paths: [join(root, 'AWSLogs')], stateDir: join(root, 'state'), rules, ruleSources: sources, correlations });
    const replaySeconds = (performance.now() - t0) / 1000;
    const replayRate = report.events / replaySeconds;
    log(`  replay (${rules.length} rules): ${report.events.toLocaleString('en-US')} events in ${replaySeconds.toFixed(2)} s, ${Math.round(replayRate).toLocaleString('en-US')} events/s`);

    const t1 = performance.now();
    const engine = await DuckDbQueryEngine.open({ root });
    const openSeconds = (performance.now() - t1) / 1000;
    const investigations = loadInvestigationFolders().investigations;
    const accounts = demo.accounts.map((a) => a.id);
    const range = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z'), accounts };
    const rate = async (name: string, parameters: Record<string, string>) => {
      const investigation = investigations.find((q) => q.name === name)!;
      const { query } = bindInvestigation(investigation, { ...range, parameters });
      // Best of two: the machine is shared, and the first run also warms the file cache.
      let best = Infinity;
      let rows = 0;
      for (let i = 0; i < 2; i++) {
        const result = await engine.run(query);
        best = Math.min(best, result.elapsedMs / 1000);
        rows = result.rows.length;
      }
      log(`  duckdb ${name}: ${rows.toLocaleString('en-US')} rows out of ${demo.events.toLocaleString('en-US')} trail records in ${best.toFixed(2)} s, ${Math.round(demo.events / best).toLocaleString('en-US')} records/s`);
      return demo.events / best;
    };
    try {
      const actor = await rate('actor-activity', { actor: 'terraform-execution' });
      const ip = await rate('ip-activity', { ip: '203.0.113.66' });
      log(`  duckdb opened the views in ${openSeconds.toFixed(2)} s; actor-activity reads ${(actor / replayRate).toFixed(1)}x as many records a second as replay decodes and matches`);
      const round = (x: number) => Math.round(x * 1000) / 1000;
      return {
        duckdb_trail_rows_per_s: Math.round(actor),
        duckdb_ip_activity_rows_per_s: Math.round(ip),
        replay_events_per_s: Math.round(replayRate),
        duckdb_vs_replay: round(actor / replayRate),
        duckdb_open_s: round(openSeconds),
      };
    } finally {
      engine.close();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  queryFigures().then((figures) => process.stdout.write(`${JSON.stringify(figures)}\n`), (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
