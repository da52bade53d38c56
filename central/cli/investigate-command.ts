/**
 * `skywatch investigate FINDING_ID`: the investigations a local finding's fields can fill (its actor,
 * key, address, rule), over a window around it and across every account, as one timeline.
 */
import { existsSync } from 'node:fs';
import type { QueryResult } from '../core/ports.js';
import { bindInvestigation } from '../core/query/bind.js';
import { isQueryError } from '../core/query/errors.js';
import { mergeTimeline, planInvestigations, windowAround, type TimelineEntry } from '../core/query/investigate.js';
import type { AsffFinding } from '../core/findings/asff.js';
import type { Investigation } from '../core/query/investigation.js';
import { statePaths } from '../local/replay.js';
import { SqliteStore } from '../local/sqlite-store.js';
import { EXIT } from './exit-codes.js';
import { openEngine, type EngineOptions } from './query-engines.js';
import { loadInvestigationsReporting, runReporting } from './query-command.js';
import { cellText, costLine, queryProgress } from './query-output.js';
import { renderTable } from './table.js';

/** Options of `skywatch investigate`. */
export interface InvestigateCommandOptions extends EngineOptions {
  readonly hours: number;
  readonly json?: boolean;
}

// The columns that say what a timeline row is, in the order they are shown.
const SUMMARY = ['log', 'event_source', 'event_name', 'action', 'rule_id', 'severity', 'title', 'actor', 'source_ip', 'destination', 'peer', 'error_code', 'outcome', 'bytes', 'calls'];

/** The finding with this Id, or the only one whose Id ends with or contains it. */
export function findFinding(findings: readonly AsffFinding[], id: string): AsffFinding | AsffFinding[] | undefined {
  const exact = findings.find((f) => f.Id === id);
  if (exact) return exact;
  const partial = findings.filter((f) => f.Id.endsWith(id) || f.Id.includes(id));
  return partial.length === 1 ? partial[0] : partial.length > 1 ? partial : undefined;
}

/** Runs the investigations that fit the finding and prints their timeline. */
export async function investigateCommand(findingId: string, opts: InvestigateCommandOptions): Promise<number> {
  const { database } = statePaths(opts.state);
  if (!existsSync(database)) {
    process.stderr.write(`skywatch: no state at ${database}; run \`skywatch replay\` or \`skywatch demo\` first\n`);
    return EXIT.usage;
  }
  const store = new SqliteStore(database);
  let found;
  try {
    found = findFinding(store.listFindings(), findingId);
  } finally {
    store.close();
  }
  if (found === undefined || Array.isArray(found)) {
    const why = Array.isArray(found) ? `${found.length} findings match it; give more of the Id (${found.slice(0, 3).map((f) => f.Id).join(', ')}, ...)` : 'no such finding in the local state (`skywatch findings` lists them)';
    process.stderr.write(`skywatch: investigate ${findingId}: ${why}\n`);
    return EXIT.usage;
  }
  const finding = found;
  const { investigations, problems } = loadInvestigationsReporting();
  const planned = planInvestigations(finding, investigations);
  if (planned.length === 0) {
    process.stderr.write(`skywatch: investigate: no investigation fits finding ${finding.Id}: it names no actor, access key, address or rule\n`);
    return EXIT.usage;
  }
  const { from, to } = windowAround(finding, opts.hours);
  return runReporting(`investigate ${findingId}`, async () => {
    // Each query reads the files again: DuckDB reads only the columns a query selects, and reading
    // the trail once into a table (all columns) measured ten times slower than the few queries.
    const open = await openEngine(opts);
    const results: Array<{ investigation: Investigation; parameters: Readonly<Record<string, string>>; result?: QueryResult; error?: string }> = [];
    let failed = 0;
    try {
      for (const { investigation, parameters } of planned) {
        const bound = bindInvestigation(investigation, { parameters, from, to, accounts: open.accounts });
        const progress = queryProgress(`${investigation.name} on ${open.name}`);
        try {
          results.push({ investigation, parameters, result: await open.engine.run(bound.query, { onProgress: (p) => progress.update(p) }) });
        } catch (error) {
          if (!isQueryError(error)) throw error;
          failed++;
          results.push({ investigation, parameters, error: error.message });
          process.stderr.write(`skywatch: ${investigation.name}: ${error.message}\n`);
        } finally {
          progress.done();
        }
      }
    } finally {
      open.close();
    }
    const timeline = mergeTimeline(results.filter((r) => r.result).map((r) => ({ investigation: r.investigation, rows: r.result!.rows })));
    if (opts.json) {
      const runs = results.map((r) => ({ investigation: r.investigation.name, parameters: r.parameters, ...(r.result ? { rows: r.result.rows.length, elapsedMs: r.result.elapsedMs, ...(r.result.bytesScanned !== undefined && { bytesScanned: r.result.bytesScanned, costUsd: r.result.costUsd }) } : { error: r.error }) }));
      process.stdout.write(`${JSON.stringify({ finding: finding.Id, from: from.toISOString(), to: to.toISOString(), accounts: open.accounts, investigations: runs, timeline })}\n`);
    } else {
      process.stdout.write(report(finding, from, to, open.accounts, results, timeline));
    }
    return failed || problems ? EXIT.partial : EXIT.ok;
  });
}

function report(finding: AsffFinding, from: Date, to: Date, accounts: readonly string[], results: ReadonlyArray<{ investigation: Investigation; parameters: Readonly<Record<string, string>>; result?: QueryResult; error?: string }>, timeline: readonly TimelineEntry[]): string {
  const lines = [
    `${finding.Severity.Label} ${finding.Title}`,
    `  ${finding.Id}`,
    `  window ${from.toISOString()} to ${to.toISOString()}, ${accounts.length} accounts`,
    '',
    ...results.map((r) => `  ${r.investigation.name} ${Object.entries(r.parameters).map(([k, v]) => `${k}=${v}`).join(' ')}: ${r.result ? costLine(r.result) : `failed: ${r.error}`}`),
    '',
  ];
  const seenIn = new Set(timeline.map((e) => e.account));
  const rows = timeline.map((e) => [e.time.replace('.000Z', 'Z'), e.account, e.region, e.investigations.join(','), summary(e)]);
  lines.push(rows.length ? renderTable(['TIME', 'ACCOUNT', 'REGION', 'FOUND BY', 'WHAT'], rows, 110) : 'No activity in the window.');
  lines.push('', `${timeline.length} events in ${seenIn.size} account${seenIn.size === 1 ? '' : 's'}: ${[...seenIn].sort().join(', ')}`, '');
  return lines.join('\n');
}

function summary(entry: TimelineEntry): string {
  return SUMMARY.filter((c) => entry.row[c] !== undefined && entry.row[c] !== null && entry.row[c] !== '').map((c) => cellText(entry.row[c])).join('  ');
}
