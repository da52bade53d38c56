/**
 * Inputs for the notifier tests, built from public documentation and the real pipeline:
 * - a GuardDuty finding in the GetFindings shape EventBridge carries, holding the values of GuardDuty's
 *   documented "typical finding" (the ASFF example in guardduty_doc_examples.json), wrapped in the
 *   documented EventBridge envelope;
 * - AWS Config's documented compliance change notification as an EventBridge event;
 * - a Skywatch finding produced by the detector with the built-in rules from a root API call.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SnapshotDirectory } from '../../central/core/directory/stored-directory.js';
import type { AsffFinding } from '../../central/core/findings/asff.js';
import type { SecurityEvent } from '../../central/core/event.js';
import { loadRules } from '../../central/core/rules/load.js';
import { BUILTIN_RULES_DIR, readRuleSources } from '../../central/local/rule-files.js';
import { cloudTrailRecord } from '../support/cloudtrail.js';
import { eventOf, testDetector } from '../support/detector.js';
import { FIXTURES } from '../support/fixtures.js';

type Json = Record<string, any>;

const guardDutyDocs = JSON.parse(readFileSync(`${FIXTURES}aws-docs/guardduty_doc_examples.json`, 'utf8')) as Array<{ heading: string; json: Json }>;
const configDocs = JSON.parse(readFileSync(`${FIXTURES}aws-docs/config_doc_examples.json`, 'utf8')) as Array<{ json: Json }>;

/** GuardDuty's documented typical finding, as Security Hub shows it (ASFF). */
export const guardDutyAsff: Json = guardDutyDocs.find((d) => d.heading === 'Typical finding from GuardDuty')!.json;

/** The same finding in the GetFindings shape, inside the documented EventBridge envelope. */
export function guardDutyEnvelope(): Json {
  const f = guardDutyAsff;
  const p = f.ProductFields as Record<string, string>;
  const net = 'aws/guardduty/service/action/networkConnectionAction/';
  const instance = f.Resources[0];
  return {
    version: '0',
    id: 'cd2d702e-ab31-411b-9344-793ce56b1bc7',
    'detail-type': 'GuardDuty Finding',
    source: 'aws.guardduty',
    account: f.AwsAccountId,
    time: f.UpdatedAt,
    region: instance.Region,
    resources: [],
    detail: {
      schemaVersion: '2.0',
      accountId: f.AwsAccountId,
      region: instance.Region,
      partition: 'aws',
      id: String(f.Id).split('/finding/')[1],
      arn: f.Id,
      // ASFF writes the type's "/" as "-" in Types: TTPs/Initial Access/UnauthorizedAccess:EC2-SSHBruteForce.
      type: 'UnauthorizedAccess:EC2/SSHBruteForce',
      resource: {
        resourceType: 'Instance',
        instanceDetails: {
          instanceId: String(instance.Id).split('/')[1],
          instanceType: instance.Details.AwsEc2Instance.Type,
          imageId: instance.Details.AwsEc2Instance.ImageId,
          launchTime: instance.Details.AwsEc2Instance.LaunchedAt,
          tags: [{ key: 'Name', value: instance.Tags.Name }],
        },
      },
      service: {
        serviceName: p['aws/guardduty/service/serviceName'],
        detectorId: p['aws/guardduty/service/detectorId'],
        action: {
          actionType: p['aws/guardduty/service/action/actionType'],
          networkConnectionAction: {
            connectionDirection: p[`${net}connectionDirection`],
            blocked: p[`${net}blocked`] === 'true',
            protocol: p[`${net}protocol`],
            remoteIpDetails: {
              ipAddressV4: p[`${net}remoteIpDetails/ipAddressV4`],
              organization: { asn: p[`${net}remoteIpDetails/organization/asn`], asnOrg: p[`${net}remoteIpDetails/organization/asnOrg`], isp: p[`${net}remoteIpDetails/organization/isp`], org: p[`${net}remoteIpDetails/organization/org`] },
              country: { countryName: p[`${net}remoteIpDetails/country/countryName`] },
              city: { cityName: p[`${net}remoteIpDetails/city/cityName`] },
            },
            localPortDetails: { port: Number(p[`${net}localPortDetails/port`]), portName: p[`${net}localPortDetails/portName`] },
            remotePortDetails: { port: Number(p[`${net}remotePortDetails/port`]), portName: p[`${net}remotePortDetails/portName`] },
          },
        },
        resourceRole: p['aws/guardduty/service/resourceRole'],
        archived: p['aws/guardduty/service/archived'] === 'true',
        count: Number(p['aws/guardduty/service/count']),
        eventFirstSeen: p['aws/guardduty/service/eventFirstSeen'],
        eventLastSeen: p['aws/guardduty/service/eventLastSeen'],
      },
      severity: f.Severity.Product,
      createdAt: f.CreatedAt,
      updatedAt: f.UpdatedAt,
      title: f.Title,
      description: f.Description,
    },
  };
}

