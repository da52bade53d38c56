/** `skywatch demo`: a synthetic organization with planted attacks, replayed through the core. */
import { join } from 'node:path';
import { generateDemoOrganization } from '../demo/generate.js';
import { replay, statePaths } from '../local/replay.js';
import { SqliteStore } from '../local/sqlite-store.js';
import { lockState } from '../local/state-lock.js';
import { EXIT } from './exit-codes.js';
import { findingsSummary, findingsTable } from './findings-view.js';
import { progressBar } from './progress.js';
import { loadRulesReporting } from './shared.js';

/** Options of `skywatch demo`. */
export interface DemoCommandOptions {
  readonly dir: string;
  readonly state: string;
  readonly events: number;
  readonly seed: number;
}

/** Generates, replays and shows the demo organization's findings. */
export async function demoCommand(opts: DemoCommandOptions): Promise<number> {
  const lock = lockState(opts.state, 'demo');
  try {
    return await demoLocked(opts);
  } finally {
    lock.release();
  }
}

async function demoLocked(opts: DemoCommandOptions): Promise<number> {
  const out = process.stdout;
  const { rules, sources, problems } = loadRulesReporting({ rules: [] });
  out.write(`Generating a synthetic AWS Organization (${opts.events.toLocaleString('en-US')} benign events, seed ${opts.seed})…\n`);
  const started = Date.now();
  const org = await generateDemoOrganization({ outDir: opts.dir, seed: opts.seed, benignEvents: opts.events });
  out.write(
    `  ${org.orgId}: ${org.accounts.length} accounts, regions ${org.regions.join(' and ')}, ${org.files} files, ` +
      `${org.events.toLocaleString('en-US')} events (${org.planted.length} planted attack scenarios) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );

  out.write(`Replaying ${rules.length} rules over the organization trail…\n`);
  const bar = progressBar();
  const replayStarted = Date.now();
  const report = await replay({ paths: [join(opts.dir, 'AWSLogs')], stateDir: opts.state, rules, ruleSources: sources, onProgress: (p) => bar.update(p) });
  bar.done();
  const seconds = (Date.now() - replayStarted) / 1000;
  out.write(
    `  ${report.events.toLocaleString('en-US')} events in ${seconds.toFixed(1)} s (${Math.round(report.events / seconds).toLocaleString('en-US')} events/s); ` +
      `${report.stored.created} findings created, ${report.stored.updated} updated; ${report.skipped.length} digest files skipped\n\n`,
  );

  const accounts = new Set(org.accounts.map((a) => a.id));
  const store = new SqliteStore(statePaths(opts.state).database);
  const findings = store.listFindings().filter((f) => accounts.has(f.AwsAccountId));
  store.close();
  const names = new Map(org.accounts.map((a) => [a.id, a.name]));
  const inAccounts = new Set(findings.map((f) => f.AwsAccountId));
  out.write(`${findingsTable(findings)}\n\n${findingsSummary(findings)}\n\n`);
  out.write(`${findings.length} findings in ${inAccounts.size} accounts: ${[...inAccounts].map((a) => `${names.get(a) ?? a} (${a})`).join(', ')}\n\n`);
  out.write(`Generated logs:  ${join(opts.dir, 'AWSLogs')}\n`);
  out.write(`Findings (ASFF): ${statePaths(opts.state).findingLog}\n`);
  out.write(`Local database:  ${statePaths(opts.state).database}\n`);
  out.write(`Next: npx skywatch findings --severity HIGH   ·   npx skywatch replay <your CloudTrail folder>\n`);
  const errors = report.problems.filter((p) => p.level === 'error').length + report.ruleFailures.length + problems;
  return errors > 0 ? EXIT.partial : EXIT.ok;
}
