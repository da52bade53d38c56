/**
 * One scheduled run of the statistics detectors over the query engine (Athena in AWS): per detector,
 * read the windows closed since its last run with its aggregation SQL, a day at a time, judge them,
 * put the findings and only then store the baselines and the progress. A failure anywhere before the progress is
 * stored leaves it where it was, so the next run reads the same windows again; findings are then
 * written again with the same Ids, and baselines ignore windows they have seen.
 *
 * Progress lives under `stat/<id>/run`. A run claims it first with a versioned put; a claim younger
 * than the lease means another run is at work on the detector, which is then skipped.
 */
import type { AsffFinding } from '../findings/asff.js';
import type { Clock, FindingSink, QueryEngine, StateStore } from '../ports.js';
import { QueryBytesLimitError, QueryCancelledError, QueryFailedError, QueryThrottledError, QueryTimeoutError } from '../query/errors.js';
import type { ClosedWindow } from './accumulator.js';
import { aggregatesFromRows, aggregationSql, type SqlDialect } from './aggregation-sql.js';
import type { StatisticsDetector } from './definition.js';
import { StatisticsEngine } from './engine.js';
import { findingsOf, type AddressIntel } from './network-statistics.js';

const DAY = 86_400;

/** A claim left by a run that died is taken over after this long: at least the function's timeout. */
export const DEFAULT_LEASE_MS = 11 * 60_000;

/** The StateStore key of a detector's progress. */
export function runKey(detectorId: string): string {
  return `stat/${detectorId}/run`;
}

/** A detector's stored progress. */
export interface RunProgress {
  /** Start of the last window judged (seconds); absent before the first run completes. */
  readonly closedThrough?: number;
  /** When a run claimed the detector (ms since the epoch); absent once it finished. */
  readonly claimedAt?: number;
}

/** What a run needs. */
export interface ScheduledStatisticsOptions {
  readonly detectors: readonly StatisticsDetector[];
  readonly query: QueryEngine;
  readonly dialect: SqlDialect;
  readonly state: StateStore;
  /** Where findings go (the outbox), before the progress that would skip their windows is stored. */
  readonly sink: FindingSink;
  /** The member accounts to read (the `account` partition). */
  readonly accounts: readonly string[];
  /**
   * The web ACL names WAF logs are delivered under (the `webacl` partition, which Athena requires a
   * query to name); undefined where the engine needs none (DuckDB). None: WAF detectors have nothing to read.
   */
  readonly webAcls?: readonly string[];
  /** The run's time: which windows are closed. */
  readonly now: Date;
  /** Findings' UpdatedAt and the deadline's reading. */
  readonly clock: Clock;
  readonly intel?: AddressIntel;
  readonly queryTimeoutMs: number;
  /** No query starts that could not finish before this (the function's own timeout). */
  readonly deadline?: Date;
  /** @default DEFAULT_LEASE_MS */
  readonly leaseMs?: number;
}

/** How one detector's part of the run ended. */
export type DetectorOutcome =
  | 'judged'
  /** No window closed since the last run. */
  | 'up-to-date'
  /** No member account to read. */
  | 'no-accounts'
  /** A WAF detector, and no web ACL delivers logs. */
  | 'no-web-acls'
  /** Another run holds the detector. */
  | 'busy'
  /** Not started: the query could not finish before the deadline. */
  | 'deferred'
  /** Some days of the range judged and stored; the deadline left the rest to the next run. */
  | 'partial'
  | 'failed';

/** Why a detector failed, by the query taxonomy; `other` for anything else (the state table, a sink). */
export type RunErrorKind = 'query-failed' | 'bytes-limit' | 'timeout' | 'throttled' | 'cancelled' | 'other';

/** One detector's report. */
export interface DetectorRunReport {
  readonly detector: string;
  readonly outcome: DetectorOutcome;
  /** Window starts judged and stored, from (inclusive) to (exclusive), seconds; a failure stops `to` where it happened. */
  readonly from?: number;
  readonly to?: number;
  readonly windows: number;
  readonly rows: number;
  readonly findings: number;
  readonly bytesScanned?: number;
  readonly costUsd?: number;
  readonly error?: { readonly kind: RunErrorKind; readonly message: string };
}

