/**
 * Signals: GuardDuty findings and Config compliance changes. They reach Security Hub on their own
 * (GuardDuty and Config publish there), so Skywatch never imports them again, not even wrapped in a
 * Skywatch rule's finding: rules may match them, and they are stored and notified, nothing more
 * (nothing correlates them with other events yet).
 */
import type { SecurityEvent } from '../event.js';
import type { AsffFinding } from '../findings/asff.js';
import type { FindingSink } from '../ports.js';

/** The event kinds that are already in Security Hub on their own. */
const SIGNAL_KINDS: ReadonlySet<string> = new Set(['guardduty', 'config']);

/** Whether an event is a signal from another AWS detector rather than activity to detect on. */
export function isSignal(event: SecurityEvent): boolean {
  return SIGNAL_KINDS.has(event.kind);
}

/**
 * Whether a rule's finding restates a signal (its evidence is a GuardDuty finding or a Config
 * compliance change). A CloudTrail call to the GuardDuty or Config API is activity, not a signal.
 */
export function isSignalFinding(finding: AsffFinding): boolean {
  return SIGNAL_KINDS.has(finding.ProductFields?.['skywatch/EventKind'] ?? '');
}

/** Where signals and the rule findings over them wait for the notifier (the state table's notify partition in AWS). */
export interface SignalSink {
  /** Signals no rule turned into a finding: notified as they are. */
  put(events: readonly SecurityEvent[]): Promise<void>;
  /** Rule findings over signals: notified with the rule's title and runbook, never imported. */
  putFindings(findings: readonly AsffFinding[]): Promise<void>;
}

/** The detector's sink: findings over signals go to the notifier only, every other finding to the outbox. */
export class SignalRoutingSink implements FindingSink {
  constructor(private readonly outbox: FindingSink, private readonly signals: SignalSink) {}

  async put(findings: readonly AsffFinding[]): Promise<void> {
    const restated: AsffFinding[] = [];
    const detected: AsffFinding[] = [];
    for (const finding of findings) (isSignalFinding(finding) ? restated : detected).push(finding);
    if (restated.length) await this.signals.putFindings(restated);
    if (detected.length) await this.outbox.put(detected);
  }
}
