/** `skywatch rules list` and `skywatch rules test`. */
import type { CompiledRule } from '../core/rules/rule.js';
import { runRuleTests } from '../core/rules/self-test.js';
import { EXIT } from './exit-codes.js';
import { loadRulesReporting } from './shared.js';
import { renderTable } from './table.js';

/** Options shared by the rules commands. */
export interface RulesCommandOptions {
  readonly rules: string[];
  readonly json?: boolean;
}

const defaultSeverity = (r: CompiledRule) => (typeof r.definition.severity === 'string' ? r.definition.severity : r.definition.severity.default);

/** Lists the loaded rules. */
export function rulesListCommand(opts: RulesCommandOptions): number {
  const { rules, problems } = loadRulesReporting(opts.rules);
  if (opts.json) {
    const list = rules.map((r) => ({
      id: r.id,
      title: r.definition.title,
      status: r.status,
      severity: defaultSeverity(r),
      types: r.types,
      mitre: r.mitre,
      events: r.definition.events,
      tests: { fires: r.tests.filter((t) => t.fires).length, quiet: r.tests.filter((t) => !t.fires).length },
      file: r.file,
    }));
    process.stdout.write(JSON.stringify(list, null, 2) + '\n');
  } else {
    const rows = rules.map((r) => [r.id, r.status, defaultSeverity(r), r.mitre.join(','), r.keys.map((k) => k.name).join(',')]);
    process.stdout.write(`${renderTable(['ID', 'STATUS', 'SEVERITY', 'MITRE', 'EVENTS'], rows, 60)}\n\n${rules.length} rules\n`);
  }
  return problems > 0 ? EXIT.partial : EXIT.ok;
}

/** Runs every rule's test cases against the whole rule set. */
export async function rulesTestCommand(opts: RulesCommandOptions): Promise<number> {
  const { rules, problems } = loadRulesReporting(opts.rules);
  const results = await runRuleTests(rules);
  const failed = results.filter((r) => !r.passed);
  if (opts.json) {
    process.stdout.write(JSON.stringify({ rules: rules.length, ruleProblems: problems, results }, null, 2) + '\n');
  } else {
    for (const r of failed) process.stdout.write(`FAIL ${r.ruleId} (${r.file}): ${r.name}\n     ${r.reason}\n`);
    process.stdout.write(`${rules.length} rules, ${results.length} cases\n${results.length - failed.length} passed, ${failed.length} failed\n`);
  }
  if (failed.length > 0) return EXIT.testsFailed;
  return problems > 0 ? EXIT.partial : EXIT.ok;
}
