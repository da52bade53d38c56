/**
 * The account a trail file belongs to, from its key. CloudTrail writes each account's records under
 * `[prefix/]AWSLogs/[o-xxx/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/`, and only CloudTrail writes the
 * organization trail's bucket: a record in that file about another account was not put there by
 * CloudTrail, so the trail path accepts a record only when the key and the record agree.
 */
import type { SecurityEvent } from '../event.js';
import type { InputProblem } from './input-problem.js';

const TRAIL_KEY = /(?:^|\/)AWSLogs\/(?:o-[a-z0-9]{10,32}\/)?(\d{12})\/CloudTrail\//;

/** The account in a trail file's key, when the key has the trail layout. */
export function accountOfTrailKey(key: string): string | undefined {
  return TRAIL_KEY.exec(key)?.[1];
}

/** Splits a trail file's events into those of the key's account and problems for records about another. */
export function keepTrailAccount(input: string, events: readonly SecurityEvent[]): { events: SecurityEvent[]; problems: InputProblem[] } {
  const account = accountOfTrailKey(input);
  if (account === undefined) return { events: [...events], problems: [] };
  const kept: SecurityEvent[] = [];
  const problems: InputProblem[] = [];
  for (const event of events) {
    if (event.account === account) kept.push(event);
    // An old record without recipientAccountId fell back to the caller's account: the key knows better.
    else if (event.raw.recipientAccountId === undefined) kept.push({ ...event, account });
    else problems.push({ input, index: event.origin?.index, line: event.origin?.line, reason: `rejected: a record about account ${event.account} in a trail file of account ${account}`, level: 'error' });
  }
  return { events: kept, problems };
}
