/**
 * The publisher Lambda: stream events only wake it, scheduled invocations drain too, and the entry
 * point built from the environment runs against DynamoDB (dynalite), S3 (s3rver) and the fake
 * Security Hub and STS.
 */
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AssumedCredentials } from '../../central/aws/adapters/assumed-credentials.js';
import { DynamoOutbox } from '../../central/aws/adapters/dynamodb-outbox.js';
import { SecurityHubImporter } from '../../central/aws/adapters/security-hub-importer.js';
import { DEADLINE_MARGIN_MS, handler, publisherHandler, type PublisherContext, type PublisherRuntime } from '../../central/aws/handlers/publisher.js';
import { MemoryOutbox, type OutboxItem } from '../../central/core/delivery/outbox.js';
import { systemClock } from '../../central/core/ports.js';
import { FINDING_WRITER_ROLE_NAME } from '../../stacks/names.js';
import { ACCOUNTS, findingsIn, MemoryArchive, RecordingCoverage } from '../delivery/samples.js';
import { ManualClock } from '../support/detector.js';
import { startDynalite, type LocalDynamo } from '../support/dynalite.js';
import { startS3, type LocalS3 } from '../support/s3rver.js';
import { restoreCheckedFakes, SecurityHubFake } from '../support/security-hub-fake.js';

const { prod, dev, central } = ACCOUNTS;
const FUNCTION_ARN = `arn:aws:lambda:eu-west-1:${central}:function:skywatch-publisher`;
const fakes: SecurityHubFake[] = [];

afterEach(() => {
  restoreCheckedFakes(fakes);
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

function context(remainingMs = 300_000): PublisherContext {
  return { getRemainingTimeInMillis: () => remainingMs, invokedFunctionArn: FUNCTION_ARN };
}

/** A DynamoDB stream batch of outbox inserts, as Lambda delivers it. */
function streamEvent(...sequenceNumbers: string[]): DynamoDBStreamEvent {
  return {
    Records: sequenceNumbers.map((SequenceNumber, i) => ({
      eventID: `c4ca4238a0b923820dcc509a6f75849${i}`,
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'eu-west-1',
      dynamodb: {
        ApproximateCreationDateTime: 1795262400,
        Keys: { pk: { S: 'outbox#pending' }, sk: { S: `${prod}#eu-west-1#skywatch/eu-west-1/${prod}/root-account-usage/${i}` } },
        SequenceNumber,
        SizeBytes: 1024,
        StreamViewType: 'NEW_IMAGE',
      },
      eventSourceARN: `arn:aws:dynamodb:eu-west-1:${central}:table/skywatch-state/stream/2026-11-01T00:00:00.000`,
    })),
  };
}

/** A stream batch of outbox updates whose new images carry these attempt counts. */
function modifyEvent(...attempts: number[]): DynamoDBStreamEvent {
  const event = streamEvent(...attempts.map((_, i) => `50000000000000000000${i}`));
  event.Records.forEach((record, i) => {
    record.eventName = 'MODIFY';
    record.dynamodb!.NewImage = { ...record.dynamodb!.Keys, updatedAt: { S: '2026-11-21T11:59:50.000Z' }, attempts: { N: String(attempts[i]) }, lastError: { S: 'Security Hub is off' } };
  });
  return event;
}

/** A runtime over memory and the fake, with the fake's clock. */
function memoryRuntime() {
  const clock = new ManualClock();
  const fake = new SecurityHubFake({ clock });
  fakes.push(fake);
  const sts = new STSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' } });
  const outbox = new MemoryOutbox();
  const archive = new MemoryArchive();
  const runtime: PublisherRuntime = {
    outbox,
    importer: new SecurityHubImporter(new AssumedCredentials({ sts, roleName: FINDING_WRITER_ROLE_NAME, clock })),
    archive,
    coverage: new RecordingCoverage(),
    clock,
    sleep: async (ms) => clock.advance(ms),
    random: () => 0.5,
  };
  return { clock, fake, outbox, archive, runtime };
}

async function pending(outbox: { pages(): AsyncIterable<OutboxItem[]> }): Promise<OutboxItem[]> {
  const items: OutboxItem[] = [];
  for await (const page of outbox.pages()) items.push(...page);
  return items;
}

describe('the publisher handler', () => {
  it('drains the whole outbox on a stream batch and reports no failed records', async () => {
    const { fake, outbox, runtime } = memoryRuntime();
    await outbox.put(findingsIn([`${prod}/eu-west-1`, `${dev}/us-east-1`], 3));
    vi.spyOn(console, 'error').mockImplementation(() => {});

    const response = await publisherHandler(runtime)(streamEvent('100000000001234567890'), context());

    expect(response).toEqual({ batchItemFailures: [] });
    expect(outbox.size).toBe(0);
    expect(fake.findings()).toHaveLength(6);
  });

  it('does not wake for its own failed attempts being recorded, which the schedule retries', async () => {
    const { fake, outbox, runtime } = memoryRuntime();
    await outbox.put(findingsIn([`${prod}/eu-west-1`], 2));
    const publish = publisherHandler(runtime);

    expect(await publish(modifyEvent(1, 3), context())).toEqual({ batchItemFailures: [] });
    expect(fake.calls).toEqual([]);
    expect(outbox.size).toBe(2);

    // A version that never failed is new work.
    expect(await publish(modifyEvent(2, 0), context())).toEqual({ batchItemFailures: [] });
    expect(outbox.size).toBe(0);
  });

  it('reports the batch as failed from its first record when draining fails, so the stream retries it', async () => {
    const { outbox, archive, runtime } = memoryRuntime();
    await outbox.put(findingsIn([`${prod}/eu-west-1`], 1));
    archive.onWrite = async () => {
      throw new Error('SlowDown: Please reduce your request rate.');
    };
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));

    const response = await publisherHandler(runtime)(streamEvent('200000000000000000001', '200000000000000000002'), context());

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '200000000000000000001' }] });
    expect(outbox.size).toBe(1);
    expect(errors.map((l) => JSON.parse(l))).toMatchObject([{ level: 'error', message: 'publishing failed', records: 2, error: 'Error: SlowDown: Please reduce your request rate.' }]);
  });

  it('drains on a scheduled invocation and returns what it did, failing the invocation when draining fails', async () => {
    const { outbox, archive, runtime } = memoryRuntime();
    await outbox.put(findingsIn([`${prod}/eu-west-1`], 2));
    const publish = publisherHandler(runtime);

    expect(await publish({}, context())).toEqual({ imported: 2, failed: 0, heldBack: 0, requests: 1, throttled: 0, accountsOff: 0 });

    await outbox.put(findingsIn([`${dev}/eu-west-1`], 1));
    archive.onWrite = async () => {
      throw new Error('archive unavailable');
    };
    await expect(publish({}, context())).rejects.toThrow('archive unavailable');
  });

  it('starts nothing when the invocation is already within the margin of its timeout', async () => {
    const { fake, outbox, runtime } = memoryRuntime();
    await outbox.put(findingsIn([`${prod}/eu-west-1`], 2));

    const result = await publisherHandler(runtime)({}, context(DEADLINE_MARGIN_MS));

    expect(result).toEqual({ imported: 0, failed: 0, heldBack: 2, requests: 0, throttled: 0, accountsOff: 0 });
    expect(fake.calls).toEqual([]);
  });

  it('builds its runtime once, and again after building it failed', async () => {
    const { runtime } = memoryRuntime();
    let builds = 0;
    const publish = publisherHandler(async () => {
      builds += 1;
      if (builds === 1) throw new Error('environment variable STATE_TABLE is not set');
      return runtime;
    });

    await expect(publish({}, context())).rejects.toThrow('environment variable STATE_TABLE is not set');
    await publish({}, context());
    await publish(streamEvent('300000000000000000001'), context());
    expect(builds).toBe(2);
  });
});

