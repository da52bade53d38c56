/** Normalizes one CloudTrail record (from a trail file or an EventBridge `detail`). */
import { createHash } from 'node:crypto';
import type { Actor, EventOrigin, ResourceRef, SecurityEvent } from '../event.js';
import { arr, flag, obj, str } from './fields.js';
import { eventInstant } from './event-time.js';
import { InvalidRecordError } from './input-problem.js';
import { userAgentFamily } from '../user-agent.js';

/** True when a parsed JSON value looks like a CloudTrail record. */
export function isCloudTrailRecord(value: unknown): value is Record<string, unknown> {
  const o = obj(value);
  return o !== undefined && ('eventVersion' in o || ('eventSource' in o && 'eventTime' in o));
}

/** What the caller knows beyond the record. */
export interface CloudTrailContext {
  /**
   * The account the record is about, as AWS says it (an EventBridge envelope's `account`): it wins
   * over the record's own fields, which whoever built the record wrote.
   */
  readonly account?: string;
  /** The clock, for refusing event times in the future. */
  readonly now?: Date;
}

/**
 * Builds a SecurityEvent from a CloudTrail record. Throws InvalidRecordError when the record lacks
 * what identifies an event (name, source, a valid time, account, region); everything else is optional.
 */
export function normalizeCloudTrail(record: Record<string, unknown>, origin?: EventOrigin, context: CloudTrailContext = {}): SecurityEvent {
  const name = str(record.eventName);
  if (!name) throw new InvalidRecordError('record has no eventName');
  const source = str(record.eventSource);
  if (!source) throw new InvalidRecordError('record has no eventSource');
  const { time } = eventInstant(record.eventTime, 'eventTime', context.now ?? new Date());
  const identity = obj(record.userIdentity);
  const account = context.account ?? str(record.recipientAccountId) ?? str(identity?.accountId);
  if (!account) throw new InvalidRecordError('record has no recipientAccountId or userIdentity.accountId');
  const region = str(record.awsRegion);
  if (!region) throw new InvalidRecordError('record has no awsRegion');

  const errorCode = str(record.errorCode) ?? consoleLoginFailure(name, record);
  return {
    id: str(record.eventID) ?? syntheticId(record),
    kind: 'cloudtrail',
    time,
    account,
    region,
    source,
    name,
    actor: actorOf(identity, record),
    sourceIp: str(record.sourceIPAddress),
    userAgent: str(record.userAgent),
    userAgentFamily: userAgentFamily(str(record.userAgent)),
    resources: resourcesOf(record),
    errorCode,
    errorMessage: str(record.errorMessage),
    readOnly: flag(record.readOnly),
    raw: record,
    origin,
  };
}

/** A failed console sign-in has no errorCode, only `responseElements.ConsoleLogin: "Failure"`. */
function consoleLoginFailure(name: string, record: Record<string, unknown>): string | undefined {
  if (name !== 'ConsoleLogin') return undefined;
  return str(obj(record.responseElements)?.ConsoleLogin) === 'Failure' ? 'Failure' : undefined;
}

function actorOf(identity: Record<string, unknown> | undefined, record: Record<string, unknown>): Actor {
  if (!identity) return { type: 'Unknown' };
  const type = str(identity.type) ?? 'Unknown';
  const session = obj(identity.sessionContext);
  const issuer = obj(session?.sessionIssuer);
  const arn = str(identity.arn);
  const roleArn = str(issuer?.arn);
  const sessionName = roleArn && arn?.includes(':assumed-role/') ? arn.slice(arn.lastIndexOf('/') + 1) : undefined;
  const loginMfa = str(record.eventName) === 'ConsoleLogin' ? flag(obj(record.additionalEventData)?.MFAUsed) : undefined;
  return {
    type,
    arn,
    principalId: str(identity.principalId),
    accountId: str(identity.accountId),
    name: actorName(type, identity, issuer),
    accessKeyId: str(identity.accessKeyId),
    roleArn,
    sessionName,
    mfa: loginMfa ?? flag(obj(session?.attributes)?.mfaAuthenticated),
    invokedBy: str(identity.invokedBy),
  };
}

function actorName(type: string, identity: Record<string, unknown>, issuer: Record<string, unknown> | undefined): string | undefined {
  if (type === 'Root') return 'root';
  if (type === 'AWSService') return str(identity.invokedBy);
  return str(identity.userName) ?? str(issuer?.userName) ?? str(identity.principalId);
}

function resourcesOf(record: Record<string, unknown>): ResourceRef[] {
  const out: ResourceRef[] = [];
  for (const item of arr(record.resources)) {
    const r = obj(item);
    const id = str(r?.ARN) ?? str(r?.arn);
    if (id) out.push({ type: str(r?.type) ?? 'Other', id });
  }
  return out;
}

/** Records without an eventID are rare; a content hash keeps their findings deterministic. */
function syntheticId(record: Record<string, unknown>): string {
  return 'sha1-' + createHash('sha1').update(JSON.stringify(record)).digest('hex');
}
