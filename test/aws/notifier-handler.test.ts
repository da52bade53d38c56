/**
 * The notifier handler end to end: items written by the real outbox and signal adapters into dynalite,
 * handed over as the state table's stream would (INSERT/MODIFY new images), notices decided with
 * delivery marks in dynalite, email through a model-validated SNS stub, Slack to a real local
 * receiver whose URL comes from a model-validated Secrets Manager stub. The webhook URL must appear
 * in no console line through any of it.
 */
import { QueryCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoOutbox } from '../../central/aws/adapters/dynamodb-outbox.js';
import { DynamoSignalSink } from '../../central/aws/adapters/dynamodb-signal-sink.js';
import { DynamoStateStore } from '../../central/aws/adapters/dynamodb-state-store.js';
import { SecretWebhook } from '../../central/aws/adapters/secret-webhook.js';
import { SlackChannel } from '../../central/aws/adapters/slack-notifier.js';
import { SnsEmailChannel } from '../../central/aws/adapters/sns-notifier.js';
import { OUTBOX_PK, SIGNAL_PK } from '../../central/aws/adapters/table-layout.js';
import { notifierHandler, notifySettings, type NotifierDeps } from '../../central/aws/handlers/notifier.js';
import { emailOf, slackOf } from '../../central/core/delivery/messages.js';
import { noticeOfFinding, noticeOfSignal } from '../../central/core/delivery/notice.js';
import { saveDirectory } from '../../central/core/directory/stored-directory.js';
import type { AsffFinding } from '../../central/core/findings/asff.js';
import type { SeverityLabel } from '../../central/core/rules/schema.js';
import { ManualClock } from '../support/detector.js';
import { startDynalite, type LocalDynamo } from '../support/dynalite.js';
import { startSlackReceiver, type SlackReceiver } from '../support/slack-receiver.js';
import { fakeSecret, fakeSns, type SecretFake, type SnsFake } from '../support/sns-fake.js';
import { configEnvelope, directory, guardDutyAsff, guardDutyEnvelope, rootFinding, signalOf } from '../delivery/notifier-samples.js';

const TOPIC_ARN = 'arn:aws:sns:us-east-1:222222222222:skywatch-findings';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:222222222222:secret:skywatch/slack-webhook-AbCdEf';
const STREAM_ARN = 'arn:aws:dynamodb:us-east-1:222222222222:table/skywatch-state/stream/2026-11-01T00:00:00.000';
const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const MINUTE = 60_000;

let dynamo: LocalDynamo;
let receiver: SlackReceiver;
const lines: string[] = [];

beforeAll(async () => {
  [dynamo, receiver] = await Promise.all([startDynalite(), startSlackReceiver()]);
  for (const method of ['log', 'error', 'warn', 'info', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')));
  }
});

afterAll(async () => {
  vi.restoreAllMocks();
  await Promise.all([dynamo.close(), receiver.close()]);
  const token = new URL(receiver.url).pathname;
  expect(lines.filter((l) => l.includes(receiver.url) || l.includes(token))).toEqual([]);
});

let clock: ManualClock;
let table: string;
let state: DynamoStateStore;
let sns: SnsFake;
let secret: SecretFake;
let snsClient: SNSClient;
let secretsClient: SecretsManagerClient;
let waits: number[];
let sequence: number;

beforeEach(async () => {
  clock = new ManualClock();
  table = await dynamo.createTable();
  state = new DynamoStateStore({ client: dynamo.client, table, clock, retentionDays: 90 });
  await saveDirectory(state, directory.snapshot);
  receiver.reset();
  snsClient = new SNSClient({ region: 'us-east-1', credentials });
  secretsClient = new SecretsManagerClient({ region: 'us-east-1', credentials });
  sns = fakeSns(snsClient);
  secret = fakeSecret(SECRET_ARN, receiver.url, secretsClient);
  waits = [];
  sequence = 0;
});

afterEach(() => {
  expect(sns.invalid).toEqual([]);
  expect(secret.invalid).toEqual([]);
  sns.restore();
  secret.restore();
});

function depsWith(minimumSeverity: SeverityLabel = 'HIGH'): NotifierDeps {
  const sleep = async (ms: number) => {
    waits.push(ms);
    clock.advance(ms);
  };
  const webhook = new SecretWebhook({ client: secretsClient, secretArn: SECRET_ARN, clock });
  return {
    state,
    clock,
    minimumSeverity,
    cooldownMinutes: 60,
    homeRegion: 'us-east-1',
    channels: [new SnsEmailChannel(snsClient, TOPIC_ARN), new SlackChannel({ webhook, clock, sleep, timeoutMs: 5_000 })],
  };
}

/** The items of a partition, as DynamoDB holds them. */
async function itemsOf(pk: string): Promise<Array<Record<string, AttributeValue>>> {
  const out = await dynamo.client.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: pk } } }));
  return out.Items ?? [];
}

