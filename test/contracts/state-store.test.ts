/**
 * Runs the StateStore and Outbox contracts against every adapter (memory, SQLite, DynamoDB on
 * dynalite), then checks what only DynamoDB has: the item layout, TTL stamps, size limits and retries
 * of unprocessed batch items.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ResourceNotFoundException,
  type AttributeValue,
  type BatchGetItemCommandInput,
  type BatchWriteItemCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoOutbox } from '../../central/aws/adapters/dynamodb-outbox.js';
import { DynamoSignalSink } from '../../central/aws/adapters/dynamodb-signal-sink.js';
import { SIGNAL_FINDING_PK } from '../../central/aws/adapters/table-layout.js';
import { ItemTooLargeError, UnprocessedItemsError } from '../../central/aws/adapters/dynamodb-batch.js';
import { DynamoStateStore } from '../../central/aws/adapters/dynamodb-state-store.js';
import { OUTBOX_PK, SIGNAL_PK } from '../../central/aws/adapters/table-layout.js';
import { MemoryOutbox } from '../../central/core/delivery/outbox.js';
import { normalizeEnvelope } from '../../central/core/decode/eventbridge.js';
import { MemoryStateStore } from '../../central/core/state/memory-store.js';
import { SqliteStore } from '../../central/local/sqlite-store.js';
import { validateAsffFinding } from '../support/aws-model.js';
import { ManualClock } from '../support/detector.js';
import { startDynalite, type LocalDynamo } from '../support/dynalite.js';
import { drain, outboxContract, sampleFinding } from './outbox.case.js';
import { stateStoreContract } from './state-store.case.js';

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => {
  await dynamo.close();
});

const NOW = Date.parse('2026-11-21T12:00:00Z') / 1000;
const DAY = 86_400;
const noSleep = async () => {};

const dynamoStore = async (options: { client?: DynamoDBClient; sleep?: (ms: number) => Promise<void>; maxAttempts?: number } = {}) => {
  const clock = new ManualClock();
  const table = await dynamo.createTable();
  const store = new DynamoStateStore({ client: dynamo.client, table, clock, retentionDays: 30, sleep: noSleep, ...options });
  return { store, table, clock };
};

stateStoreContract('MemoryStateStore', async () => ({ store: new MemoryStateStore() }));
stateStoreContract('SqliteStore', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'skywatch-contract-'));
  const store = new SqliteStore(join(dir, 'skywatch.db'));
  return { store, close: async () => (store.close(), rmSync(dir, { recursive: true, force: true })) };
});
stateStoreContract('DynamoStateStore', async () => ({ store: (await dynamoStore()).store }));

outboxContract('MemoryOutbox', async () => ({ outbox: new MemoryOutbox() }));
outboxContract('DynamoOutbox', async () => ({ outbox: new DynamoOutbox({ client: dynamo.client, table: await dynamo.createTable() }) }));

const rawItem = async (table: string, pk: string, sk: string) =>
  (await dynamo.client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: pk }, sk: { S: sk } }, ConsistentRead: true }))).Item;

const partition = async (table: string, pk: string) =>
  (
    await dynamo.client.send(
      new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: pk } }, ConsistentRead: true }),
    )
  ).Items ?? [];

/**
 * A client on dynalite whose first `times` batch calls are half processed: DynamoDB sends back the
 * other half as unprocessed, as it does under throttling. With `times` Infinity nothing is processed.
 */
