/**
 * Assembles complete CloudTrail records: the envelope fields every event has, in the order CloudTrail
 * writes them, so generated files read like delivered ones when someone opens them.
 */
import { s3RequestId } from './aws-ids.js';
import type { CallShape } from './catalog.js';
import type { Json } from './identity.js';
import type { Random } from './random.js';
import { isoSeconds } from './time.js';

/** One CloudTrail record. */
export type CloudTrailRecord = Json;

/** What differs between API calls; the builder fills in the rest. */
export interface ApiCall extends CallShape {
  readonly time: number;
  /** The account the event is recorded in (`recipientAccountId`). */
  readonly account: string;
  readonly identity: Json;
  readonly sourceIp: string;
  readonly userAgent: string;
  readonly vpcEndpointId?: string;
  /** Calls made from the console carry `sessionCredentialFromConsole`. */
  readonly console?: boolean;
}

// Versions per source follow what each service currently writes.
const EVENT_VERSION: Readonly<Record<string, string>> = {
  'ec2.amazonaws.com': '1.10',
  's3.amazonaws.com': '1.10',
  'signin.amazonaws.com': '1.09',
  'iam.amazonaws.com': '1.09',
  'organizations.amazonaws.com': '1.09',
};

// Services reached through one global endpoint; their host header has no region.
const GLOBAL_HOSTS: Readonly<Record<string, string>> = {
  'iam.amazonaws.com': 'iam.amazonaws.com',
  'organizations.amazonaws.com': 'organizations.us-east-1.amazonaws.com',
  'ce.amazonaws.com': 'ce.us-east-1.amazonaws.com',
  'health.amazonaws.com': 'health.us-east-1.amazonaws.com',
};

/** The TLS host header an SDK sends for a service in a region. */
export function defaultHost(source: string, region: string): string {
  return GLOBAL_HOSTS[source] ?? `${source.slice(0, source.indexOf('.'))}.${region}.amazonaws.com`;
}

/** True when a caller address is an IP, not a service name or "AWS Internal". */
export function isIp(sourceIp: string): boolean {
  return /^[0-9a-f.:]+$/i.test(sourceIp) && /\d/.test(sourceIp);
}

/** Builds a complete record. */
export function cloudTrailRecord(rng: Random, call: ApiCall): CloudTrailRecord {
  const eventType = call.eventType ?? 'AwsApiCall';
  const r: CloudTrailRecord = {
    eventVersion: EVENT_VERSION[call.source] ?? '1.08',
    userIdentity: call.identity,
    eventTime: isoSeconds(call.time),
    eventSource: call.source,
    eventName: call.name,
    awsRegion: call.region,
    sourceIPAddress: call.sourceIp,
    userAgent: call.userAgent,
  };
  if (call.errorCode) r.errorCode = call.errorCode;
  if (call.errorMessage) r.errorMessage = call.errorMessage;
  r.requestParameters = call.request ?? null;
  r.responseElements = call.response ?? null;
  if (call.additional) r.additionalEventData = call.additional;
  // EC2 repeats the request id inside its responses; the two must agree.
  const echoed = call.response?.requestId;
  r.requestID = typeof echoed === 'string' ? echoed : call.source === 's3.amazonaws.com' ? s3RequestId(rng) : rng.uuid();
  r.eventID = rng.uuid();
  r.readOnly = call.readOnly;
  if (call.resources) r.resources = call.resources;
  r.eventType = eventType;
  r.managementEvent = true;
  r.recipientAccountId = call.account;
  if (call.serviceEventDetails) r.serviceEventDetails = call.serviceEventDetails;
  if (call.shared) r.sharedEventID = rng.uuid();
  if (call.vpcEndpointId) {
    r.vpcEndpointId = call.vpcEndpointId;
    r.vpcEndpointAccountId = call.account;
  }
  r.eventCategory = 'Management';
  const host = call.host === undefined ? defaultHost(call.source, call.region) : call.host;
  if (host && eventType === 'AwsApiCall' && isIp(call.sourceIp)) {
    const modern = rng.next() < 0.85;
    r.tlsDetails = {
      tlsVersion: modern ? 'TLSv1.3' : 'TLSv1.2',
      cipherSuite: modern ? 'TLS_AES_128_GCM_SHA256' : 'ECDHE-RSA-AES128-GCM-SHA256',
      clientProvidedHostHeader: host,
    };
  }
  if (call.console) r.sessionCredentialFromConsole = 'true';
  return r;
}