/** What the run did. */
export interface ScheduledStatisticsResult {
  /** The latest version of each finding put. */
  readonly findings: AsffFinding[];
  readonly perDetector: DetectorRunReport[];
}

/** The range of window starts a detector reads now, given its stored progress. */
export function runRange(detector: StatisticsDetector, progress: RunProgress | undefined, now: Date): { from: number; to: number } {
  const w = detector.windowSeconds;
  const to = Math.floor((now.getTime() / 1000 - detector.graceSeconds) / w) * w;
  const align = (t: number) => Math.floor(t / w) * w;
  const { trainDays } = detector.settings;
  // A cold start reads the training period in one run; after an outage, no more than a day beyond it.
  if (progress?.closedThrough === undefined) return { from: align(to - trainDays * DAY), to };
  return { from: Math.max(progress.closedThrough + w, align(to - (trainDays + 1) * DAY)), to };
}

/** Runs every detector once; never throws for one detector's failure. */
export async function runScheduledStatistics(options: ScheduledStatisticsOptions): Promise<ScheduledStatisticsResult> {
  const findings = new Map<string, AsffFinding>();
  const perDetector: DetectorRunReport[] = [];
  for (const detector of options.detectors) {
    const idle = { detector: detector.id, windows: 0, rows: 0, findings: 0 };
    if (options.accounts.length === 0) perDetector.push({ ...idle, outcome: 'no-accounts' });
    else if (detector.source === 'waf' && options.webAcls?.length === 0) perDetector.push({ ...idle, outcome: 'no-web-acls' });
    else if (pastDeadline(options)) perDetector.push({ ...idle, outcome: 'deferred' });
    else {
      const { report, written } = await runDetector(detector, options);
      for (const f of written) findings.set(f.Id, f);
      perDetector.push(report);
    }
  }
  return { findings: [...findings.values()], perDetector };
}

/** True when a query started now might not finish before the deadline. */
function pastDeadline(o: ScheduledStatisticsOptions): boolean {
  return o.deadline !== undefined && o.clock.now().getTime() + o.queryTimeoutMs > o.deadline.getTime();
}

/**
 * Claims the detector and reads its range a day at a time (so each query prunes to one day
 * partition and stays under the scan cutoff however long the range), storing the progress after
 * each day; stops early at the deadline, the rest left for the next run.
 */
