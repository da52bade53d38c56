/**
 * The detector Lambda's own runtime (central/aws/handlers/detector.ts, built from its environment)
 * correlating across accounts over DynamoDB (dynalite): one internet address behind findings in
 * three member accounts is one correlation finding in the central account's home region, naming the
 * three; redelivery adds nothing to it; two accounts are no correlation. Every item it writes lies in
 * a partition the detector's policy allows (stacks/central/state-access.ts), and expires.
 */
import { QueryCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoOutbox } from '../../central/aws/adapters/dynamodb-outbox.js';
import { DynamoStateStore } from '../../central/aws/adapters/dynamodb-state-store.js';
import { OUTBOX_PK } from '../../central/aws/adapters/table-layout.js';
import { S3ObjectStore } from '../../central/aws/adapters/s3-object-store.js';
import { detectorHandler, intakeRuntime } from '../../central/aws/detector/sqs-intake.js';
import { awsRuntime } from '../../central/aws/handlers/detector.js';
import { EngineCorrelator } from '../../central/core/correlation/correlator.js';
import { Detector } from '../../central/core/detector.js';
import { Intake } from '../../central/core/intake.js';
import { RuleEngine } from '../../central/core/rules/engine.js';
import { loadRuleFolders } from '../../central/local/rule-files.js';
import { S3Client } from '@aws-sdk/client-s3';
import { saveDirectory } from '../../central/core/directory/stored-directory.js';
import type { AsffFinding } from '../../central/core/findings/asff.js';
import { systemClock } from '../../central/core/ports.js';
import { STATE_ACCESS } from '../../stacks/central/state-access.js';
import { apiCallEnvelope, cloudTrailRecord } from '../support/cloudtrail.js';
import { startDynalite, type LocalDynamo } from '../support/dynalite.js';
import { sqsEvent, sqsRecord } from '../support/sqs-events.js';

const CENTRAL = '222222222222';
const HOME_REGION = 'eu-west-1';
const MEMBERS = ['111122223333', '444455556666', '777788889999'] as const;
const NAMES: Record<string, string> = { '111122223333': 'prod-payments', '444455556666': 'data-analytics', '777788889999': 'staging' };
const RULE = 'one-address-findings-in-many-accounts';
const RETENTION_DAYS = 30;

/** The same leaked access key creating an IAM user in `account` from 203.0.113.66, at `time`. */
function createUser(account: string, time: string, n: number): Record<string, unknown> {
  return cloudTrailRecord({
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAJQABLZS4A3QDU576Q',
      arn: `arn:aws:iam::${account}:user/svc-reporting`,
      accountId: account,
      accessKeyId: 'AKIAXDOCEXAMPLE0001',
      userName: 'svc-reporting',
    },
    eventTime: time,
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateUser',
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.66',
    userAgent: 'Boto3/1.35.24 md/Botocore#1.35.24 ua/2.0 os/linux#6.8.11-kali-amd64 lang/python#3.12.6 Botocore/1.35.24',
    requestParameters: { userName: `backup-admin-${n}` },
    responseElements: { user: { path: '/', userName: `backup-admin-${n}`, userId: `AIDA7IMSQCGVN3O6B7KC${n}`, arn: `arn:aws:iam::${account}:user/backup-admin-${n}`, createDate: 'Nov 3, 2026, 1:02:44 PM' } },
    eventID: `5f0c7a1e-2b3d-4c5e-8f9a-0b1c2d3e4f5${n}`,
    readOnly: false,
    recipientAccountId: account,
    tlsDetails: undefined,
  });
}

/** One SQS message per account, each an EventBridge envelope whose `account` is that account. */
function campaign(accounts: readonly string[]): SQSRecord[] {
  const times = ['2026-11-03T03:12:44Z', '2026-11-03T14:40:02Z', '2026-11-03T21:05:19Z'];
  return accounts.map((account, i) => {
    const envelope = apiCallEnvelope(createUser(account, times[i]!, i));
    expect(envelope.account).toBe(account);
    return sqsRecord(JSON.stringify(envelope));
  });
}

