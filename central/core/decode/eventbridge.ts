/**
 * Normalizes EventBridge envelopes as members forward them to the central bus: CloudTrail API calls
 * and console sign-ins carry a CloudTrail record in `detail`; GuardDuty and Config carry their own, and
 * the member scanners send their object scan results. The account of every event is the envelope's,
 * which EventBridge sets (see envelope-sender.ts): a detail about another account is rejected.
 */
import type { EventOrigin, ResourceRef, SecurityEvent } from '../event.js';
import { normalizeCloudTrail } from './cloudtrail.js';
import { attributedAccount, requireSource, senderOf } from './envelope-sender.js';
import { eventInstant } from './event-time.js';
import { arr, obj, str } from './fields.js';
import { InvalidRecordError } from './input-problem.js';
import { normalizeScanResult } from './object-scan.js';
import { SCAN_RESULT_DETAIL_TYPE } from '../../../member/scanner/scan-result.js';

/** The EventBridge detail-types Skywatch understands. */
export const SUPPORTED_DETAIL_TYPES = [
  'AWS API Call via CloudTrail',
  // Events AWS services record on their own (e.g. a shared snapshot copied by another account).
  'AWS Service Event via CloudTrail',
  'AWS Console Sign In via CloudTrail',
  'GuardDuty Finding',
  'Config Rules Compliance Change',
  SCAN_RESULT_DETAIL_TYPE,
] as const;

/** True when a parsed JSON value looks like an EventBridge envelope. */
export function isEventBridgeEnvelope(value: unknown): value is Record<string, unknown> {
  const o = obj(value);
  return o !== undefined && typeof o['detail-type'] === 'string' && 'detail' in o;
}

/**
 * Builds a SecurityEvent from an envelope. Throws RejectedEnvelopeError for one that speaks for an
 * account it does not come from, and InvalidRecordError for unknown or incomplete ones.
 */
export function normalizeEnvelope(envelope: Record<string, unknown>, origin?: EventOrigin, now: Date = new Date()): SecurityEvent {
  const detailType = str(envelope['detail-type']) ?? '';
  const detail = obj(envelope.detail);
  if (!detail) throw new InvalidRecordError(`EventBridge event "${detailType}" has no detail object`);
  switch (detailType) {
    case 'AWS API Call via CloudTrail':
    case 'AWS Service Event via CloudTrail':
    case 'AWS Console Sign In via CloudTrail': {
      requireSource(envelope, detailType);
      const account = attributedAccount(senderOf(envelope, detailType), detail, 'recipientAccountId', detailType);
      return normalizeCloudTrail(detail, origin, { account, now });
    }
    case 'GuardDuty Finding':
      requireSource(envelope, detailType, 'aws.guardduty');
      return normalizeGuardDuty(envelope, detail, attributedAccount(senderOf(envelope, detailType), detail, 'accountId', detailType), now, origin);
    case 'Config Rules Compliance Change':
      requireSource(envelope, detailType, 'aws.config');
      return normalizeConfigChange(envelope, detail, attributedAccount(senderOf(envelope, detailType), detail, 'awsAccountId', detailType), now, origin);
    case SCAN_RESULT_DETAIL_TYPE:
      return normalizeScanResult(envelope, detail, senderOf(envelope, detailType), now, origin);
    default:
      throw new InvalidRecordError(`unsupported EventBridge detail-type "${detailType}"`);
  }
}

function envelopeIdentity(envelope: Record<string, unknown>, what: string) {
  const id = str(envelope.id);
  const time = str(envelope.time);
  if (!id || !time) throw new InvalidRecordError(`${what} envelope has no id or time`);
  return { id, time };
}

/** The detail's own time when it has one, else the envelope's; either must be a valid instant. */
function timeOf(detailTime: unknown, field: string, envelopeTime: string, now: Date): string {
  return detailTime === undefined ? eventInstant(envelopeTime, 'time', now).time : eventInstant(detailTime, field, now).time;
}