function halfProcessingClient(times: number): { client: DynamoDBClient; batchCalls: () => number } {
  const client = dynamo.connect();
  let calls = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName;
      if (name !== 'BatchGetItemCommand' && name !== 'BatchWriteItemCommand') return next(args);
      if (calls++ >= times) return next(args);
      const answer = (output: object) => ({ output: { $metadata: {}, ...output } }) as Awaited<ReturnType<typeof next>>;
      if (name === 'BatchGetItemCommand') {
        const [table, request] = Object.entries((args.input as BatchGetItemCommandInput).RequestItems!)[0]!;
        const keys = request.Keys!;
        if (times === Infinity) return answer({ Responses: { [table]: [] }, UnprocessedKeys: { [table]: request } });
        const half = Math.ceil(keys.length / 2);
        const result = await next({ ...args, input: { RequestItems: { [table]: { ...request, Keys: keys.slice(0, half) } } } });
        return { ...result, ...answer({ ...result.output, UnprocessedKeys: { [table]: { ...request, Keys: keys.slice(half) } } }) };
      }
      const [table, requests] = Object.entries((args.input as BatchWriteItemCommandInput).RequestItems!)[0]!;
      if (times === Infinity) return answer({ UnprocessedItems: { [table]: requests } });
      const half = Math.ceil(requests.length / 2);
      const result = await next({ ...args, input: { RequestItems: { [table]: requests.slice(0, half) } } });
      return { ...result, ...answer({ ...result.output, UnprocessedItems: { [table]: requests.slice(half) } }) };
    },
    { step: 'initialize', name: 'halfProcessed' },
  );
  return { client, batchCalls: () => calls };
}

