/** `skywatch rules coverage`: MITRE ATT&CK and Stratus Red Team techniques covered by active rules. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { coverage, MitreCatalogueSchema, StratusCatalogueSchema, type CoverageReport } from '../core/rules/coverage.js';
import { CATALOGUES_DIR } from '../local/rule-files.js';
import { EXIT } from './exit-codes.js';
import { loadRulesReporting, type RuleSelection } from './shared.js';
import { renderTable } from './table.js';

export interface CoverageCommandOptions extends RuleSelection {
  readonly json?: boolean;
}

/** Reads the checklists that ship in rules/catalogues/. */
export function loadCatalogues() {
  const read = (file: string) => parse(readFileSync(join(CATALOGUES_DIR, file), 'utf8'));
  return { mitre: MitreCatalogueSchema.parse(read('mitre-attack-cloud.yaml')), stratus: StratusCatalogueSchema.parse(read('stratus-aws.yaml')) };
}

export function coverageCommand(opts: CoverageCommandOptions): number {
  const { rules, problems } = loadRulesReporting(opts);
  const { mitre, stratus } = loadCatalogues();
  const report = coverage(rules, mitre, stratus);
  if (opts.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else process.stdout.write(render(report));
  return problems > 0 ? EXIT.partial : EXIT.ok;
}

function render(report: CoverageReport): string {
  const lines: string[] = [];
  const { mitre, stratus } = report;
  lines.push(`MITRE ATT&CK (${mitre.version}, IaaS): ${mitre.covered} of ${mitre.total} techniques covered by ${report.rules.active} active rules`, '');
  const rows = mitre.tactics.map((t) => [t.id, t.name, `${t.covered}/${t.total}`, t.techniques.filter((x) => !x.rules.length).map((x) => x.id).join(' ')]);
  lines.push(renderTable(['TACTIC', 'NAME', 'COVERED', 'NOT COVERED'], rows, 90), '');
  lines.push(`Stratus Red Team (AWS): ${stratus.covered} of ${stratus.total} techniques covered`, '');
  const srows = stratus.techniques.map((t) => [t.id, t.covered ? t.rules.join(', ') : t.staged.length ? `not covered (staged: ${t.staged.join(', ')})` : 'NOT COVERED']);
  lines.push(renderTable(['TECHNIQUE', 'RULES'], srows, 100), '');
  const stagedOnly = mitre.tactics.flatMap((t) => t.techniques).filter((x) => !x.rules.length && x.staged.length);
  lines.push(`Staged rules (recorded, not notified, not counted above): ${report.rules.staged}${report.rules.staged ? `: ${report.rules.stagedIds.join(', ')}` : ''}`);
  for (const x of [...new Map(stagedOnly.map((x) => [x.id, x])).values()]) lines.push(`  ${x.id} would be covered by staged ${x.staged.join(', ')}`);
  lines.push('');
  for (const u of [...mitre.unknown, ...stratus.unknown]) lines.push(`warning: ${u.id} (used by ${u.rules.join(', ')}) is not in the catalogue`);
  return lines.join('\n') + '\n';
}
