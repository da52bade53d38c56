/**
 * Names shared by the stacks of different accounts. Each is fixed because another account has to
 * compute it without a cross-account reference (CloudFormation cannot export across accounts).
 */

/** The central custom event bus every member forwards to. */
export const CENTRAL_BUS_NAME = 'skywatch';

/** The member role the publisher assumes to import findings in that account (IAM is global: home region only). */
export const FINDING_WRITER_ROLE_NAME = 'skywatch-finding-writer';

/** The central role that publishes findings; the only principal FindingWriter roles trust. */
export const PUBLISHER_ROLE_NAME = 'skywatch-publisher';

/** The central onboarding function's role; the management account's coverage reader trusts it. */
export const ONBOARDING_ROLE_NAME = 'skywatch-onboarding';

/** The management-account role that lets onboarding read StackSet instances and the organization. */
export const COVERAGE_READER_ROLE_NAME = 'skywatch-coverage-reader';

/** Name prefix of the member forwarding rules' role, one per region; the central bus admits it by this prefix. */
export const FORWARDER_ROLE_PREFIX = 'skywatch-forwarder-';

/** Name prefix of the member object scanner's role, one per region; the central bus admits it by this prefix. */
export const SCANNER_ROLE_PREFIX = 'skywatch-scanner-';

/** The management account's role that puts Organizations events on the central bus (us-east-1 only). */
export const ORGANIZATION_EVENTS_ROLE_NAME = 'skywatch-organization-events';

/** The service-managed StackSet of the member side. */
export const MEMBER_STACK_SET_NAME = 'skywatch-member';

/** `source` and `detail-type` of the scan results members put on the central bus (one schema for both sides). */
export { SCAN_RESULT_DETAIL_TYPE, SCAN_RESULT_SOURCE } from '../member/scanner/scan-result.js';

/** The forwarding role of one region: the StackSet creates one in every region, and IAM names are account-wide. */
export function forwarderRoleName(region: string): string {
  return `${FORWARDER_ROLE_PREFIX}${region}`;
}

/** The scanner role of one region, named per region for the same reason as the forwarding role. */
export function scannerRoleName(region: string): string {
  return `${SCANNER_ROLE_PREFIX}${region}`;
}

/** The per-region bucket holding member-side Lambda code, readable by the whole organization. */
export function memberAssetBucketName(centralAccountId: string, region: string): string {
  return `${memberAssetBucketPrefix(centralAccountId)}-${region}`;
}

/** The part of the asset bucket name before `-REGION`, passed to the member template as a parameter. */
export function memberAssetBucketPrefix(centralAccountId: string): string {
  return `skywatch-assets-${centralAccountId}`;
}

/** The publisher role's ARN, computed from the configuration. */
export function publisherRoleArn(centralAccountId: string): string {
  return `arn:aws:iam::${centralAccountId}:role/${PUBLISHER_ROLE_NAME}`;
}

/** The central bus ARN, computed from the configuration. */
export function centralBusArn(centralAccountId: string, homeRegion: string): string {
  return `arn:aws:events:${homeRegion}:${centralAccountId}:event-bus/${CENTRAL_BUS_NAME}`;
}
