import { describe, expect, it } from 'vitest';
import { RuleEngine } from '../../central/core/rules/engine.js';
import { decodeTestRecords } from '../../central/core/rules/self-test.js';
import { loadRuleFolders } from '../../central/local/rule-files.js';
import { matchesEventPattern, UnsupportedPatternError } from '../support/event-pattern-match.js';
import { FROM_TRAIL_ONLY, forwardingPatterns, patternLength } from '../../stacks/member/forwarding-patterns.js';
import { cloudTrailRecord, eventBridgeEnvelope, rootIdentity } from '../support/cloudtrail.js';

type Json = Record<string, unknown>;

const { rules } = loadRuleFolders([], {});
/** The member account of the fixtures (cloudTrailRecord, the rules' GuardDuty tests). */
const MEMBER = '111122223333';
const patterns = forwardingPatterns(rules, { account: MEMBER });
// Behaviour rules over every event read the organization trail, not forwarded events (FROM_TRAIL_ONLY).
const engine = new RuleEngine(rules.filter((r) => !FROM_TRAIL_ONLY.has(r.id)));

const envelopeOf = eventBridgeEnvelope;

/** The patterns whose rules, on the default bus of the event's account, forward it. */
const forwardedBy = (event: Json) => forwardingPatterns(rules, { account: String(event.account) }).filter((p) => matchesEventPattern(p.pattern, event)).map((p) => p.name);

describe('the forwarding patterns', () => {
  it('are valid JSON, uniquely named, each within EventBridge\'s 2048-character default', () => {
    for (const { name, pattern } of patterns) {
      expect(JSON.parse(JSON.stringify(pattern)), name).toEqual(pattern);
      expect(patternLength(pattern), name).toBeLessThanOrEqual(2048);
    }
    expect(new Set(patterns.map((p) => p.name)).size).toBe(patterns.length);
  });

  it('name the detail-types they forward, and API-call patterns also say which calls: no catch-all', () => {
    for (const { name, pattern } of patterns) {
      const detailTypes = pattern['detail-type'] as string[];
      expect(detailTypes, name).toEqual(expect.any(Array));
      if (detailTypes.includes('AWS API Call via CloudTrail')) expect(Object.keys(pattern.detail as Json).length, name).toBeGreaterThan(0);
    }
  });

  it('include the fixed console, GuardDuty and Config patterns and the narrow ones, in a stable order', () => {
    const names = patterns.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['access-denied', 'config-compliance', 'console-sign-in', 'guardduty', 'instance-credential-reads', 'root-activity']));
    expect(forwardingPatterns([...rules].reverse(), { account: MEMBER })).toEqual(patterns);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })));
  });

  it('split into more patterns, each still within the limit, when the limit is lower', () => {
    const small = forwardingPatterns(rules, { account: MEMBER, maxLength: 600 });
    expect(small.length).toBeGreaterThan(patterns.length);
    for (const p of small) expect(patternLength(p.pattern), p.name).toBeLessThanOrEqual(600);
  });

  it('refuse a rule on every event that has no narrow pattern, rather than forward everything', () => {
    expect(() => forwardingPatterns([{ id: 'new-catch-all', keys: [{ source: '*', name: '*' }] }], { account: MEMBER })).toThrow(/new-catch-all listens to every event/);
  });

  it('forward an unrelated write no rule needs (CreateTags on an instance by an SSO user) through no pattern', () => {
    const record = cloudTrailRecord({
      eventName: 'CreateTags',
      readOnly: false,
      requestParameters: { resourcesSet: { items: [{ resourceId: 'i-0abc123def4567890' }] }, tagSet: { items: [{ key: 'team', value: 'payments' }] } },
      responseElements: { _return: true },
    });
    expect(rules.some((r) => r.keys.some((k) => k.name === 'CreateTags'))).toBe(false);
    expect(engine.evaluate(decodeOne(record))).toEqual([]);
    expect(forwardedBy(envelopeOf(record))).toEqual([]);
  });
});

