/** What an end-to-end run must show; each failure says which figure and why. */
import type { E2eResult } from './harness.js';

export function e2eFailures(r: E2eResult): string[] {
  const out: string[] = [];
  if (r.lost !== 0) out.push(`lost ${r.lost} findings`);
  if (r.duplicates !== 0) out.push(`${r.duplicates} duplicate findings`);
  if (r.wrong_account !== 0) out.push(`${r.wrong_account} findings sent to the wrong account or region`);
  if (r.outbox_pending !== r.expected_pending) out.push(`outbox holds ${r.outbox_pending} findings, expected exactly the ${r.expected_pending} of ${r.off_account}`);
  if (r.findings_in_security_hub + r.outbox_pending !== r.findings_expected) out.push(`Security Hub (${r.findings_in_security_hub}) plus outbox (${r.outbox_pending}) is not the ${r.findings_expected} expected`);
  if (r.coverage_findings !== 1) out.push(`${r.coverage_findings} coverage findings, expected one (Security Hub off in ${r.off_account})`);
  if (r.correlation_findings !== r.correlation_findings_expected) out.push(`${r.correlation_findings} correlation findings in Security Hub, the reference run filed ${r.correlation_findings_expected}`);
  if (r.correlation_findings < 1) out.push('no correlation finding: the planted cross-account campaigns were not correlated');
  if (r.notifications === 0) out.push('nothing was notified');
  if (r.forged_accepted !== 0) out.push(`${r.forged_accepted} traces of envelopes forged by one member about another (findings, signals or notifications)`);
  if (r.forged_rejected !== r.forged_sent) out.push(`${r.forged_rejected} of ${r.forged_sent} forged envelopes were counted as rejected`);
  for (const v of r.violations) out.push(`API model or limit violation: ${v}`);
  for (const p of r.problems) out.push(p);
  for (const secret of r.secrets) if (r.logLines.some((line) => line.includes(secret))) out.push('a secret (webhook URL or credential) appears in a log line');
  return [...new Set(out)];
}
