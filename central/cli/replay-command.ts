/** `skywatch replay`: detect over local log files into the embedded store. */
import { statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describeProblem } from '../core/decode/input-problem.js';
import { replay, statePaths, type ReplayReport } from '../local/replay.js';
import { lockState } from '../local/state-lock.js';
import { EXIT } from './exit-codes.js';
import { correlationTable, findingsSummary, isCorrelationFinding } from './findings-view.js';
import { progressBar } from './progress.js';
import { loadAsnForRulesReporting, loadNetworkDetectorsReporting, loadRulesReporting, loadSuppressionsReporting, type RuleSelection } from './shared.js';

/** Options of `skywatch replay`. */
export interface ReplayCommandOptions extends RuleSelection {
  readonly out?: string;
  readonly state: string;
  readonly suppressions?: string;
  readonly json?: boolean;
  /** Optional IOC packs to match (ids of disabled lists in rules/ioc/). */
  readonly iocPack?: readonly string[];
}

const SHOWN_PROBLEMS = 50;

/** Runs a replay and prints its report; returns the exit code. */
export async function replayCommand(paths: string[], opts: ReplayCommandOptions): Promise<number> {
  // Checked before any work: a long replay must not end by failing to write its result.
  const outProblem = opts.out === undefined ? undefined : whyNotWritable(opts.out);
  if (outProblem) {
    process.stderr.write(`skywatch: --out ${opts.out}: ${outProblem}\n`);
    return EXIT.usage;
  }
  const lock = lockState(opts.state, `replay ${paths.join(' ')}`);
  try {
    return await replayLocked(paths, opts);
  } finally {
    lock.release();
  }
}

async function replayLocked(paths: string[], opts: ReplayCommandOptions): Promise<number> {
  const { rules, sources, problems: ruleProblems, correlations } = loadRulesReporting(opts);
  const { active: suppressions, problems: suppressionProblems } = loadSuppressionsReporting(opts.suppressions);
  const network = loadNetworkDetectorsReporting({ enableIoc: opts.iocPack });
  const bar = opts.json ? { update() {}, done() {} } : progressBar();
  const report = await replay({ paths, stateDir: opts.state, rules, ruleSources: sources, suppressions, correlations, statistics: network.statistics, ioc: network.ioc, iocLists: network.iocLists, asn: loadAsnForRulesReporting(rules), onProgress: (p) => bar.update(p) });
  bar.done();
  if (opts.out) {
    try {
      writeFileSync(opts.out, report.findings.map((f) => JSON.stringify(f)).join('\n') + (report.findings.length ? '\n' : ''));
    } catch (err) {
      // The findings are in the state all the same; say so rather than print a stack.
      process.stderr.write(`skywatch: cannot write --out ${opts.out} (${(err as Error).message}); the findings are in the state\n`);
      return EXIT.internal;
    }
  }
  if (opts.json) process.stdout.write(JSON.stringify(jsonReport(report, opts)) + '\n');
  else printReport(report, opts);
  const errors = report.problems.filter((p) => p.level === 'error').length + report.ruleFailures.length + ruleProblems + suppressionProblems + network.problems;
  return errors > 0 ? EXIT.partial : EXIT.ok;
}

/** Why a file cannot be created at `path` (its folder missing, or not a folder), or undefined. */
function whyNotWritable(path: string): string | undefined {
  const folder = dirname(path);
  const kind = (p: string) => statSync(p, { throwIfNoEntry: false });
  const parent = kind(folder);
  if (!parent) return `the folder ${folder} does not exist`;
  if (!parent.isDirectory()) return `${folder} is not a folder`;
  if (kind(path)?.isDirectory()) return 'is a folder, not a file';
  return undefined;
}

function printReport(report: ReplayReport, opts: ReplayCommandOptions): void {
  const err = process.stderr;
  report.problems.slice(0, SHOWN_PROBLEMS).forEach((p) => err.write(`skywatch: ${p.level === 'error' ? 'input error' : 'notice'}: ${describeProblem(p)}\n`));
  if (report.problems.length > SHOWN_PROBLEMS) err.write(`skywatch: … and ${report.problems.length - SHOWN_PROBLEMS} more input problems (use --json for all)\n`);
  for (const f of report.ruleFailures) err.write(`skywatch: rule ${f.ruleId} failed on event ${f.eventId}: ${f.error}\n`);
  const out = process.stdout;
  const skipped = report.skipped.length ? `, skipped ${report.skipped.length} (${[...new Set(report.skipped.map((s) => s.reason))].join('; ')})` : '';
  out.write(`Replayed ${report.events.toLocaleString('en-US')} events from ${report.files} files${skipped}.\n`);
  const suppressed = report.findings.filter((f) => f.ProductFields['skywatch/SuppressedBy']).length;
  out.write(`Findings: ${report.findings.length} (${report.stored.created} created, ${report.stored.updated} updated${suppressed ? `; ${suppressed} suppressed` : ''}).\n`);
  const correlated = report.findings.filter(isCorrelationFinding);
  if (correlated.length) out.write(`\nCorrelation findings (one activity across accounts): ${correlated.length}\n${correlationTable(correlated)}\n`);
  const n = report.network;
  if (n.files) {
    out.write(`Network logs: ${n.files} files, ${n.records.toLocaleString('en-US')} flow and WAF records, ${n.windows.toLocaleString('en-US')} windows judged (${n.late} late records), ${n.anomalies} anomalous windows, ${n.iocFindings} IOC findings.\n`);
  }
  if (report.signals.read) out.write(`Signals (GuardDuty findings, Config compliance changes): ${report.signals.read} read, ${report.signals.kept} new, kept in the state.\n`);
  if (report.findings.length) out.write('\n' + findingsSummary(report.findings) + '\n\n');
  if (opts.out) out.write(`Findings of this replay written to ${opts.out} (ASFF, one per line).\n`);
  const { database, findingLog } = statePaths(opts.state);
  out.write(`State: ${database}; every finding version is also in ${findingLog}.\n`);
}

function jsonReport(report: ReplayReport, opts: ReplayCommandOptions) {
  return {
    files: report.files,
    events: report.events,
    skipped: report.skipped,
    problems: report.problems,
    ruleFailures: report.ruleFailures,
    stored: report.stored,
    signals: report.signals,
    network: report.network,
    state: opts.state,
    findings: report.findings,
  };
}
