/**
 * The detector runtime on its two paths, against a real S3 emulator: forwarded events and
 * organization-trail files, deduplicated across both, findings in the outbox before a record is
 * acknowledged, and every bad record failed alone with its reason logged.
 */
import { gzipSync } from 'node:zlib';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { S3ObjectStore } from '../../central/aws/adapters/s3-object-store.js';
import { detectorHandler, intakeRuntime } from '../../central/aws/detector/sqs-intake.js';
import { MemoryOutbox } from '../../central/core/delivery/outbox.js';
import { SignalRoutingSink, type SignalSink } from '../../central/core/delivery/signals.js';
import { Detector } from '../../central/core/detector.js';
import type { SecurityEvent } from '../../central/core/event.js';
import type { AsffFinding } from '../../central/core/findings/asff.js';
import { Intake } from '../../central/core/intake.js';
import { MemoryStateStore } from '../../central/core/state/memory-store.js';
import { RuleEngine } from '../../central/core/rules/engine.js';
import { loadRuleFolders } from '../../central/local/rule-files.js';
import { loadBundledIoc } from '../../central/aws/statistics/bundled-rules.js';
import { StoredIocTallies } from '../../central/core/ioc/stored-tallies.js';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/repo-paths.js';
import { apiCallEnvelope, cloudTrailRecord, rootIdentity } from '../support/cloudtrail.js';
import { ManualClock } from '../support/detector.js';
import { startS3, type LocalS3 } from '../support/s3rver.js';
import { s3Notification, sqsEvent, sqsRecord } from '../support/sqs-events.js';
import { FORGER, forgedEnvelopes, VICTIM, victimRootKey } from '../support/forged.js';

const BUCKET = 'org-trail-logs-333333333333';
const PREFIX = 'AWSLogs/o-a1b2c3d4e5/';
const { rules } = loadRuleFolders();