describe('DynamoStateStore on the state table', () => {
  it('runs on a test client that refuses what the DynamoDB API model refuses', async () => {
    const put = dynamo.client.send(new PutItemCommand({ TableName: dynamo.table, Item: { pk: { S: 'v#x', N: '1' } as unknown as AttributeValue, sk: { S: 'v' } } }));
    await expect(put).rejects.toThrow('PutItemCommand does not match the DynamoDB API model:\n$.Item.pk: union AttributeValue must set exactly one member, got 2');
  });

  it('writes values under v#<key> with their version and an expiry from the clock and retention', async () => {
    const { store, table, clock } = await dynamoStore();
    await store.put('ledger:finding-1', { eventCount: 1 }, undefined);
    expect(await rawItem(table, 'v#ledger:finding-1', 'v')).toEqual({
      pk: { S: 'v#ledger:finding-1' },
      sk: { S: 'v' },
      value: { S: '{"eventCount":1}' },
      version: { N: '1' },
      expiresAt: { N: String(NOW + 30 * DAY) },
    });
    clock.advance(3_600_000);
    await store.put('ledger:finding-1', { eventCount: 2 }, 1);
    expect((await rawItem(table, 'v#ledger:finding-1', 'v'))?.expiresAt).toEqual({ N: String(NOW + 3_600 + 30 * DAY) });
  });

  it('writes set members under s#<set key>, a long one by its SHA-256, each with an expiry', async () => {
    const { store, table } = await dynamoStore();
    const long = 'Mozilla/5.0 (X11; Linux x86_64) '.repeat(20);
    await store.remember('user-agents:123456789012', ['aws-cli/2.15.0', long]);
    const hash = createHash('sha256').update(long).digest('hex');
    expect(await partition(table, 's#user-agents:123456789012')).toEqual([
      { pk: { S: 's#user-agents:123456789012' }, sk: { S: 'aws-cli/2.15.0' }, expiresAt: { N: String(NOW + 30 * DAY) } },
      { pk: { S: 's#user-agents:123456789012' }, sk: { S: `sha256#${hash}` }, expiresAt: { N: String(NOW + 30 * DAY) } },
    ]);
  });

  it('stores a value just under the 400 KB item limit', async () => {
    const { store } = await dynamoStore();
    const value = 'a'.repeat(399 * 1024);
    expect(await store.put('stats:large', value, undefined)).toBe(true);
    expect(await store.get('stats:large')).toEqual({ value, version: 1 });
  });

  it('refuses a value over the item limit with an error naming the key, counting UTF-8 bytes', async () => {
    const { store } = await dynamoStore();
    // 140,000 characters but 420,000 bytes: DynamoDB counts bytes.
    const put = store.put('stats:flow:123456789012:192.0.2.10', '€'.repeat(140_000), undefined);
    await expect(put).rejects.toBeInstanceOf(ItemTooLargeError);
    await expect(put).rejects.toThrow('state value "stats:flow:123456789012:192.0.2.10" is 420072 bytes, over the 400 KB limit');
    expect(await store.get('stats:flow:123456789012:192.0.2.10')).toBeUndefined();
  });

  it('rethrows DynamoDB errors other than a failed condition', async () => {
    const store = new DynamoStateStore({ client: dynamo.client, table: 'skywatch-missing', clock: new ManualClock(), retentionDays: 30 });
    await expect(store.put('ledger:finding-1', {}, undefined)).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(store.put('ledger:finding-1', {}, 1)).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('retries unprocessed keys and items with growing backoff until every one is done', async () => {
    const { client, batchCalls } = halfProcessingClient(4);
    const sleeps: number[] = [];
    const { store } = await dynamoStore({ client, sleep: async (ms) => void sleeps.push(ms) });
    const members = Array.from({ length: 20 }, (_, i) => `evt-${i}`);
    // 20 distinct members: 10 written, then 5, 3 and 1 (four half-processed calls), then the last one.
    await store.remember('evidence:finding-1', members.slice(0, 10).concat(members.slice(0, 10)).concat(members.slice(10)));
    expect(batchCalls()).toBe(5);
    expect(sleeps).toHaveLength(4);
    expect(await store.unseen('evidence:finding-1', [...members, 'evt-new'])).toEqual(['evt-new']);
    expect(batchCalls()).toBe(6);
    // Full jitter under a ceiling of 50 ms doubling per retry.
    for (const [i, ms] of sleeps.entries()) expect(ms).toBeLessThan(50 * 2 ** i);
  });

  it('retries unprocessed keys on reads too, keeping the order given', async () => {
    const { store: writer, table } = await dynamoStore();
    const members = Array.from({ length: 150 }, (_, i) => `evt-${String(i).padStart(3, '0')}`);
    await writer.remember('evidence:finding-1', members.filter((_, i) => i % 3 === 0));
    const { client, batchCalls } = halfProcessingClient(2);
    const reader = new DynamoStateStore({ client, table, clock: new ManualClock(), retentionDays: 30, sleep: noSleep });
    expect(await reader.unseen('evidence:finding-1', members)).toEqual(members.filter((_, i) => i % 3 !== 0));
    // Two requests (100 and 50 keys), each half processed, then one retry each.
    expect(batchCalls()).toBe(4);
  });

  it('gives up with UnprocessedItemsError once the attempts are spent', async () => {
    const { client } = halfProcessingClient(Infinity);
    const sleeps: number[] = [];
    const { store } = await dynamoStore({ client, sleep: async (ms) => void sleeps.push(ms), maxAttempts: 3 });
    const remember = store.remember('evidence:finding-1', ['evt-1', 'evt-2']);
    await expect(remember).rejects.toBeInstanceOf(UnprocessedItemsError);
    await expect(remember).rejects.toThrow('BatchWriteItem: 2 still unprocessed after 3 attempts');
    await expect(store.unseen('evidence:finding-1', ['evt-1'])).rejects.toThrow('BatchGetItem: 1 still unprocessed after 3 attempts');
    expect(sleeps).toHaveLength(4);
  });
});

describe('reads on the state table', () => {
  it('are strongly consistent, so a version or member just written is never missed', async () => {
    const client = dynamo.connect();
    const reads: Array<{ command: string; consistent: unknown }> = [];
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { ConsistentRead?: boolean; RequestItems?: Record<string, { ConsistentRead?: boolean }> };
        if (context.commandName !== 'BatchWriteItemCommand' && context.commandName !== 'PutItemCommand' && context.commandName !== 'UpdateItemCommand') {
          reads.push({ command: String(context.commandName), consistent: input.RequestItems ? Object.values(input.RequestItems)[0]?.ConsistentRead : input.ConsistentRead });
        }
        return next(args);
      },
      { step: 'initialize', name: 'recordReads' },
    );
    const table = await dynamo.createTable();
    const store = new DynamoStateStore({ client, table, clock: new ManualClock(), retentionDays: 30 });
    const outbox = new DynamoOutbox({ client, table });
    await store.put('ledger:finding-1', { eventCount: 1 }, undefined);
    await store.get('ledger:finding-1');
    await store.remember('evidence:finding-1', ['evt-1']);
    await store.unseen('evidence:finding-1', ['evt-1', 'evt-2']);
    await outbox.put([sampleFinding()]);
    await drain(outbox);
    expect(reads).toEqual([
      { command: 'GetItemCommand', consistent: true },
      { command: 'BatchGetItemCommand', consistent: true },
      { command: 'QueryCommand', consistent: true },
    ]);
  });
});