describe('the GuardDuty and Config patterns', () => {
  // A GuardDuty administrator's default bus also carries the findings of the accounts it administers.
  const ADMINISTRATOR = '444455556666';
  const finding = (bus: string, about: string) => ({
    version: '0',
    id: '7c6a9d0e-1b2f-4a3c-8d4e-5f6a7b8c9d0e',
    'detail-type': 'GuardDuty Finding',
    source: 'aws.guardduty',
    account: bus,
    time: '2026-11-09T16:05:11Z',
    region: 'eu-west-1',
    resources: [],
    detail: { schemaVersion: '2.0', accountId: about, region: 'eu-west-1', id: '7769063fec8837c3e5fa879b7033eea5', type: 'Recon:IAMUser/MaliciousIPCaller.Custom', severity: 5 },
  });
  const compliance = (bus: string, about: string) => ({
    version: '0',
    id: '0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a',
    'detail-type': 'Config Rules Compliance Change',
    source: 'aws.config',
    account: bus,
    time: '2026-11-09T16:05:11Z',
    region: 'eu-west-1',
    resources: [],
    detail: { resourceId: 'sg-0123456789abcdef0', awsRegion: 'eu-west-1', awsAccountId: about, configRuleName: 'restricted-ssh', newEvaluationResult: { complianceType: 'NON_COMPLIANT' } },
  });

  it('name the member account itself as the one the finding or change must be about', () => {
    expect(patterns.find((p) => p.name === 'guardduty')!.pattern).toEqual({ source: ['aws.guardduty'], 'detail-type': ['GuardDuty Finding'], detail: { accountId: [MEMBER] } });
    expect(patterns.find((p) => p.name === 'config-compliance')!.pattern).toEqual({ source: ['aws.config'], 'detail-type': ['Config Rules Compliance Change'], detail: { awsAccountId: [MEMBER] } });
  });

  it('forward a GuardDuty finding about the account itself, and not one about an account it administers', () => {
    expect(forwardedBy(finding(MEMBER, MEMBER))).toEqual(['guardduty']);
    expect(forwardedBy(finding(ADMINISTRATOR, ADMINISTRATOR))).toEqual(['guardduty']);
    expect(forwardedBy(finding(ADMINISTRATOR, MEMBER))).toEqual([]);
  });

  it('forward a Config compliance change about the account itself, and not one about another account', () => {
    expect(forwardedBy(compliance(MEMBER, MEMBER))).toEqual(['config-compliance']);
    expect(forwardedBy(compliance(ADMINISTRATOR, MEMBER))).toEqual([]);
  });
});