/** Stream records for items, as Lambda hands them over (NEW_IMAGE view). */
function streamOf(items: Array<Record<string, AttributeValue>>, eventName: 'INSERT' | 'MODIFY' | 'REMOVE' = 'INSERT'): DynamoDBStreamEvent {
  return {
    Records: items.map((item): DynamoDBRecord => ({
      eventID: `c4ca4238a0b923820dcc509a6f75849${sequence}`,
      eventName,
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      eventSourceARN: STREAM_ARN,
      dynamodb: {
        ApproximateCreationDateTime: Math.floor(clock.now().getTime() / 1000),
        Keys: { pk: item.pk, sk: item.sk } as never,
        ...(eventName !== 'REMOVE' && { NewImage: item as never }),
        SequenceNumber: String(400000000000000000000 + ++sequence * 100),
        SizeBytes: JSON.stringify(item).length,
        StreamViewType: 'NEW_IMAGE',
      },
    })),
  };
}

async function outboxStream(finding: AsffFinding, eventName: 'INSERT' | 'MODIFY' = 'INSERT'): Promise<DynamoDBStreamEvent> {
  await new DynamoOutbox({ client: dynamo.client, table }).put([finding]);
  return streamOf((await itemsOf(OUTBOX_PK)).filter((i) => i.sk?.S?.endsWith(finding.Id)), eventName);
}

async function signalStream(envelope: Record<string, unknown>): Promise<DynamoDBStreamEvent> {
  const event = signalOf(envelope);
  await new DynamoSignalSink({ client: dynamo.client, table, clock }).put([event]);
  return streamOf((await itemsOf(SIGNAL_PK)).filter((i) => i.sk?.S === event.id));
}

const logged = (message: string) => lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.message === message);