describe('DynamoOutbox on the state table', () => {
  it('uses findings Security Hub accepts', () => {
    expect(validateAsffFinding(sampleFinding())).toEqual([]);
    expect(validateAsffFinding(sampleFinding({ account: '444455556666', region: 'eu-west-1' }))).toEqual([]);
  });

  it('keeps a finding under outbox#pending with its UpdatedAt and attempts, and never an expiry', async () => {
    const table = await dynamo.createTable();
    const outbox = new DynamoOutbox({ client: dynamo.client, table });
    const finding = sampleFinding();
    await outbox.put([finding]);
    const sk = `123456789012#us-east-1#${finding.Id}`;
    expect(await rawItem(table, OUTBOX_PK, sk)).toEqual({
      pk: { S: 'outbox#pending' },
      sk: { S: sk },
      finding: { S: JSON.stringify(finding) },
      updatedAt: { S: '2026-11-21T12:00:00.000Z' },
      attempts: { N: '0' },
    });
    await outbox.failed([finding], 'InvalidAccess: Account 123456789012 is not subscribed to AWS Security Hub');
    const failed = await rawItem(table, OUTBOX_PK, sk);
    expect(failed).toMatchObject({ attempts: { N: '1' }, lastError: { S: 'InvalidAccess: Account 123456789012 is not subscribed to AWS Security Hub' } });
    expect(failed).not.toHaveProperty('expiresAt');
  });

  it('refuses a finding over 350 KB, naming its Id, and writes nothing of that put', async () => {
    const table = await dynamo.createTable();
    const outbox = new DynamoOutbox({ client: dynamo.client, table });
    const huge = { ...sampleFinding({ rule: 'huge' }), ProductFields: { 'skywatch/RuleId': 'huge', 'skywatch/Evidence': 'e'.repeat(360 * 1024) } };
    const put = outbox.put([sampleFinding(), huge]);
    await expect(put).rejects.toBeInstanceOf(ItemTooLargeError);
    await expect(put).rejects.toThrow(`finding "${huge.Id}" is`);
    expect(await drain(outbox)).toEqual([]);
  });

  it('keeps an operator reason short enough to leave the item small', async () => {
    const table = await dynamo.createTable();
    const outbox = new DynamoOutbox({ client: dynamo.client, table });
    await outbox.put([sampleFinding()]);
    await outbox.failed([sampleFinding()], 'ValidationException: ' + 'x'.repeat(5_000));
    const lastError = (await drain(outbox))[0]?.[0]?.lastError;
    expect(lastError).toHaveLength(1_000);
    expect(lastError).toBe('ValidationException: ' + 'x'.repeat(978) + '…');
  });
});

