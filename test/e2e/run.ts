/**
 * `npm run e2e`: the central runtime end to end on this machine (see harness.ts). Progress goes to
 * stderr; the last line on stdout is one JSON object with the figures. Exits 1 when a check fails.
 */
import { e2eFailures } from './checks.js';
import { runE2e } from './harness.js';

const started = Date.now();
const result = await runE2e({
  benignEvents: Number(process.env.E2E_BENIGN_EVENTS ?? 40_000),
  days: 7,
  seed: 7,
  redeliveryRate: 0.1,
  poisonMessages: 4,
  throttleRate: 0.3,
  serverErrorRate: 0.01,
  slackFailures: { tooManyRequests: 3, serverErrors: 2 },
  snsFailureRate: 0.05,
  progress: (line) => process.stderr.write(`e2e: ${line}\n`),
});
const failures = e2eFailures(result);
process.stderr.write(`e2e: faults injected and met: ${JSON.stringify(result.faults)}\n`);
process.stderr.write(`e2e: ${failures.length ? `FAILED:\n  ${failures.join('\n  ')}` : 'all checks passed'} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
const { events, findings_expected, findings_in_security_hub, duplicates, lost, wrong_account, notifications, outbox_pending, coverage_findings, correlation_findings, forged_sent, forged_accepted } = result;
console.log(JSON.stringify({ events, findings_expected, findings_in_security_hub, duplicates, lost, wrong_account, notifications, outbox_pending, coverage_findings, correlation_findings, forged_sent, forged_accepted }));
process.exit(failures.length ? 1 : 0);