describe('the narrow patterns for rules on every event', () => {
  const createTags = { eventName: 'CreateTags', readOnly: false, requestParameters: { resourcesSet: { items: [{ resourceId: 'i-0abc123def4567890' }] } } };
  const ruleMatches = (id: string, record: Json) => engine.evaluate(decodeOne(record)).some((h) => h.rule.id === id);

  it('forward a root call on an API no rule names through root-activity alone, but not one a service made as root', () => {
    const record = cloudTrailRecord({ ...createTags, userIdentity: rootIdentity });
    expect(ruleMatches('root-account-usage', record)).toBe(true);
    expect(forwardedBy(envelopeOf(record))).toEqual(['root-activity']);
    const onBehalf = cloudTrailRecord({ ...createTags, userIdentity: { ...rootIdentity, invokedBy: 'cloudformation.amazonaws.com' } });
    expect(ruleMatches('root-account-usage', onBehalf)).toBe(false);
    expect(forwardedBy(envelopeOf(onBehalf))).toEqual([]);
  });

  it('forward denials whatever the API, EC2 style and VPC endpoint style, through access-denied', () => {
    for (const errorCode of ['Client.UnauthorizedOperation', 'AccessDenied', 'VpceAccessDenied', 'AuthorizationError']) {
      const record = cloudTrailRecord({ ...createTags, errorCode, errorMessage: 'You are not authorized to perform this operation.' });
      expect(forwardedBy(envelopeOf(record)), errorCode).toEqual(['access-denied']);
    }
    expect(forwardedBy(envelopeOf(cloudTrailRecord({ ...createTags, errorCode: 'InvalidParameterValue' })))).toEqual([]);
  });

  it('forward reads by an instance profile session through instance-credential-reads (live only with all management events)', () => {
    const identity = {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLEROLEID456:i-0abc123def4567890',
      arn: 'arn:aws:sts::111122223333:assumed-role/web-server/i-0abc123def4567890',
      accountId: '111122223333',
      sessionContext: { sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::111122223333:role/web-server', userName: 'web-server' } },
    };
    expect(forwardedBy(envelopeOf(cloudTrailRecord({ userIdentity: identity, eventName: 'DescribeSnapshots' })))).toEqual(['instance-credential-reads']);
    expect(forwardedBy(envelopeOf(cloudTrailRecord({ eventName: 'DescribeSnapshots' })))).toEqual([]);
  });
});

describe('the event pattern matcher, on the semantics of the EventBridge documentation', () => {
  const ec2 = { source: 'aws.ec2', 'detail-type': 'EC2 Instance State-change Notification', resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f'], detail: { state: 'terminated', 'instance-id': 'i-b188560f' } };

  it('matches when every field in the pattern matches (AND) and ignores fields it does not name', () => {
    expect(matchesEventPattern({ source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['terminated'] } }, ec2)).toBe(true);
    expect(matchesEventPattern({ source: ['aws.ec2'], detail: { state: ['running'] } }, ec2)).toBe(false);
  });

  it('matches any of the values listed for a field (OR)', () => {
    expect(matchesEventPattern({ source: ['aws.fargate', 'aws.ec2'] }, ec2)).toBe(true);
  });

  it('matches an array in the event when any element matches, including arrays of objects', () => {
    expect(matchesEventPattern({ resources: ['arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f', 'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f'] }, ec2)).toBe(true);
    expect(matchesEventPattern({ detail: { items: { key: ['team'] } } }, { detail: { items: [{ key: 'owner' }, { key: 'team' }] } })).toBe(true);
  });

  it('requires a field the pattern names to be in the event, with the same nesting', () => {
    expect(matchesEventPattern({ detail: { errorCode: ['AccessDenied'] } }, ec2)).toBe(false);
    expect(matchesEventPattern({ state: ['terminated'] }, ec2)).toBe(false);
  });

  it('matches exact values by type and case: true is not "true", Root is not root', () => {
    expect(matchesEventPattern({ detail: { readOnly: [true] } }, { detail: { readOnly: true } })).toBe(true);
    expect(matchesEventPattern({ detail: { readOnly: [true] } }, { detail: { readOnly: 'true' } })).toBe(false);
    expect(matchesEventPattern({ detail: { type: ['Root'] } }, { detail: { type: 'root' } })).toBe(false);
  });

  it('matches a prefix, and a wildcard where * is any run of characters and \\* a literal star', () => {
    expect(matchesEventPattern({ time: [{ prefix: '2017-10-02' }] }, { time: '2017-10-02T18:43:48Z' })).toBe(true);
    expect(matchesEventPattern({ time: [{ prefix: '2017-10-02' }] }, { time: '2017-10-03T18:43:48Z' })).toBe(false);
    const arn = [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }];
    expect(matchesEventPattern({ EventBusArn: arn }, { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/default' })).toBe(true);
    expect(matchesEventPattern({ EventBusArn: arn }, { EventBusArn: 'arn:aws:events:eu-west-1:123456789012:event-bus/default' })).toBe(false);
    expect(matchesEventPattern({ f: [{ wildcard: 'a\\*b' }] }, { f: 'a*b' })).toBe(true);
    expect(matchesEventPattern({ f: [{ wildcard: 'a\\*b' }] }, { f: 'axxb' })).toBe(false);
  });

  it('matches exists: true on a present leaf, exists: false on an absent one (nested objects are not leaves)', () => {
    expect(matchesEventPattern({ detail: { state: [{ exists: true }] } }, ec2)).toBe(true);
    expect(matchesEventPattern({ detail: { errorCode: [{ exists: false }] } }, ec2)).toBe(true);
    expect(matchesEventPattern({ detail: [{ exists: true }] }, ec2)).toBe(false);
  });

  it('refuses an operator it does not implement instead of quietly not matching', () => {
    expect(() => matchesEventPattern({ n: [{ numeric: ['>', 0] }] }, { n: 1 })).toThrow(UnsupportedPatternError);
  });
});

function decodeOne(record: Json) {
  const decoded = decodeTestRecords([record], 'forwarding test');
  if ('reason' in decoded) throw new Error(decoded.reason);
  return decoded.events[0]!;
}

/** Read-only and network-activity records reach the central account through the organization trail. */
function throughTrailOnly(record: Json): string | undefined {
  // Envelopes in tests (GuardDuty findings) are already what the member's bus sees.
  if ('detail-type' in record) return undefined;
  if (record.readOnly === true || record.readOnly === 'true') return 'read-only';
  // Network activity events are not management events and are not documented as reaching EventBridge;
  // the organization trail carries them when it is set to log them.
  if (record.eventType === 'AwsVpceEvent') return 'network activity';
  return undefined;
}

describe('every record a rule test expects to fire on', () => {
  const checked: string[] = [];
  const viaTrail: string[] = [];
  const context: string[] = [];
  const missed: string[] = [];
  for (const rule of rules) {
    for (const test of rule.tests.filter((t) => t.fires)) {
      (test.events ?? [test.event!]).forEach((record, i) => {
        const label = `${rule.id} / ${test.name} / record ${i + 1} (${String(record.eventSource ?? record['detail-type'])} ${String(record.eventName ?? '')})`;
        const skip = throughTrailOnly(record);
        if (skip) return void viaTrail.push(`${label}: ${skip}`);
        // A sequence may hold records no rule matches (a ransom note's PutObject): nothing needs them.
        if (engine.evaluate(decodeOne(record)).length === 0) return void context.push(label);
        checked.push(label);
        if (forwardedBy(envelopeOf(record)).length === 0) missed.push(label);
      });
    }
  }

  it('is forwarded by some pattern, unless it reaches the central account through the organization trail', () => {
    expect(checked.length).toBeGreaterThan(400);
    expect(missed).toEqual([]);
  });

  it('lists what goes through the organization trail instead, and the context records no rule needs', () => {
    expect(viaTrail.filter((l) => l.endsWith('read-only')).length).toBeGreaterThan(100);
    expect(viaTrail.filter((l) => l.endsWith('network activity'))).toEqual([
      "vpc-endpoint-access-denied / an outside account's credentials denied by the S3 endpoint policy (network activity event) / record 1 (s3.amazonaws.com PutObject): network activity",
    ]);
    expect(context).toEqual([
      // Histories the behaviour rules learn from, read from the organization trail (FROM_TRAIL_ONLY).
      'behaviour-access-key-new-network / a reporting key that runs from one datacenter lists buckets from a new network / record 2 (athena.amazonaws.com StartQueryExecution)',
      'behaviour-new-region-for-account / nobody in the account used ap-southeast-3 before / record 2 (ecs.amazonaws.com UpdateService)',
      'behaviour-new-region-for-principal / a deploy role known in eu-west-1 launches instances in ap-southeast-3 after its learning week / record 2 (ecs.amazonaws.com UpdateService)',
      's3-bucket-versions-purged / every version listed, deleted in one request, ransom note uploaded (Stratus) / record 3 (s3.amazonaws.com PutObject)',
      's3-objects-encrypted-with-customer-key / twenty objects copied over themselves with SSE-C, then a ransom note (Stratus) / record 21 (s3.amazonaws.com PutObject)',
    ]);
  });
});

describe('every record any rule matches, in any test case', () => {
  it('is forwarded (threshold rules need the events below their count too), unless it goes through the trail', () => {
    const missed: string[] = [];
    for (const rule of rules) {
      for (const test of rule.tests) {
        for (const record of test.events ?? [test.event!]) {
          if (throughTrailOnly(record)) continue;
          const hits = engine.evaluate(decodeOne(record)).map((h) => h.rule.id);
          if (hits.length > 0 && forwardedBy(envelopeOf(record)).length === 0) missed.push(`${rule.id} / ${test.name}: ${hits.join(', ')}`);
        }
      }
    }
    expect(missed).toEqual([]);
  });
});
