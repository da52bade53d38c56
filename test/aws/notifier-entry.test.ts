/**
 * The Lambda entry point as deployed: everything built from the environment the delivery stack sets,
 * on the first invocation. DynamoDB is dynalite (reached through the SDK's endpoint variable); SNS and
 * Secrets Manager are stubbed for every client and validate each request against the API model.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDynalite, type LocalDynamo } from '../support/dynalite.js';
import { startSlackReceiver, type SlackReceiver } from '../support/slack-receiver.js';
import { fakeSecret, fakeSns, type SecretFake, type SnsFake } from '../support/sns-fake.js';
import { rootFinding } from '../delivery/notifier-samples.js';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:222222222222:secret:skywatch/slack-webhook-AbCdEf';
const ENV = {
  TOPIC_ARN: 'arn:aws:sns:us-east-1:222222222222:skywatch-findings',
  SLACK_SECRET_ARN: SECRET_ARN,
  MINIMUM_SEVERITY: 'HIGH',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

let dynamo: LocalDynamo;
let receiver: SlackReceiver;
let sns: SnsFake;
let secret: SecretFake;
const lines: string[] = [];

beforeAll(async () => {
  [dynamo, receiver] = await Promise.all([startDynalite(), startSlackReceiver()]);
  sns = fakeSns();
  secret = fakeSecret(SECRET_ARN, receiver.url);
  for (const [name, value] of Object.entries({ ...ENV, STATE_TABLE: dynamo.table, AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint })) vi.stubEnv(name, value);
  for (const method of ['log', 'error', 'warn', 'info', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')));
  }
});

afterAll(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  sns.restore();
  secret.restore();
  await Promise.all([dynamo.close(), receiver.close()]);
  expect(lines.filter((l) => l.includes(new URL(receiver.url).pathname))).toEqual([]);
});

describe('the notifier entry point', () => {
  it('fails loudly while a variable is missing, then starts once it is set', async () => {
    const { handler } = await import('../../central/aws/handlers/notifier.js');
    vi.stubEnv('TOPIC_ARN', '');
    await expect(handler({ Records: [] })).rejects.toThrow('environment variable TOPIC_ARN is not set');
    vi.stubEnv('TOPIC_ARN', ENV.TOPIC_ARN);
    expect(await handler({ Records: [] })).toEqual({ batchItemFailures: [] });
  });

  it('notifies an outbox finding by email and Slack with clients built from the environment', async () => {
    const { handler } = await import('../../central/aws/handlers/notifier.js');
    const finding = await rootFinding();
    const item = { pk: { S: 'outbox#pending' }, sk: { S: `123456789012#us-east-1#${finding.Id}` }, finding: { S: JSON.stringify(finding) }, updatedAt: { S: finding.UpdatedAt }, attempts: { N: '0' } };
    const record = { eventID: '7a1b2c3d', eventName: 'INSERT' as const, eventSource: 'aws:dynamodb', awsRegion: 'us-east-1', dynamodb: { Keys: { pk: item.pk, sk: item.sk }, NewImage: item, SequenceNumber: '500000000000000000001', StreamViewType: 'NEW_IMAGE' as const } };
    expect(await handler({ Records: [record] }, { getRemainingTimeInMillis: () => 60_000 })).toEqual({ batchItemFailures: [] });
    expect(sns.published.map((p) => [p.TopicArn, p.Subject])).toEqual([[ENV.TOPIC_ARN, '[HIGH] Root user called ListBuckets in account 123456789012 - 123456789012 us-east-1']]);
    expect(receiver.accepted).toHaveLength(1);
    expect([sns.invalid, secret.invalid]).toEqual([[], []]);
    expect(lines.map((l) => JSON.parse(l).message)).toContain('notifier ready');
  });
});