/** Root creating an access key in 111122223333: a write, forwarded by EventBridge and in the trail. */
const rootKey = cloudTrailRecord({
  userIdentity: rootIdentity,
  eventSource: 'iam.amazonaws.com',
  eventName: 'CreateAccessKey',
  awsRegion: 'us-east-1',
  sourceIPAddress: '198.51.100.24',
  eventID: '6f2e3b1c-0d4a-4e8b-9c7f-1a2b3c4d5e6f',
  readOnly: false,
  requestParameters: {},
  responseElements: { accessKey: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', status: 'Active', userName: 'root', createDate: 'Nov 2, 2026 9:14:03 AM' } },
});

class MemorySignals implements SignalSink {
  readonly events: SecurityEvent[] = [];
  readonly findings: AsffFinding[] = [];
  async put(events: readonly SecurityEvent[]) {
    this.events.push(...events);
  }
  async putFindings(findings: readonly AsffFinding[]) {
    this.findings.push(...findings);
  }
}

let s3: LocalS3;
beforeAll(async () => {
  s3 = await startS3();
  await s3.createBucket(BUCKET);
});
afterAll(() => s3.close());

let outbox: MemoryOutbox;
let signals: MemorySignals;
let state: MemoryStateStore;
let logged: string[];
let handle: ReturnType<typeof detectorHandler>;

beforeEach(() => {
  outbox = new MemoryOutbox();
  signals = new MemorySignals();
  state = new MemoryStateStore();
  logged = [];
  const capture = (...args: unknown[]) => void logged.push(args.map(String).join(' '));
  vi.spyOn(console, 'log').mockImplementation(capture);
  vi.spyOn(console, 'error').mockImplementation(capture);
  handle = handlerOver(outbox);
});
afterEach(() => vi.restoreAllMocks());

function handlerOver(sink: { put(findings: readonly AsffFinding[]): Promise<void> }, maxObjectBytes = 1024 * 1024) {
  const clock = new ManualClock();
  const detector = new Detector({ engine: new RuleEngine(rules), state, sink: new SignalRoutingSink(sink, signals), clock });
  // The bundled IOC lists, loaded as the function loads them.
  const ioc = { matcher: loadBundledIoc(join(REPO_ROOT, 'rules'), new Date('2026-11-02T12:00:00Z')).matcher, tallies: new StoredIocTallies(state, clock), findings: sink };
  const intake = new Intake({ detector, state, signals, objects: new S3ObjectStore(s3.client), maxObjectBytes, ioc });
  return detectorHandler(intakeRuntime(intake, { bucket: BUCKET, prefix: PREFIX, maxObjectBytes }));
}

async function putTrailFile(key: string, body: Uint8Array): Promise<SQSRecord> {
  await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
  return sqsRecord(JSON.stringify(s3Notification(BUCKET, key, body.length)));
}

const trailKey = (name: string) => `${PREFIX}111122223333/CloudTrail/us-east-1/2026/11/02/${name}`;
const pending = async () => {
  const out: AsffFinding[] = [];
  for await (const page of outbox.pages()) out.push(...page.map((i) => i.finding));
  return out;
};

describe('the detector runtime', () => {
  it('puts the finding of a forwarded event in the outbox', async () => {
    const result = await handle(sqsEvent([sqsRecord(JSON.stringify(apiCallEnvelope(rootKey)))]));
    expect(result.batchItemFailures).toEqual([]);
    const findings = await pending();
    expect(findings.map((f) => [f.ProductFields['skywatch/RuleId'], f.AwsAccountId, f.Region])).toContainEqual(['root-account-usage', '111122223333', 'us-east-1']);
  });

  it('reads a trail file whose key needed URL-decoding and detects on its records', async () => {
    const record = await putTrailFile(trailKey('111122223333_CloudTrail_us-east-1_20261102T0915Z_a+b c.json.gz'), gzipSync(JSON.stringify({ Records: [rootKey] })));
    expect(record.body).toContain('a%2Bb+c.json.gz');
    expect((await handle(sqsEvent([record]))).batchItemFailures).toEqual([]);
    expect((await pending()).map((f) => f.ProductFields['skywatch/RuleId'])).toContain('root-account-usage');
  });

  it('detects an event once when it arrives forwarded and again in the trail, and when a message is redelivered', async () => {
    const forwarded = sqsRecord(JSON.stringify(apiCallEnvelope(rootKey)));
    await handle(sqsEvent([forwarded]));
    const first = await pending();
    await outbox.remove(first);
    await handle(sqsEvent([forwarded, await putTrailFile(trailKey('111122223333_CloudTrail_us-east-1_20261102T0915Z_dup.json.gz'), gzipSync(JSON.stringify({ Records: [rootKey] })))]));
    expect(await pending()).toEqual([]);
    expect(logged.some((l) => l.includes('"fresh":0'))).toBe(true);
  });

  it('tallies IOC hits of CloudTrail calls in the state: one finding per list, indicator and account, each event counted once whichever path brings it', async () => {
    // The demo attacker's address (a documentation address on the bundled demo list), reading S3 from outside.
    const listed = (eventID: string, eventTime: string) =>
      cloudTrailRecord({ userIdentity: rootIdentity, eventSource: 's3.amazonaws.com', eventName: 'ListBuckets', awsRegion: 'us-east-1', sourceIPAddress: '203.0.113.66', eventID, eventTime, readOnly: true, requestParameters: {}, responseElements: null });
    const first = listed('0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d', '2026-11-02T09:14:03Z');
    const second = listed('1c2d3e4f-5061-4b7c-9d8e-0f1a2b3c4d5e', '2026-11-02T09:20:41Z');
    const iocFindings = async () => (await pending()).filter((f) => f.ProductFields['skywatch/EventKind'] === 'ioc');
    await handle(sqsEvent([await putTrailFile(trailKey('111122223333_CloudTrail_us-east-1_20261102T0915Z_ioc1.json.gz'), gzipSync(JSON.stringify({ Records: [first] })))]));
    const [one] = await iocFindings();
    expect(one).toMatchObject({ AwsAccountId: '111122223333', Region: 'us-east-1', Severity: { Label: 'HIGH' } });
    expect(one!.ProductFields).toMatchObject({ 'skywatch/Ioc/List': 'demo-known-bad', 'skywatch/Ioc/Indicator': '203.0.113.66', 'skywatch/Ioc/Field': 'sourceIp', 'skywatch/EventCount': '1' });
    await outbox.remove(await pending());
    // The same call again (a redelivered file) counts nothing; a new one counts, in the same finding.
    await handle(sqsEvent([await putTrailFile(trailKey('111122223333_CloudTrail_us-east-1_20261102T0925Z_ioc2.json.gz'), gzipSync(JSON.stringify({ Records: [first, second] })))]));
    const [two, ...more] = await iocFindings();
    expect(more).toEqual([]);
    expect(two!.Id).toBe(one!.Id);
    expect(two!.ProductFields['skywatch/EventCount']).toBe('2');
    expect([two!.FirstObservedAt, two!.LastObservedAt]).toEqual(['2026-11-02T09:14:03Z', '2026-11-02T09:20:41Z']);
  });

  it('accepts a 0-byte trail file and says so', async () => {
    const result = await handle(sqsEvent([await putTrailFile(trailKey('111122223333_CloudTrail_us-east-1_20261102T0920Z_empty.json.gz'), new Uint8Array())]));
    expect(result.batchItemFailures).toEqual([]);
    expect(logged.some((l) => l.includes('empty file (0 bytes)'))).toBe(true);
  });

  it('keeps the records a truncated gzip still holds and reports the file', async () => {
    const whole = gzipSync(JSON.stringify({ Records: [rootKey, cloudTrailRecord({ eventID: 'aaaaaaaa-0000-4000-8000-000000000001' })] }));
    const name = trailKey('111122223333_CloudTrail_us-east-1_20261102T0925Z_cut.json.gz');
    const result = await handle(sqsEvent([await putTrailFile(name, whole.subarray(0, whole.length - 12))]));
    expect(result.batchItemFailures).toEqual([]);
    expect(logged.some((l) => l.includes('corrupt gzip') && l.includes(name))).toBe(true);
  });

  it('fails a malformed body alone and goes on with the rest of the batch', async () => {
    const bad = sqsRecord('{"Records": [ not json');
    const good = sqsRecord(JSON.stringify(apiCallEnvelope(rootKey)));
    const result = await handle(sqsEvent([bad, good]));
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: bad.messageId }]);
    expect((await pending()).length).toBeGreaterThan(0);
    expect(logged.some((l) => l.includes(bad.messageId) && l.includes('body is not JSON'))).toBe(true);
  });

  it('fails a notification for a missing object, an object outside the trail, and an oversized one, naming each', async () => {
    const missing = sqsRecord(JSON.stringify(s3Notification(BUCKET, trailKey('gone.json.gz'), 100)));
    const outside = sqsRecord(JSON.stringify(s3Notification('someone-elses-bucket', trailKey('x.json.gz'), 100)));
    const big = await putTrailFile(trailKey('111122223333_CloudTrail_us-east-1_20261102T0930Z_big.json.gz'), Buffer.alloc(4096, 32));
    handle = handlerOver(outbox, 1024);
    const result = await handle(sqsEvent([missing, outside, big]));
    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([missing.messageId, outside.messageId, big.messageId]);
    expect(logged.some((l) => l.includes('gone.json.gz does not exist'))).toBe(true);
    expect(logged.some((l) => l.includes('is not under the organization trail'))).toBe(true);
    expect(logged.some((l) => l.includes('_big.json.gz is 4096 bytes, more than the 1024 bytes accepted'))).toBe(true);
  });

  it('does not mark events seen when the outbox write fails, so the retry detects them', async () => {
    let fail = true;
    handle = handlerOver({ put: async (findings) => (fail ? Promise.reject(new Error('ProvisionedThroughputExceededException')) : outbox.put(findings)) });
    const message = sqsRecord(JSON.stringify(apiCallEnvelope(rootKey)));
    expect((await handle(sqsEvent([message]))).batchItemFailures).toEqual([{ itemIdentifier: message.messageId }]);
    fail = false;
    expect((await handle(sqsEvent([message]))).batchItemFailures).toEqual([]);
    expect((await pending()).map((f) => f.ProductFields['skywatch/RuleId'])).toContain('root-account-usage');
  });

  it('notifies GuardDuty findings and never imports them, also when a rule restates one', async () => {
    const finding = (id: string, type: string) => ({
      version: '0',
      id: `c8c4daa7-a20c-2f03-0070-${id.slice(0, 12)}`,
      'detail-type': 'GuardDuty Finding',
      source: 'aws.guardduty',
      account: '111122223333',
      time: '2026-11-02T09:30:00Z',
      region: 'us-east-1',
      resources: [],
      detail: {
        schemaVersion: '2.0', accountId: '111122223333', region: 'us-east-1', partition: 'aws', id,
        arn: `arn:aws:guardduty:us-east-1:111122223333:detector/12c5f0d8a3b94e7f6d1a2b3c4d5e6f70/finding/${id}`,
        type, severity: 8, title: 'Credentials for instance role web used from external IP address.',
        resource: { resourceType: 'AccessKey', accessKeyDetails: { accessKeyId: 'ASIAIOSFODNN7EXAMPLE', principalId: 'AROAEXAMPLE:i-0123456789abcdef0', userName: 'web', userType: 'AssumedRole' } },
        service: { serviceName: 'guardduty', detectorId: '12c5f0d8a3b94e7f6d1a2b3c4d5e6f70', action: { actionType: 'AWS_API_CALL', awsApiCallAction: { api: 'ListBuckets', serviceName: 's3.amazonaws.com', remoteIpDetails: { ipAddressV4: '203.0.113.7' } } }, count: 1 },
        createdAt: '2026-11-02T09:29:00Z', updatedAt: '2026-11-02T09:29:00Z',
      },
    });
    const restated = finding('16afba5c5c43e07c9e3e5e2e544e95df', 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS');
    const plain = finding('5eb2f1ab3e2a4c0d8a1b2c3d4e5f6a7b', 'Recon:EC2/PortProbeUnprotectedPort');
    const result = await handle(sqsEvent([sqsRecord(JSON.stringify(restated)), sqsRecord(JSON.stringify(plain))]));
    expect(result.batchItemFailures).toEqual([]);
    expect(await pending()).toEqual([]);
    expect(signals.findings.map((f) => f.ProductFields['skywatch/RuleId'])).toEqual(['guardduty-instance-credential-exfiltration']);
    expect(signals.events.map((e) => [e.kind, e.name])).toEqual([['guardduty', 'Recon:EC2/PortProbeUnprotectedPort']]);
  });

  it('imports the finding of a CloudTrail call to the GuardDuty or Config API: activity, not a signal', async () => {
    const stop = cloudTrailRecord({ eventSource: 'config.amazonaws.com', eventName: 'StopConfigurationRecorder', eventID: '0b4c1f7e-9a2d-4c6b-8e1f-2a3b4c5d6e7f', readOnly: false, requestParameters: { configurationRecorderName: 'default' }, responseElements: null });
    expect((await handle(sqsEvent([sqsRecord(JSON.stringify(apiCallEnvelope(stop)))]))).batchItemFailures).toEqual([]);
    expect((await pending()).map((f) => f.ProductFields['skywatch/RuleId'])).toEqual(['config-recorder-stopped']);
    expect(signals.findings).toEqual([]);
  });

  it('skips CloudTrail digest files', async () => {
    const digest = `${PREFIX}111122223333/CloudTrail-Digest/us-east-1/2026/11/02/111122223333_CloudTrail-Digest_us-east-1_org_us-east-1_20261102T0900Z.json.gz`;
    const result = await handle(sqsEvent([await putTrailFile(digest, gzipSync('{"awsAccountId":"111122223333"}'))]));
    expect(result.batchItemFailures).toEqual([]);
    expect(logged.some((l) => l.includes('"skipped":"CloudTrail digest file"'))).toBe(true);
  });

  it('turns no forged envelope into a finding or a notification, counts each and acknowledges it', async () => {
    const forged = forgedEnvelopes().map(({ envelope }) => sqsRecord(JSON.stringify(envelope)));
    const genuine = sqsRecord(JSON.stringify(apiCallEnvelope(rootKey)));
    const result = await handle(sqsEvent([...forged, genuine]));
    expect(result.batchItemFailures).toEqual([]);
    const findings = await pending();
    expect(findings.filter((f) => f.AwsAccountId !== '111122223333')).toEqual([]);
    expect(findings.map((f) => f.ProductFields['skywatch/RuleId'])).toContain('root-account-usage');
    expect(signals.events).toEqual([]);
    expect(signals.findings).toEqual([]);
    const rejected = logged.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.message === 'event rejected');
    expect(rejected.map((l) => [l.messageId, l.Reason, l.RejectedEvents])).toEqual(forged.map((r, i) => [r.messageId, i === 0 || i === 3 || i === 5 ? 'untrusted-source' : 'account-mismatch', 1]));
    expect(rejected[1]).toMatchObject({ level: 'warn', sender: FORGER, claimed: VICTIM, field: 'detail.recipientAccountId', detailType: 'AWS API Call via CloudTrail' });
    // The embedded metric format: CloudWatch counts RejectedEvents by Reason from the log line alone.
    expect(rejected[1]!._aws).toMatchObject({ CloudWatchMetrics: [{ Namespace: 'Skywatch', Dimensions: [['Reason']], Metrics: [{ Name: 'RejectedEvents', Unit: 'Count' }] }] });
  });

  it('rejects a record of a trail file that is about another account than the file\'s', async () => {
    const key = trailKey('111122223333_CloudTrail_us-east-1_20261102T0935Z_mixed.json.gz');
    const record = await putTrailFile(key, gzipSync(JSON.stringify({ Records: [victimRootKey()] })));
    expect((await handle(sqsEvent([record]))).batchItemFailures).toEqual([]);
    expect(await pending()).toEqual([]);
    expect(logged.some((l) => l.includes(`rejected: a record about account ${VICTIM} in a trail file of account 111122223333`))).toBe(true);
  });
});