async function runDetector(detector: StatisticsDetector, o: ScheduledStatisticsOptions): Promise<{ report: DetectorRunReport; written: AsffFinding[] }> {
  let claim: Claim | DetectorRunReport;
  try {
    claim = await claimDetector(detector, o);
  } catch (error) {
    return { report: { detector: detector.id, windows: 0, rows: 0, findings: 0, outcome: 'failed', error: errorOf(error) }, written: [] };
  }
  if (!('version' in claim)) return { report: claim, written: [] };
  const key = runKey(detector.id);
  const w = detector.windowSeconds;
  let { version, kept: progress } = claim;
  let at = claim.from;
  const totals = { windows: 0, rows: 0, bytesScanned: undefined as number | undefined, costUsd: undefined as number | undefined };
  const add = (field: 'bytesScanned' | 'costUsd', n: number | undefined) => n !== undefined && (totals[field] = (totals[field] ?? 0) + n);
  // One engine per detector: a failed detector's unsaved baselines go with it.
  const engine = new StatisticsEngine({ detectors: [detector], state: o.state });
  const written = new Map<string, AsffFinding>();
  const report = (outcome: DetectorOutcome, error?: unknown): DetectorRunReport => ({
    detector: detector.id, outcome, from: claim.from, to: at, windows: totals.windows, rows: totals.rows, findings: written.size,
    ...(totals.bytesScanned !== undefined && { bytesScanned: totals.bytesScanned }), ...(totals.costUsd !== undefined && { costUsd: totals.costUsd }),
    ...(error !== undefined && { error: errorOf(error) }),
  });
  try {
    for (;;) {
      const end = Math.min(claim.to, Math.ceil((Math.floor(at / DAY) + 1) * DAY / w) * w);
      const result = await o.query.run(aggregationSql(detector, { accounts: o.accounts, from: at, to: end, ...(o.webAcls && { webAcls: o.webAcls }) }, o.dialect), { timeoutMs: o.queryTimeoutMs }).catch((error: unknown) => {
        if (error instanceof QueryBytesLimitError) add('bytesScanned', error.bytesScanned);
        throw error;
      });
      totals.rows += result.rows.length;
      add('bytesScanned', result.bytesScanned);
      add('costUsd', result.costUsd);
      const windows = windowsOf(detector, result.rows);
      totals.windows += windows.length;
      const found = new Map<string, AsffFinding>();
      for (const window of windows) for (const f of findingsOf(await engine.judge(window), o)) found.set(f.Id, f);
      await o.sink.put([...found.values()]);
      for (const [id, f] of found) written.set(id, f);
      await engine.flush();
      at = end;
      progress = { closedThrough: end - w };
      const last = at >= claim.to || pastDeadline(o);
      if (!(await o.state.put<RunProgress>(key, last ? progress : { ...progress, claimedAt: o.clock.now().getTime() }, version))) throw new Error(`the claim on ${key} was taken over before the run stored its progress`);
      version++;
      if (last) return { report: report(at >= claim.to ? 'judged' : 'partial'), written: [...written.values()] };
    }
  } catch (error) {
    // Give the claim back so the next run need not wait for the lease; if this fails, the lease ends it.
    await o.state.put<RunProgress>(key, progress, version).catch(() => false);
    return { report: report('failed', error), written: [...written.values()] };
  }
}

/** A detector claimed for this run: the range to read, the progress to give back, the claim's version. */
interface Claim {
  readonly from: number;
  readonly to: number;
  readonly kept: RunProgress;
  readonly version: number;
}

/** Claims the detector, or says why there is nothing to do (up to date, held by another run). */
async function claimDetector(detector: StatisticsDetector, o: ScheduledStatisticsOptions): Promise<Claim | DetectorRunReport> {
  const key = runKey(detector.id);
  const stored = await o.state.get<RunProgress>(key);
  const progress = stored?.value;
  const { from, to } = runRange(detector, progress, o.now);
  const idle = { detector: detector.id, from, to, windows: 0, rows: 0, findings: 0 };
  if (from >= to) return { ...idle, outcome: 'up-to-date' };
  const nowMs = o.clock.now().getTime();
  if (progress?.claimedAt !== undefined && nowMs - progress.claimedAt < (o.leaseMs ?? DEFAULT_LEASE_MS)) return { ...idle, outcome: 'busy' };
  const kept = progress?.closedThrough === undefined ? {} : { closedThrough: progress.closedThrough };
  if (!(await o.state.put<RunProgress>(key, { ...kept, claimedAt: nowMs }, stored?.version))) return { ...idle, outcome: 'busy' };
  return { from, to, kept, version: (stored?.version ?? 0) + 1 };
}

/** The result rows as closed windows, oldest first within each account and region. */
function windowsOf(detector: StatisticsDetector, rows: ReadonlyArray<Record<string, unknown>>): ClosedWindow[] {
  return [...aggregatesFromRows(detector, rows).values()]
    .sort((a, b) => a.account.localeCompare(b.account) || a.region.localeCompare(b.region) || a.windowStart - b.windowStart);
}

function errorOf(error: unknown): { kind: RunErrorKind; message: string } {
  const message = error instanceof Error ? error.message : String(error);
  const kind: RunErrorKind =
    error instanceof QueryBytesLimitError ? 'bytes-limit'
    : error instanceof QueryTimeoutError ? 'timeout'
    : error instanceof QueryThrottledError ? 'throttled'
    : error instanceof QueryCancelledError ? 'cancelled'
    : error instanceof QueryFailedError ? 'query-failed'
    : 'other';
  return { kind, message };
}