describe('the publisher Lambda entry point', () => {
  let dynamo: LocalDynamo;
  let s3: LocalS3;
  beforeAll(async () => {
    [dynamo, s3] = await Promise.all([startDynalite(), startS3()]);
    await s3.createBucket('org-log-archive-123456789012');
  });
  afterAll(async () => Promise.all([dynamo.close(), s3.close()]));

  it('publishes the DynamoDB outbox through STS into Security Hub, archives OCSF in S3 and records the gaps it finds', async () => {
    for (const [name, value] of Object.entries({
      STATE_TABLE: dynamo.table,
      FINDING_WRITER_ROLE_NAME,
      OCSF_BUCKET: 'org-log-archive-123456789012',
      OCSF_PREFIX: 'skywatch/ocsf/',
      AWS_REGION: 'eu-west-1',
      // s3rver accepts only its own key; dynalite accepts any.
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      // Unset: the central account comes from the function's ARN and the home region from AWS_REGION.
      CENTRAL_ACCOUNT: undefined,
      HOME_REGION: undefined,
    })) vi.stubEnv(name, value);
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const fake = new SecurityHubFake({ clock: systemClock, off: [`${dev}/us-east-1`] });
    fakes.push(fake);
    const outbox = new DynamoOutbox({ client: dynamo.client, table: dynamo.table });
    const delivered = findingsIn([`${prod}/eu-west-1`], 3);
    const held = findingsIn([`${dev}/us-east-1`], 2);
    await outbox.put([...delivered, ...held]);

    const response = await handler(streamEvent('400000000000000000001'), context());

    expect(response).toEqual({ batchItemFailures: [] });
    expect(fake.findings().map((f) => f.Id).sort()).toEqual(delivered.map((f) => f.Id).sort());
    expect(fake.assumed.map((a) => a.roleArn)).toEqual([`arn:aws:iam::${prod}:role/skywatch-finding-writer`, `arn:aws:iam::${dev}:role/skywatch-finding-writer`]);
    // Held findings stay; the gap's finding, in the central account (from the function ARN), joins them.
    const left = await pending(outbox);
    expect(left.map((i) => [i.finding.AwsAccountId, i.finding.Id, i.attempts])).toEqual([
      [central, `skywatch/coverage/security-hub-off/${dev}`, 0],
      ...held.map((f) => [dev, f.Id, 1]),
    ]);
    expect(left[0]?.finding.Region).toBe('eu-west-1');
    const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: 'org-log-archive-123456789012', Prefix: 'skywatch/ocsf/' }));
    expect(listed.Contents).toHaveLength(1);
    const key = listed.Contents![0]!.Key!;
    expect(key).toMatch(new RegExp(`^skywatch/ocsf/account=${prod}/region=eu-west-1/date=\\d{4}-\\d{2}-\\d{2}/\\d{9}-[0-9a-f]{12}\\.jsonl$`));
    const body = await (await s3.client.send(new GetObjectCommand({ Bucket: 'org-log-archive-123456789012', Key: key }))).Body!.transformToString();
    expect(body.trimEnd().split('\n').map((l) => JSON.parse(l).finding_info.uid)).toEqual(delivered.map((f) => f.Id));

    // The schedule's next run imports the gap's finding into the central account.
    const next = await handler({}, context());
    expect(next).toMatchObject({ imported: 1, failed: 2, accountsOff: 1 });
    expect(fake.finding(`arn:aws:securityhub:eu-west-1:${central}:product/${central}/default`, `skywatch/coverage/security-hub-off/${dev}`)?.RecordState).toBe('ACTIVE');
  });
});