function normalizeGuardDuty(envelope: Record<string, unknown>, finding: Record<string, unknown>, account: string, now: Date, origin?: EventOrigin): SecurityEvent {
  const { id, time } = envelopeIdentity(envelope, 'GuardDuty Finding');
  const type = str(finding.type);
  if (!type) throw new InvalidRecordError('GuardDuty finding has no type');
  const region = str(finding.region) ?? str(envelope.region);
  if (!region) throw new InvalidRecordError('GuardDuty finding has no region');
  const resource = obj(finding.resource);
  const key = obj(resource?.accessKeyDetails);
  const action = obj(obj(finding.service)?.action);
  return {
    // The envelope id changes with every update of the finding; SQS redelivery keeps it.
    id,
    kind: 'guardduty',
    time: timeOf(finding.updatedAt, 'detail.updatedAt', time, now),
    account,
    region,
    source: 'guardduty.amazonaws.com',
    name: type,
    actor: key
      ? { type: str(key.userType) ?? 'Unknown', name: str(key.userName), principalId: str(key.principalId), accessKeyId: str(key.accessKeyId) }
      : { type: 'AWSService', name: 'guardduty.amazonaws.com', invokedBy: 'guardduty.amazonaws.com' },
    sourceIp: remoteIp(action),
    resources: guardDutyResources(finding, resource),
    raw: finding,
    origin,
  };
}

/** GuardDuty puts the remote address under whichever action type the finding has. */
function remoteIp(action: Record<string, unknown> | undefined): string | undefined {
  if (!action) return undefined;
  for (const key of ['awsApiCallAction', 'networkConnectionAction', 'kubernetesApiCallAction', 'rdsLoginAttemptAction']) {
    const details = obj(obj(action[key])?.remoteIpDetails);
    const ip = str(details?.ipAddressV4) ?? str(details?.ipAddressV6);
    if (ip) return ip;
  }
  const probe = obj(arr(obj(action.portProbeAction)?.portProbeDetails)[0]);
  return str(obj(probe?.remoteIpDetails)?.ipAddressV4);
}

function guardDutyResources(finding: Record<string, unknown>, resource: Record<string, unknown> | undefined): ResourceRef[] {
  const out: ResourceRef[] = [];
  const instanceId = str(obj(resource?.instanceDetails)?.instanceId);
  if (instanceId) out.push({ type: 'AWS::EC2::Instance', id: instanceId });
  for (const b of arr(resource?.s3BucketDetails)) {
    const arn = str(obj(b)?.arn) ?? str(obj(b)?.name);
    if (arn) out.push({ type: 'AWS::S3::Bucket', id: arn });
  }
  const keyId = str(obj(resource?.accessKeyDetails)?.accessKeyId);
  if (keyId) out.push({ type: 'AWS::IAM::AccessKey', id: keyId });
  if (out.length === 0) out.push({ type: 'AWS::GuardDuty::Finding', id: str(finding.arn) ?? str(finding.id) ?? 'unknown' });
  return out;
}

function normalizeConfigChange(envelope: Record<string, unknown>, detail: Record<string, unknown>, account: string, now: Date, origin?: EventOrigin): SecurityEvent {
  const { id, time } = envelopeIdentity(envelope, 'Config Rules Compliance Change');
  const rule = str(detail.configRuleName);
  if (!rule) throw new InvalidRecordError('Config compliance change has no configRuleName');
  const region = str(detail.awsRegion) ?? str(envelope.region);
  if (!region) throw new InvalidRecordError('Config compliance change has no region');
  const resourceId = str(detail.resourceId);
  return {
    id,
    kind: 'config',
    time: timeOf(detail.notificationCreationTime, 'detail.notificationCreationTime', time, now),
    account,
    region,
    source: 'config.amazonaws.com',
    name: 'ConfigRulesComplianceChange',
    actor: { type: 'AWSService', name: 'config.amazonaws.com', invokedBy: 'config.amazonaws.com' },
    resources: resourceId ? [{ type: str(detail.resourceType) ?? 'Other', id: resourceId }] : [],
    raw: detail,
    origin,
  };
}
