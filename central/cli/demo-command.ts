/** `skywatch demo`: a synthetic organization with planted attacks, replayed through the core. */
import { join } from 'node:path';
import { ATTACKERS } from '../demo/campaign.js';
import { generateDemoOrganization } from '../demo/generate.js';
import { replay, statePaths } from '../local/replay.js';
import { SqliteStore } from '../local/sqlite-store.js';
import { lockState } from '../local/state-lock.js';
import type { AsffFinding } from '../core/findings/asff.js';
import { EXIT } from './exit-codes.js';
import { findingsSummary, findingsTable, isCorrelationFinding } from './findings-view.js';
import { progressBar } from './progress.js';
import { documentationAsns } from '../demo/documentation-asns.js';
import { loadAsnForRulesReporting, loadNetworkDetectorsReporting, loadRulesReporting } from './shared.js';

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
  const { rules, sources, problems, correlations } = loadRulesReporting({ rules: [] });
  const network = loadNetworkDetectorsReporting();
  out.write(`Generating a synthetic AWS Organization (${opts.events.toLocaleString('en-US')} benign events, seed ${opts.seed})…\n`);
  const started = Date.now();
  const org = await generateDemoOrganization({ outDir: opts.dir, seed: opts.seed, benignEvents: opts.events });
  out.write(
    `  ${org.orgId}: ${org.accounts.length} accounts, regions ${org.regions.join(' and ')}, ${org.files} files, ` +
      `${org.events.toLocaleString('en-US')} events (${org.planted.length} planted attack scenarios) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  if (org.network) {
    const n = org.network;
    out.write(
      `  network logs: ${n.flowRecords.toLocaleString('en-US')} VPC flow records and ${n.wafRecords.toLocaleString('en-US')} WAF requests in ${n.files.toLocaleString('en-US')} files, ` +
        `${n.trainingDays} days to learn from, then ${n.planted.length} planted network attacks on ${n.attackDay.start.slice(0, 10)}\n`,
    );
  }

  out.write(`Replaying ${rules.length} rules over the organization trail, then ${network.statistics.length} statistics detectors and ${network.ioc.lists.length} IOC lists over the network logs…\n`);
  const bar = progressBar();
  const replayStarted = Date.now();
  const names = new Map(org.accounts.map((a) => [a.id, a.name]));
  const security = org.accounts.find((a) => a.name === 'security')!;
  const report = await replay({
    paths: [join(opts.dir, 'AWSLogs')],
    stateDir: opts.state,
    rules,
    ruleSources: sources,
    correlations,
    statistics: network.statistics,
    ioc: network.ioc,
    iocLists: network.iocLists,
    // The demo's documentation addresses have documentation ASNs; any other address, the real data's.
    asn: documentationAsns(loadAsnForRulesReporting(rules)),
    // Correlation findings go to the security account, named like the rest of the organization.
    home: { account: security.id, region: 'us-east-1' },
    directory: { describe: (account) => (names.has(account) ? { name: names.get(account), ous: [], tags: {} } : undefined) },
    onProgress: (p) => bar.update(p),
  });
  bar.done();
  // The trail's rate: the network logs are read after it and timed on their own.
  const seconds = (Date.now() - replayStarted) / 1000 - report.network.seconds;
  out.write(
    `  ${report.events.toLocaleString('en-US')} events in ${seconds.toFixed(1)} s (${Math.round(report.events / seconds).toLocaleString('en-US')} events/s); ` +
      `${report.stored.created} findings created, ${report.stored.updated} updated; ${report.skipped.length} digest files skipped\n`,
  );
  const n = report.network;
  if (n.files) out.write(`  network logs: ${n.records.toLocaleString('en-US')} records in ${n.seconds.toFixed(1)} s, ${n.windows.toLocaleString('en-US')} windows judged against their baselines, ${n.anomalies} anomalous, ${n.iocFindings} IOC findings\n`);
  out.write('\n');

  const accounts = new Set(org.accounts.map((a) => a.id));
  const store = new SqliteStore(statePaths(opts.state).database);
  const findings = store.listFindings().filter((f) => accounts.has(f.AwsAccountId));
  store.close();
  const correlated = findings.filter(isCorrelationFinding);
  const networkFindings = findings.filter(isNetworkFinding);
  const single = findings.filter((f) => !isCorrelationFinding(f) && !isNetworkFinding(f));
  const inAccounts = new Set(single.map((f) => f.AwsAccountId));
  if (correlated.length) {
    out.write(`Correlation findings: one activity across several accounts (${correlated.length})\n`);
    for (const f of correlated) {
      const joined = (f.ProductFields['skywatch/Accounts'] ?? '').split(',').filter(Boolean);
      out.write(`  ${f.Severity.Label.padEnd(8)} ${f.Title}\n           accounts: ${joined.map((a) => `${names.get(a) ?? a} (${a})`).join(', ')}\n`);
    }
    out.write('\n');
  }
  if (networkFindings.length) {
    out.write(`Network findings: statistics over VPC Flow Logs and WAF logs, and IOC lists (${networkFindings.length})\n`);
    for (const f of networkFindings.sort((a, b) => a.FirstObservedAt.localeCompare(b.FirstObservedAt))) {
      out.write(`  ${f.Severity.Label.padEnd(8)} ${f.FirstObservedAt.slice(0, 16)}  ${(names.get(f.AwsAccountId) ?? f.AwsAccountId).padEnd(15)} ${f.Title}\n${networkWhy(f)}`);
    }
    out.write('\n');
  }
  out.write(`${findingsTable(single)}\n\n${findingsSummary(single)}\n\n`);
  out.write(`${single.length} findings in ${inAccounts.size} accounts${correlated.length ? `, joined by ${correlated.length} correlation findings` : ''}: ${[...inAccounts].map((a) => `${names.get(a) ?? a} (${a})`).join(', ')}\n\n`);
  out.write(`Generated logs:  ${join(opts.dir, 'AWSLogs')}\n`);
  out.write(`Findings (ASFF): ${statePaths(opts.state).findingLog}\n`);
  out.write(`Local database:  ${statePaths(opts.state).database}\n`);
  out.write(`Next: npx skywatch baselines   ·   npx skywatch findings --severity HIGH   ·   npx skywatch replay <your CloudTrail folder>\n`);
  // The attacker's address across every account, on DuckDB over the logs just written.
  out.write(`Investigate: npx skywatch query run ip-activity --param ip=${ATTACKERS.kali.ip}   ·   npx skywatch query list\n`);
  const errors = report.problems.filter((p) => p.level === 'error').length + report.ruleFailures.length + problems + network.problems;
  return errors > 0 ? EXIT.partial : EXIT.ok;
}

/** Statistics and IOC findings, which the demo shows apart from the CloudTrail rules'. */
function isNetworkFinding(f: AsffFinding): boolean {
  const kind = f.ProductFields['skywatch/EventKind'];
  return kind === 'statistics' || kind === 'ioc';
}

/** One indented line saying why a network finding fired: the numbers for statistics, the list for IOC. */
function networkWhy(f: AsffFinding): string {
  const p = f.ProductFields;
  if (p['skywatch/EventKind'] === 'ioc') return `           ${p['skywatch/EventCount']} records matched list ${p['skywatch/Ioc/List']}\n`;
  const num = (v: string | undefined) => Number(v ?? 0).toLocaleString('en-US', { maximumFractionDigits: 2 });
  const numbers = `observed ${num(p['skywatch/Statistics/Observed'])}, expected ${num(p['skywatch/Statistics/Expected'])}, band up to ${num(p['skywatch/Statistics/Upper'])}`;
  const reason = p['skywatch/Statistics/Reason'];
  if (reason === 'cusum') return `           sustained rise: CUSUM ${num(p['skywatch/Statistics/Cusum'])} over ${p['skywatch/Statistics/EpisodeWindows']} windows, peak ${num(p['skywatch/Statistics/Peak'])}; latest ${numbers}\n`;
  return `           ${reason === 'peers' ? 'far above its peers' : 'above its band'}: ${numbers}\n`;
}
