/**
 * The end-to-end run at a small scale, on every `npm test`: the same harness and checks as
 * `npm run e2e` (which runs a larger organization), so a change that loses, duplicates or misroutes
 * a finding anywhere between the detector and Security Hub fails here.
 */
import { describe, expect, it } from 'vitest';
import { e2eFailures } from './checks.js';
import { runE2e } from './harness.js';

describe('the central runtime end to end, with faults injected', () => {
  it('gets every finding into its own account\'s Security Hub except where Security Hub is off, which waits in the outbox and raises one coverage finding', async () => {
    const result = await runE2e({
      benignEvents: 1_500,
      days: 7,
      seed: 11,
      redeliveryRate: 0.1,
      poisonMessages: 2,
      throttleRate: 0.3,
      serverErrorRate: 0.05,
      slackFailures: { tooManyRequests: 2, serverErrors: 1 },
      snsFailureRate: 0.1,
    });
    expect(e2eFailures(result)).toEqual([]);
    expect(result.findings_expected).toBeGreaterThan(5);
    expect(result.correlation_findings).toBe(result.correlation_findings_expected);
    expect(result.correlation_findings).toBeGreaterThanOrEqual(1);
    expect(result.outbox_pending).toBe(result.expected_pending);
    expect(result.outbox_pending).toBeGreaterThan(0);
    expect(result.faults.redelivered).toBeGreaterThan(0);
    expect(result.faults.poisonFailed).toBe(2);
    expect(result.faults.slackRefused).toBe(3);
    expect([result.forged_sent, result.forged_accepted, result.forged_rejected]).toEqual([24, 0, 24]);
    expect(result.logLines.length).toBeGreaterThan(100);
  }, 300_000);
});
