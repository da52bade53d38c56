/** `skywatch query list` and `skywatch query run`: the investigations of rules/queries/, on DuckDB or Athena. */
import { bindInvestigation, defaultRange, InvestigationInputError, parseTime, resolveParameters } from '../core/query/bind.js';
import { QueryBytesLimitError, QueryCancelledError, QueryFailedError, QueryThrottledError, QueryTimeoutError } from '../core/query/errors.js';
import type { Investigation } from '../core/query/investigation.js';
import { problemLocation } from '../core/rules/load.js';
import { loadInvestigationFolders } from '../local/investigation-files.js';
import { EXIT } from './exit-codes.js';
import { EngineSetupError, openEngine, type EngineOptions } from './query-engines.js';
import { costLine, queryProgress, resultCsv, resultTable } from './query-output.js';
import { renderTable } from './table.js';

/** Loads the investigations, printing each file that did not load. */
export function loadInvestigationsReporting(): { investigations: Investigation[]; problems: number } {
  const { investigations, problems } = loadInvestigationFolders();
  for (const p of problems) process.stderr.write(`skywatch: investigation error: ${problemLocation(p)}: ${p.reason}\n`);
  return { investigations, problems: problems.length };
}

/** `skywatch query list`. */
export function queryListCommand(opts: { readonly json?: boolean }): number {
  const { investigations, problems } = loadInvestigationsReporting();
  const code = problems ? EXIT.partial : EXIT.ok;
  if (opts.json) {
    const listed = investigations.map((q) => ({ name: q.name, title: q.title, description: q.description, tables: q.tables, parameters: q.parameters, pivot: q.pivot, window: `${q.windowMs / 3_600_000}h`, file: q.file }));
    process.stdout.write(`${JSON.stringify(listed)}\n`);
    return code;
  }
  const parameters = (q: Investigation) => q.parameters.map((p) => (p.default === undefined ? `${p.name} (${p.type})` : `[${p.name}]`)).join(' ');
  process.stdout.write(`${renderTable(['NAME', 'PARAMETERS', 'TABLES', 'TITLE'], investigations.map((q) => [q.name, parameters(q), q.tables.join(','), q.title]), 70)}\n`);
  process.stdout.write(`\n${investigations.length} investigations; every one also takes --from, --to and --accounts. [name]: optional.\n`);
  return code;
}

/** Options of `skywatch query run`. */
export interface QueryRunCommandOptions extends EngineOptions {
  readonly param?: readonly string[];
  readonly from?: string;
  readonly to?: string;
  readonly json?: boolean;
  readonly csv?: boolean;
}

/** Parses `--param k=v` options into a map, naming the one that is not `k=v`. */
export function parameterMap(params: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of params) {
    const at = p.indexOf('=');
    if (at <= 0) throw new InvestigationInputError(p, 'expected --param name=value');
    out[p.slice(0, at)] = p.slice(at + 1);
  }
  return out;
}

/** `skywatch query run NAME`. */
export async function queryRunCommand(name: string, opts: QueryRunCommandOptions): Promise<number> {
  const { investigations, problems } = loadInvestigationsReporting();
  const investigation = investigations.find((q) => q.name === name);
  if (!investigation) {
    process.stderr.write(`skywatch: no investigation "${name}" (known: ${investigations.map((q) => q.name).join(', ')})\n`);
    return EXIT.usage;
  }
  return runReporting(name, async () => {
    const parameters = parameterMap(opts.param ?? []);
    const now = new Date();
    const range = defaultRange(investigation, opts.engine, now);
    const from = opts.from ? parseTime('from', opts.from, now) : range.from;
    const to = opts.to ? parseTime('to', opts.to, now) : opts.from && opts.engine === 'athena' ? new Date(from.getTime() + investigation.windowMs) : range.to;
    // Checked before the engine opens: a wrong value costs nothing.
    resolveParameters(investigation, parameters);
    if (to <= from) throw new InvestigationInputError('to', `must be after from (${from.toISOString()})`);
    const open = await openEngine(opts);
    try {
      const bound = bindInvestigation(investigation, { parameters, from, to, accounts: open.accounts });
      const progress = queryProgress(`${name} on ${open.name}`);
      let result;
      try {
        result = await open.engine.run(bound.query, { onProgress: (p) => progress.update(p) });
      } finally {
        progress.done();
      }
      if (opts.json) process.stdout.write(`${JSON.stringify({ investigation: name, parameters: bound.values, from: from.toISOString(), to: to.toISOString(), accounts: open.accounts, columns: result.columns, rows: result.rows, engine: result.engine, elapsedMs: result.elapsedMs, ...(result.bytesScanned !== undefined && { bytesScanned: result.bytesScanned, costUsd: result.costUsd }) })}\n`);
      else if (opts.csv) process.stdout.write(resultCsv(result));
      else process.stdout.write(`${result.rows.length ? `${resultTable(result)}\n\n` : ''}${costLine(result)} over ${open.accounts.length} accounts\n`);
      // The cost goes to stderr too when stdout is data, so a pipe still tells the user what was scanned.
      if ((opts.json || opts.csv) && result.bytesScanned !== undefined) process.stderr.write(`skywatch: ${costLine(result)}\n`);
      return problems ? EXIT.partial : EXIT.ok;
    } finally {
      open.close();
    }
  });
}

/** Runs a command body, turning bad input and query failures into a message and an exit code. */
export async function runReporting(label: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof InvestigationInputError) {
      process.stderr.write(`skywatch: ${label}: ${error.message}\n`);
      return EXIT.usage;
    }
    if (error instanceof EngineSetupError) {
      process.stderr.write(`skywatch: ${error.message}\n`);
      return EXIT.usage;
    }
    if (error instanceof QueryBytesLimitError) {
      const scanned = error.bytesScanned !== undefined ? ` after ${error.bytesScanned.toLocaleString('en-US')} bytes` : '';
      process.stderr.write(`skywatch: ${label}: Athena stopped the query at the workgroup's bytes-scanned limit${scanned} (${error.reason}); narrow --from/--to or --accounts, or raise athenaBytesScannedCutoffGb\n`);
      return EXIT.queryFailed;
    }
    if (error instanceof QueryFailedError || error instanceof QueryCancelledError || error instanceof QueryTimeoutError || error instanceof QueryThrottledError) {
      process.stderr.write(`skywatch: ${label}: ${error.message}\n`);
      return EXIT.queryFailed;
    }
    throw error;
  }
}
