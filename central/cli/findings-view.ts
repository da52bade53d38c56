/** How findings are shown on a terminal: a list and the summary tables by severity, rule and account. */
import type { AsffFinding } from '../core/findings/asff.js';
import { countBy, renderTable } from './table.js';
export { isCorrelationFinding } from '../core/correlation/finding.js';
import { SEVERITY_LABELS } from '../core/rules/schema.js';

const ruleOf = (f: AsffFinding) => f.ProductFields['skywatch/RuleId'] ?? f.GeneratorId;

/** One line per finding, most severe first. */
export function findingsTable(findings: readonly AsffFinding[]): string {
  return renderTable(
    ['SEVERITY', 'ACCOUNT', 'REGION', 'RULE', 'TITLE'],
    findings.map((f) => [f.Severity.Label, f.AwsAccountId, f.Region, ruleOf(f), f.Title]),
    90,
  );
}

/** Correlation findings, one line each, with the accounts they join. */
export function correlationTable(findings: readonly AsffFinding[]): string {
  return renderTable(
    ['SEVERITY', 'ACCOUNTS', 'RULE', 'TITLE'],
    findings.map((f) => [f.Severity.Label, (f.ProductFields['skywatch/Accounts'] ?? '').split(',').join(' '), ruleOf(f), f.Title]),
    90,
  );
}

/** Counts of findings by severity, by rule and by account. */
export function findingsSummary(findings: readonly AsffFinding[]): string {
  return [
    renderTable(['SEVERITY', 'FINDINGS'], countBy(findings, (f) => f.Severity.Label, SEVERITY_LABELS)),
    renderTable(['RULE', 'FINDINGS'], countBy(findings, ruleOf)),
    renderTable(['ACCOUNT', 'FINDINGS'], countBy(findings, (f) => f.AwsAccountId)),
  ].join('\n\n');
}