let dynamo: LocalDynamo;
const savedEnv = { ...process.env };
beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => {
  await dynamo.close();
});

let table = '';
let logged: string[] = [];
beforeEach(async () => {
  table = await dynamo.createTable();
  Object.assign(process.env, {
    AWS_REGION: HOME_REGION,
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    STATE_TABLE: table,
    TRAIL_BUCKET: 'aws-controltower-logs-333333333333-eu-west-1',
    TRAIL_PREFIX: 'AWSLogs/o-exampleorgid/',
    RULES_DIR: new URL('../../rules', import.meta.url).pathname,
    STATE_RETENTION_DAYS: String(RETENTION_DAYS),
    CENTRAL_ACCOUNT_ID: CENTRAL,
    HOME_REGION,
  });
  logged = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
  // The directory the onboarding function stores, which names accounts in correlation findings.
  const state = new DynamoStateStore({ client: dynamo.client, table, clock: systemClock, retentionDays: RETENTION_DAYS });
  await saveDirectory(state, { takenAt: new Date().toISOString(), accounts: MEMBERS.map((id) => ({ id, name: NAMES[id]!, state: 'ACTIVE', ous: ['r-ab12'], tags: {} })) });
});
afterEach(() => {
  vi.restoreAllMocks();
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
});

/** The outbox as the publisher will read it. */
async function outbox(): Promise<AsffFinding[]> {
  const out = await dynamo.client.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: OUTBOX_PK } } }));
  return (out.Items ?? []).map((item) => JSON.parse(item.finding!.S!) as AsffFinding);
}
const correlations = async () => (await outbox()).filter((f) => f.ProductFields['skywatch/CorrelationRule'] !== undefined);

async function everyItem(): Promise<Array<Record<string, AttributeValue>>> {
  return (await dynamo.client.send(new ScanCommand({ TableName: table }))).Items ?? [];
}