/** AWS Config's documented notification (COMPLIANT, was NON_COMPLIANT) as an EventBridge event. */
export function configEnvelope(compliance: 'COMPLIANT' | 'NON_COMPLIANT' = 'COMPLIANT'): Json {
  const message = structuredClone(configDocs[0]!.json.Message) as Json;
  if (compliance === 'NON_COMPLIANT') {
    // The same change the other way round: the documented evaluations, swapped.
    [message.newEvaluationResult, message.oldEvaluationResult] = [message.oldEvaluationResult, message.newEvaluationResult];
    message.notificationCreationTime = '2016-09-27T20:02:11.204Z';
  }
  return {
    version: '0',
    id: compliance === 'COMPLIANT' ? '6f1b1ea5-7a3e-4d8c-9c52-1d0f8e2a9b77' : '0b8c7d6e-5f4a-4b3c-9d2e-1f0a9b8c7d6e',
    'detail-type': 'Config Rules Compliance Change',
    source: 'aws.config',
    account: message.awsAccountId,
    time: message.notificationCreationTime,
    region: message.awsRegion,
    resources: [],
    detail: message,
  };
}

/** A decoded signal. */
export function signalOf(envelope: Json): SecurityEvent {
  return eventOf(envelope);
}

/** The organization as onboarding saw it. */
export const directory = new SnapshotDirectory({
  takenAt: '2026-11-21T06:00:00Z',
  accounts: [
    { id: '123456789012', name: 'prod-payments', state: 'ACTIVE', ous: ['r-a1b2', 'ou-a1b2-prod0001'], tags: { environment: 'production' } },
    { id: '193043430472', name: 'sandbox-network', state: 'ACTIVE', ous: ['r-a1b2', 'ou-a1b2-sbox0001'], tags: {} },
  ],
});

const rootOf123 = {
  type: 'Root',
  principalId: '123456789012',
  arn: 'arn:aws:iam::123456789012:root',
  accountId: '123456789012',
  accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
  sessionContext: { attributes: { creationDate: '2026-11-21T11:58:10Z', mfaAuthenticated: 'true' } },
};

let rules: ReturnType<typeof loadRules>['rules'] | undefined;

/** The finding the detector writes when root lists buckets in 123456789012 from 192.0.2.10. */
export async function rootFinding(): Promise<AsffFinding> {
  // The shipped rule, compiled alone: the whole rule set is not needed to produce this finding.
  rules ??= loadRules(readRuleSources([join(BUILTIN_RULES_DIR, 'root-account-usage.yaml')]).sources).rules;
  const { detector } = testDetector(rules);
  const event = eventOf(
    cloudTrailRecord({
      userIdentity: rootOf123,
      eventTime: '2026-11-21T11:59:30Z',
      eventSource: 's3.amazonaws.com',
      eventName: 'ListBuckets',
      awsRegion: 'us-east-1',
      sourceIPAddress: '192.0.2.10',
      requestParameters: { Host: 's3.amazonaws.com' },
      eventID: '3f2b8e3a-6c1d-4e5f-9a8b-7c6d5e4f3a21',
      recipientAccountId: '123456789012',
    }),
  );
  const { findings } = await detector.process([event]);
  const finding = findings.find((f) => f.ProductFields['skywatch/RuleId'] === 'root-account-usage');
  if (!finding) throw new Error('the root-account-usage rule did not fire');
  return finding;
}
