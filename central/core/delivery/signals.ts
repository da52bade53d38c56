/**
 * Signals: GuardDuty findings and Config compliance changes. They reach Security Hub on their own
 * (GuardDuty and Config publish there), so Skywatch never re-imports them: they feed correlation and
 * are notified, nothing more.
 */
import type { SecurityEvent } from '../event.js';

/** Whether an event is a signal from another AWS detector rather than activity to detect on. */
export function isSignal(event: SecurityEvent): boolean {
  return event.kind === 'guardduty' || event.kind === 'config';
}

/** Where signals wait for the notifier (the state table's notify partition in AWS). */
export interface SignalSink {
  put(events: readonly SecurityEvent[]): Promise<void>;
}