describe('the detector Lambda correlating across accounts', () => {
  it('fails its cold start without the central account or the home region', async () => {
    for (const missing of ['CENTRAL_ACCOUNT_ID', 'HOME_REGION']) {
      const saved = process.env[missing];
      delete process.env[missing];
      await expect(awsRuntime()).rejects.toThrow(`environment variable ${missing} is not set`);
      process.env[missing] = saved;
    }
  });

  it('files one finding in the central account and home region naming the three accounts, and redelivery adds nothing', async () => {
    const handle = detectorHandler(awsRuntime);
    const records = campaign(MEMBERS);
    expect((await handle(sqsEvent(records))).batchItemFailures).toEqual([]);
    const ready = logged.find((l) => l.includes('"message":"detector ready"'));
    expect(ready).toContain('"correlations":1');

    const [finding, ...more] = await correlations();
    expect(more).toEqual([]);
    expect(finding).toBeDefined();
    expect([finding!.AwsAccountId, finding!.Region, finding!.ProductFields['skywatch/CorrelationRule']]).toEqual([CENTRAL, HOME_REGION, RULE]);
    expect(finding!.ProductFields['skywatch/Accounts']!.split(',').sort()).toEqual([...MEMBERS]);
    expect(finding!.ProductArn).toContain(`:${HOME_REGION}:${CENTRAL}:product/${CENTRAL}/default`);
    for (const account of MEMBERS) expect(finding!.Title).toContain(`${NAMES[account]} (${account})`);
    // The rule findings it stands on stay in their own accounts.
    const members = (await outbox()).filter((f) => f.ProductFields['skywatch/CorrelationRule'] === undefined);
    expect(new Set(members.map((f) => f.AwsAccountId))).toEqual(new Set(MEMBERS));
    const count = finding!.ProductFields['skywatch/ObservationCount'];

    // SQS delivers the same messages again (at least once), in another order, one by one and together.
    for (const record of [...records].reverse()) expect((await handle(sqsEvent([record]))).batchItemFailures).toEqual([]);
    expect((await handle(sqsEvent(records))).batchItemFailures).toEqual([]);
    expect(await correlations()).toEqual([finding]);
    expect(count).toBe(String(MEMBERS.length));
  });

  it('files nothing when the address is seen in two accounts only', async () => {
    const handle = detectorHandler(awsRuntime);
    expect((await handle(sqsEvent(campaign(MEMBERS.slice(0, 2))))).batchItemFailures).toEqual([]);
    expect((await outbox()).length).toBeGreaterThan(0);
    expect(await correlations()).toEqual([]);
  });

  it('keeps correlation state as versioned values the detector may write, expiring with the rest of its state', async () => {
    const handle = detectorHandler(awsRuntime);
    expect((await handle(sqsEvent(campaign(MEMBERS)))).batchItemFailures).toEqual([]);
    const items = await everyItem();
    const groups = items.filter((i) => i.pk!.S!.startsWith(`v#corr/${RULE}/`));
    expect(groups).toHaveLength(1);
    expect(JSON.parse(groups[0]!.value!.S!)).toHaveLength(MEMBERS.length);
    const now = Date.now() / 1000;
    const expiresAt = Number(groups[0]!.expiresAt!.N);
    expect(expiresAt).toBeGreaterThan(now + (RETENTION_DAYS - 1) * 86_400);
    expect(expiresAt).toBeLessThanOrEqual(now + RETENTION_DAYS * 86_400 + 60);
    // dynamodb:LeadingKeys patterns (StringLike: `*` is any suffix) the detector's role is granted.
    const allowed = STATE_ACCESS.detector.flatMap((a) => a.partitions).map((p) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`));
    const outside = items.map((i) => i.pk!.S!).filter((pk) => !allowed.some((re) => re.test(pk)));
    expect(outside).toEqual([]);
  });

  it('files the finding on the retry when the outbox write failed after the correlation state was saved', async () => {
    // The Lambda's wiring, with an outbox whose first write of a correlation finding fails (throttled
    // past the SDK's retries, or the function timing out): SQS redelivers, and the finding must come.
    const { rules, correlations: rulesOf } = loadRuleFolders();
    const state = new DynamoStateStore({ client: dynamo.client, table, clock: systemClock, retentionDays: RETENTION_DAYS });
    const real = new DynamoOutbox({ client: dynamo.client, table });
    let failed = 0;
    const outboxOnce = {
      put: async (findings: readonly AsffFinding[]) => {
        if (failed === 0 && findings.some((f) => f.ProductFields['skywatch/CorrelationRule'] !== undefined)) {
          failed++;
          throw new Error('ProvisionedThroughputExceededException');
        }
        await real.put(findings);
      },
    };
    const correlator = new EngineCorrelator({ rules: rulesOf, state, home: { account: CENTRAL, region: HOME_REGION } });
    const detector = new Detector({ engine: new RuleEngine(rules), state, sink: outboxOnce, clock: systemClock, correlator });
    const signals = { put: async () => {}, putFindings: async () => {} };
    const intake = new Intake({ detector, state, signals, objects: new S3ObjectStore(new S3Client({ region: HOME_REGION })), maxObjectBytes: 1024 });
    const handle = detectorHandler(intakeRuntime(intake, { bucket: 'unused', prefix: '', maxObjectBytes: 1024 }));
    const records = campaign(MEMBERS);
    const first = await handle(sqsEvent(records));
    expect(failed).toBe(1);
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: records[2]!.messageId }]);
    expect(await correlations()).toEqual([]);
    expect((await handle(sqsEvent([records[2]!]))).batchItemFailures).toEqual([]);
    const [finding, ...more] = await correlations();
    expect(more).toEqual([]);
    expect(finding?.ProductFields['skywatch/Accounts']?.split(',').sort()).toEqual([...MEMBERS]);
    expect(finding?.ProductFields['skywatch/ObservationCount']).toBe(String(MEMBERS.length));
  });
});
