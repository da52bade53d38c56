/** `skywatch rules list` and `skywatch rules test`. */
import type { CompiledRule } from '../core/rules/rule.js';
import { runRuleTests } from '../core/rules/self-test.js';
import { runCorrelationTests } from '../core/correlation/self-test.js';
import { runIocListTests } from '../core/ioc/self-test.js';
import { problemLocation } from '../core/rules/load.js';
import { runStatisticsTests } from '../core/statistics/self-test.js';
import { loadIocFolders } from '../local/ioc-files.js';
import { loadStatisticsFolders } from '../local/statistics-files.js';
import { EXIT } from './exit-codes.js';
import { runSuppressionTests } from '../core/suppressions/self-test.js';
import { loadRulesReporting, loadSuppressionsReporting, type RuleSelection } from './shared.js';
import { renderTable } from './table.js';

/** Options shared by the rules commands. */
export interface RulesCommandOptions extends RuleSelection {
  readonly json?: boolean;
  /** A suppressions file or folder, for `rules test`. */
  readonly suppressions?: string;
}

/** The rule's (eventSource, eventName) keys as `{source, names}` per source; no names means every event. */
function eventsOf(r: CompiledRule): Array<{ source: string; names?: string[] }> {
  const bySource = new Map<string, string[]>();
  for (const k of r.keys) bySource.set(k.source, [...(bySource.get(k.source) ?? []), k.name]);
  return [...bySource].map(([source, names]) => (names.includes('*') ? { source } : { source, names }));
}

/** Lists the loaded rules. */
export function rulesListCommand(opts: RulesCommandOptions): number {
  const { rules, problems } = loadRulesReporting(opts);
  if (opts.json) {
    const list = rules.map((r) => ({
      id: r.id,
      title: r.title.source,
      status: r.status,
      pack: r.pack,
      format: r.format,
      severity: r.defaultSeverity,
      types: r.types,
      mitre: r.mitre,
      stratus: r.stratus,
      events: eventsOf(r),
      tests: { fires: r.tests.filter((t) => t.fires).length, quiet: r.tests.filter((t) => !t.fires).length },
      file: r.file,
    }));
    process.stdout.write(JSON.stringify(list, null, 2) + '\n');
  } else {
    const rows = rules.map((r) => [r.id, r.pack, r.status, r.defaultSeverity, r.mitre.join(','), r.keys.map((k) => k.name).join(',')]);
    const active = rules.filter((r) => r.status === 'active').length;
    process.stdout.write(`${renderTable(['ID', 'PACK', 'STATUS', 'SEVERITY', 'MITRE', 'EVENTS'], rows, 60)}\n\n${rules.length} rules (${active} active, ${rules.length - active} staged)\n`);
  }
  return problems > 0 ? EXIT.partial : EXIT.ok;
}

/** Runs every rule's test cases against the whole rule set. */
export async function rulesTestCommand(opts: RulesCommandOptions): Promise<number> {
  const { rules, problems, correlations } = loadRulesReporting(opts);
  const suppressions = loadSuppressionsReporting(opts.suppressions);
  const statistics = loadStatisticsFolders();
  for (const p of statistics.problems) process.stderr.write(`skywatch: statistics detector error: ${problemLocation(p)}: ${p.reason}\n`);
  const iocLists = loadIocFolders();
  for (const p of iocLists.problems.filter((q) => q.kind !== 'notice')) process.stderr.write(`skywatch: IOC list error: ${problemLocation(p)}: ${p.reason}\n`);
  const networkProblems = statistics.problems.length + iocLists.problems.filter((q) => q.kind !== 'notice').length;
  const results = [
    ...(await runRuleTests(rules)),
    ...(await runCorrelationTests(rules, correlations)),
    ...runSuppressionTests(suppressions.loaded, rules),
    ...(await runStatisticsTests(statistics.detectors)).results,
    ...runIocListTests(iocLists.lists).map((r) => ({ ruleId: `ioc/${r.list}`, file: r.file, name: r.name, passed: r.passed, ...(r.reason && { reason: r.reason }) })),
  ];
  const failed = results.filter((r) => !r.passed);
  if (opts.json) {
    const expired = suppressions.expired.map((s) => ({ id: s.id, file: s.file, expires: s.expires, owner: s.owner }));
    process.stdout.write(JSON.stringify({ rules: rules.length, correlationRules: correlations.length, statisticsDetectors: statistics.detectors.length, iocLists: iocLists.lists.length, ruleProblems: problems, suppressions: suppressions.loaded.suppressions.length, expiredSuppressions: expired, results }, null, 2) + '\n');
  } else {
    for (const r of failed) process.stdout.write(`FAIL ${r.ruleId} (${r.file}): ${r.name}\n     ${r.reason}\n`);
    process.stdout.write(
      `${rules.length} rules, ${correlations.length} correlation rules, ${statistics.detectors.length} statistics detectors, ${iocLists.lists.length} IOC lists, ${suppressions.loaded.suppressions.length} suppressions (${suppressions.expired.length} expired), ${results.length} cases\n` +
        `${results.length - failed.length} passed, ${failed.length} failed\n`,
    );
  }
  if (failed.length > 0) return EXIT.testsFailed;
  return problems + suppressions.problems + networkProblems > 0 ? EXIT.partial : EXIT.ok;
}