describe('the notifier handler', () => {
  it('notifies a new outbox finding by email and Slack, naming the account from the stored directory', async () => {
    const finding = await rootFinding();
    const notice = noticeOfFinding(finding, directory, 'us-east-1');
    expect(await notifierHandler(depsWith())(await outboxStream(finding))).toEqual({ batchItemFailures: [] });
    expect(sns.published).toEqual([
      {
        TopicArn: TOPIC_ARN,
        Subject: '[HIGH] Root user called ListBuckets in account 123456789012 - prod-payments us-east-1',
        Message: emailOf(notice).body,
        MessageAttributes: {
          severity: { DataType: 'String', StringValue: 'HIGH' },
          source: { DataType: 'String', StringValue: 'skywatch' },
          account: { DataType: 'String', StringValue: '123456789012' },
        },
      },
    ]);
    expect(receiver.accepted).toEqual([slackOf(notice)]);
  });

  it('reports the record when SNS fails, and its retry emails without posting to Slack again', async () => {
    const finding = await rootFinding();
    const stream = await outboxStream(finding);
    const handler = notifierHandler(depsWith());
    sns.failNext(1, 'InternalErrorException');
    expect(await handler(stream)).toEqual({ batchItemFailures: [{ itemIdentifier: stream.Records[0]!.dynamodb!.SequenceNumber! }] });
    expect([sns.published.length, receiver.accepted.length]).toEqual([0, 1]);
    expect(logged('notice failed').map((l) => l.reason)).toContain(`notice ${finding.Id} failed on email (InternalErrorException: Internal error)`);
    expect(await handler(stream)).toEqual({ batchItemFailures: [] });
    expect([sns.published.length, receiver.accepted.length, sns.calls()]).toEqual([1, 1, 2]);
  });

  it('reports the record when Slack asks to wait past the invocation, and its retry posts to Slack only', async () => {
    const finding = await rootFinding();
    const stream = await outboxStream(finding);
    const handler = notifierHandler(depsWith());
    receiver.rateLimit(1, 30);
    const context = { getRemainingTimeInMillis: () => 25_000 };
    expect((await handler(stream, context)).batchItemFailures).toHaveLength(1);
    expect([sns.published.length, receiver.accepted.length, waits]).toEqual([1, 0, []]);
    clock.advance(MINUTE);
    expect(await handler(stream, context)).toEqual({ batchItemFailures: [] });
    expect([sns.published.length, receiver.accepted.length]).toEqual([1, 1]);
  });

  it('does not notify the same version again when the publisher updates the outbox item', async () => {
    const finding = await rootFinding();
    const handler = notifierHandler(depsWith());
    await handler(await outboxStream(finding));
    await new DynamoOutbox({ client: dynamo.client, table }).failed([finding], 'InvalidAccess: Security Hub is not enabled');
    expect(await handler(streamOf(await itemsOf(OUTBOX_PK), 'MODIFY'))).toEqual({ batchItemFailures: [] });
    expect([sns.published.length, receiver.accepted.length]).toEqual([1, 1]);
  });

  it('holds a recurring finding within the cooldown and notifies it after', async () => {
    const finding = await rootFinding();
    const handler = notifierHandler(depsWith());
    await handler(await outboxStream(finding));
    clock.advance(15 * MINUTE);
    await handler(await outboxStream({ ...finding, UpdatedAt: clock.now().toISOString() }, 'MODIFY'));
    expect(sns.published).toHaveLength(1);
    expect(logged('notice held').at(-1)).toMatchObject({ noticeId: finding.Id, reason: 'cooldown' });
    clock.advance(45 * MINUTE);
    await handler(await outboxStream({ ...finding, UpdatedAt: clock.now().toISOString() }, 'MODIFY'));
    expect([sns.published.length, receiver.accepted.length]).toEqual([2, 2]);
  });

  it('notifies neither a suppressed nor a staged finding', async () => {
    const finding = await rootFinding();
    const handler = notifierHandler(depsWith());
    await handler(await outboxStream({ ...finding, ProductFields: { ...finding.ProductFields, 'skywatch/SuppressedBy': 'break-glass-root' } }));
    await handler(await outboxStream({ ...finding, Id: `${finding.Id}-staged`, ProductFields: { ...finding.ProductFields, 'skywatch/Status': 'staged' } }));
    expect([sns.calls(), receiver.requests.length]).toEqual([0, 0]);
    expect(logged('notice held').map((l) => l.reason)).toEqual(expect.arrayContaining(['suppressed', 'staged rule']));
  });

  it('notifies the documented GuardDuty finding with its severity label and the GuardDuty link', async () => {
    const handler = notifierHandler(depsWith('LOW'));
    expect(await handler(await signalStream(guardDutyEnvelope()))).toEqual({ batchItemFailures: [] });
    expect(sns.published.map((p) => p.Subject)).toEqual(['[LOW] 199.241.229.197 is performing SSH brute force a... - sandbox-network (193043430472) us-east-1']);
    expect(sns.published[0]!.Message).toContain(`Open in GuardDuty:\n${guardDutyAsff.SourceUrl}\n`);
    const slack = receiver.accepted[0] as { blocks: Array<Record<string, any>> };
    expect(slack.blocks[3]).toEqual({ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in GuardDuty' }, url: guardDutyAsff.SourceUrl }] });
    expect(slack.blocks[1]!.fields[0]).toEqual({ type: 'mrkdwn', text: '*Severity*\nLOW' });
  });

  it('keeps the GuardDuty finding quiet under the default HIGH threshold', async () => {
    expect(await notifierHandler(depsWith())(await signalStream(guardDutyEnvelope()))).toEqual({ batchItemFailures: [] });
    expect(sns.calls()).toBe(0);
  });

  it('notifies a Config NON_COMPLIANT change and not a COMPLIANT one', async () => {
    const handler = notifierHandler(depsWith('MEDIUM'));
    await handler(await signalStream(configEnvelope('COMPLIANT')));
    expect(sns.calls()).toBe(0);
    await handler(await signalStream(configEnvelope('NON_COMPLIANT')));
    const notice = noticeOfSignal(signalOf(configEnvelope('NON_COMPLIANT')), directory);
    expect(sns.published.map((p) => [p.Subject, p.Message])).toEqual([['[MEDIUM] NON_COMPLIANT with cloudtrail-enabled: AWS::::Account 1234567... - prod-payments us-east-2', emailOf(notice).body]]);
    expect(receiver.accepted).toEqual([slackOf(notice)]);
  });

  it('skips a malformed image, logging its keys and not its content, and goes on with the batch', async () => {
    const finding = await rootFinding();
    const good = await outboxStream(finding);
    const broken = streamOf([{ pk: { S: OUTBOX_PK }, sk: { S: '123456789012#us-east-1#broken' }, finding: { S: '{"Id": "AKIAIOSFODNN7EXAMPLE-leaked' }, updatedAt: { S: '2026-11-21T12:00:00.000Z' } }]);
    const result = await notifierHandler(depsWith())({ Records: [...broken.Records, ...good.Records] });
    expect(result).toEqual({ batchItemFailures: [] });
    expect(sns.published).toHaveLength(1);
    const skipped = logged('malformed stream record skipped');
    expect(skipped).toEqual([
      expect.objectContaining({ level: 'warn', pk: OUTBOX_PK, sk: '123456789012#us-east-1#broken', sequenceNumber: broken.Records[0]!.dynamodb!.SequenceNumber, reason: 'attribute "finding" is not JSON' }),
    ]);
    expect(lines.filter((l) => l.includes('AKIAIOSFODNN7EXAMPLE-leaked'))).toEqual([]);
  });

  it('ignores removals and items that are not the notifier\'s', async () => {
    await outboxStream(await rootFinding());
    const removed = streamOf(await itemsOf(OUTBOX_PK), 'REMOVE');
    const value = streamOf([{ pk: { S: 'v#ledger/x' }, sk: { S: 'v' }, value: { S: '{}' }, version: { N: '1' } }]);
    expect(await notifierHandler(depsWith())({ Records: [...removed.Records, ...value.Records] })).toEqual({ batchItemFailures: [] });
    expect(sns.calls()).toBe(0);
  });
});

describe('the notifier settings', () => {
  it('reads the minimum severity and the cooldown, with their defaults', () => {
    expect(notifySettings({})).toEqual({ minimumSeverity: 'HIGH', cooldownMinutes: 60 });
    expect(notifySettings({ MINIMUM_SEVERITY: 'medium', NOTIFY_COOLDOWN_MINUTES: '15' })).toEqual({ minimumSeverity: 'MEDIUM', cooldownMinutes: 15 });
  });

  it('fails the start on a value it cannot use', () => {
    expect(() => notifySettings({ MINIMUM_SEVERITY: 'SEVERE' })).toThrow('MINIMUM_SEVERITY must be one of INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL');
    expect(() => notifySettings({ NOTIFY_COOLDOWN_MINUTES: 'an hour' })).toThrow('NOTIFY_COOLDOWN_MINUTES must be a number of minutes, 0 or more');
  });
});
