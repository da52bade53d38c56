/**
 * Who may speak for an account. Every member account may put events on the central bus, so the
 * only account an envelope can be trusted about is the one EventBridge itself wrote into it: the
 * envelope's `account` is set by EventBridge to the account the event came from, and no sender can
 * choose it. A detail's own account field (CloudTrail's `recipientAccountId`, GuardDuty's
 * `accountId`, Config's `awsAccountId`, a scan result's `account`) is written by whoever built the
 * event, so it must agree with the envelope or the event is rejected.
 *
 * AWS service events also carry their service's `source`: PutEvents refuses any source that starts
 * with `aws.`, so an event with such a source was emitted by AWS, not typed in by a member.
 */
import { str } from './fields.js';
import { InvalidRecordError } from './input-problem.js';

/** Why an envelope was refused: a source its detail-type cannot have, or a detail about another account. */
export type RejectionReason = 'untrusted-source' | 'account-mismatch' | 'no-sender';

/**
 * An envelope that tried (or may have tried) to speak for an account it does not come from. It is
 * never turned into an event: callers count it, log both accounts, and acknowledge it.
 */
export class RejectedEnvelopeError extends InvalidRecordError {
  override readonly name = 'RejectedEnvelopeError';
  constructor(
    readonly reason: RejectionReason,
    readonly detailType: string,
    /** The account EventBridge says sent the envelope, when it says one. */
    readonly sender: string | undefined,
    /** The account the detail claims, for `account-mismatch`. */
    readonly claimed?: string,
    /** The detail field that made the claim. */
    readonly field?: string,
    readonly source?: string,
  ) {
    super(rejectionMessage(reason, detailType, sender, claimed, field, source));
  }
}

function rejectionMessage(reason: RejectionReason, detailType: string, sender?: string, claimed?: string, field?: string, source?: string): string {
  switch (reason) {
    case 'untrusted-source':
      return `rejected: "${detailType}" event with source "${source ?? ''}" from account ${sender ?? '(none)'}; only AWS can send it`;
    case 'no-sender':
      return `rejected: "${detailType}" envelope has no 12-digit account, so its sender is unknown`;
    case 'account-mismatch':
      return `rejected: "${detailType}" event sent by account ${sender} claims account ${claimed} in detail.${field}`;
  }
}

const ACCOUNT_ID = /^\d{12}$/;

/** The account EventBridge says sent the envelope; throws when there is none. */
export function senderOf(envelope: Record<string, unknown>, detailType: string): string {
  const account = str(envelope.account);
  if (!account || !ACCOUNT_ID.test(account)) throw new RejectedEnvelopeError('no-sender', detailType, account);
  return account;
}

/** Throws unless the envelope's source is one this detail-type can have (`exact`, or any `aws.` source). */
export function requireSource(envelope: Record<string, unknown>, detailType: string, exact?: string): void {
  const source = str(envelope.source) ?? '';
  const trusted = exact === undefined ? source.startsWith('aws.') : source === exact;
  if (!trusted) throw new RejectedEnvelopeError('untrusted-source', detailType, str(envelope.account), undefined, undefined, source);
}

/**
 * The account the event is about: the sender's. A detail field naming another account makes the
 * whole envelope a forgery; an absent field is fine (older formats omit it).
 */
export function attributedAccount(sender: string, detail: Record<string, unknown>, field: string, detailType: string): string {
  const claimed = detail[field];
  if (claimed !== undefined && claimed !== null && claimed !== sender) {
    throw new RejectedEnvelopeError('account-mismatch', detailType, sender, String(claimed), field);
  }
  return sender;
}