describe('DynamoSignalSink on the state table', () => {
  const guardDuty = (id: string) =>
    normalizeEnvelope({
      version: '0', id, 'detail-type': 'GuardDuty Finding', source: 'aws.guardduty',
      account: '123456789012', time: '2026-11-21T11:59:00Z', region: 'us-east-1', resources: [],
      detail: {
        schemaVersion: '2.0', accountId: '123456789012', region: 'us-east-1', partition: 'aws', id: '46ba0ac2845071e23ccdeb2ae03bfdea',
        arn: 'arn:aws:guardduty:us-east-1:123456789012:detector/d4b040365221be2b54a6264dc9a4bc64/finding/46ba0ac2845071e23ccdeb2ae03bfdea',
        type: 'UnauthorizedAccess:EC2/SSHBruteForce',
        resource: { resourceType: 'Instance', instanceDetails: { instanceId: 'i-0c10c2c7863d1a356' } },
        service: { serviceName: 'guardduty', action: { actionType: 'NETWORK_CONNECTION', networkConnectionAction: { connectionDirection: 'INBOUND', remoteIpDetails: { ipAddressV4: '192.0.2.10' } } }, count: 42 },
        severity: 2, createdAt: '2026-11-21T09:34:34.146Z', updatedAt: '2026-11-21T11:56:49.206Z',
        title: '192.0.2.10 is performing SSH brute force attacks against i-0c10c2c7863d1a356.', description: 'Brute force attacks are used to gain unauthorized access to your instance by guessing the SSH password.',
      },
    });

  it('writes a signal under notify#signal, keyed by event id, to live a week', async () => {
    const table = await dynamo.createTable();
    const sink = new DynamoSignalSink({ client: dynamo.client, table, clock: new ManualClock() });
    const event = guardDuty('cd2d702e-ab31-411b-9344-793ce56b1bc7');
    await sink.put([event]);
    const item = await rawItem(table, SIGNAL_PK, 'cd2d702e-ab31-411b-9344-793ce56b1bc7');
    expect(item).toEqual({
      pk: { S: 'notify#signal' },
      sk: { S: 'cd2d702e-ab31-411b-9344-793ce56b1bc7' },
      event: { S: JSON.stringify(event) },
      expiresAt: { N: String(NOW + 7 * DAY) },
    });
    expect(JSON.parse(item!.event!.S!)).toEqual(JSON.parse(JSON.stringify(event)));
  });

  it('writes each event once however often it comes, across batches of 25', async () => {
    const table = await dynamo.createTable();
    const sink = new DynamoSignalSink({ client: dynamo.client, table, clock: new ManualClock() });
    const events = Array.from({ length: 30 }, (_, i) => guardDuty(`cd2d702e-ab31-411b-9344-${String(i).padStart(12, '0')}`));
    await sink.put([...events, events[0]!, events[29]!]);
    await sink.put(events.slice(0, 3));
    const items = await partition(table, SIGNAL_PK);
    expect(items.map((i) => i.sk?.S)).toEqual(events.map((e) => e.id));
  });

  it('writes a rule finding over a signal under notify#finding, replaced only by a later version', async () => {
    const table = await dynamo.createTable();
    const sink = new DynamoSignalSink({ client: dynamo.client, table, clock: new ManualClock() });
    const rule = 'guardduty-credentials-outside-aws';
    const first = sampleFinding({ rule, updatedAt: '2026-11-21T12:00:00.000Z' });
    await sink.putFindings([first]);
    const sk = `123456789012#us-east-1#${first.Id}`;
    expect(await rawItem(table, SIGNAL_FINDING_PK, sk)).toEqual({
      pk: { S: 'notify#finding' },
      sk: { S: sk },
      finding: { S: JSON.stringify(first) },
      updatedAt: { S: '2026-11-21T12:00:00.000Z' },
      expiresAt: { N: String(NOW + 7 * DAY) },
    });
    const newer = sampleFinding({ rule, updatedAt: '2026-11-21T12:05:00.000Z', title: 'Instance credentials used outside AWS again' });
    await sink.putFindings([newer]);
    await sink.putFindings([sampleFinding({ rule, updatedAt: '2026-11-21T12:01:00.000Z', title: 'late' }), { ...newer, Title: 'same time, other text' }]);
    const items = await partition(table, SIGNAL_FINDING_PK);
    expect(items).toHaveLength(1);
    expect(JSON.parse(items[0]!.finding!.S!)).toEqual(newer);
  });

  it('refuses a finding over the item limit, naming its Id', async () => {
    const sink = new DynamoSignalSink({ client: dynamo.client, table: await dynamo.createTable(), clock: new ManualClock() });
    const huge = { ...sampleFinding({ rule: 'huge' }), Description: 'd'.repeat(410 * 1024) };
    await expect(sink.putFindings([huge])).rejects.toThrow(`finding "${huge.Id}" is`);
  });

  it('retries unprocessed signals until all are written', async () => {
    const { client } = halfProcessingClient(3);
    const table = await dynamo.createTable();
    const sink = new DynamoSignalSink({ client, table, clock: new ManualClock(), sleep: noSleep });
    const events = Array.from({ length: 12 }, (_, i) => guardDuty(`cd2d702e-ab31-411b-9344-${String(i).padStart(12, '0')}`));
    await sink.put(events);
    expect((await partition(table, SIGNAL_PK)).map((i) => i.sk?.S)).toEqual(events.map((e) => e.id));
  });
});
