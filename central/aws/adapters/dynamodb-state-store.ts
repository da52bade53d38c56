/**
 * The StateStore port on the state table (layout in table-layout.ts): versioned values under
 * `v#<key>` with conditional writes, set members under `s#<set key>`. Every write carries
 * `expiresAt` so state ages out through TTL.
 */
import { createHash } from 'node:crypto';
import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  type DynamoDBClient,
  type PutItemCommandInput,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import type { Clock, StateStore, Versioned } from '../../core/ports.js';
import { epochSeconds, itemBytes, ItemTooLargeError, MAX_ITEM_BYTES, readBatches, writeBatches, type BatchRetry, type Item } from './dynamodb-batch.js';
import { SET_PREFIX, VALUE_PREFIX, VALUE_SK } from './table-layout.js';

// A sort key holds at most 1 KB of UTF-8. Members such as session ARNs or user agents can be longer, so
// a member past half of that is stored as its SHA-256: membership needs equality, not the text back.
const MAX_MEMBER_BYTES = 512;
const DAY_SECONDS = 86_400;

/** The DynamoDB state store's wiring. */
export interface DynamoStateStoreOptions extends BatchRetry {
  readonly client: DynamoDBClient;
  readonly table: string;
  readonly clock: Clock;
  /** How long state lives after its last write. */
  readonly retentionDays: number;
}

/** Durable detector state in the state table. */
export class DynamoStateStore implements StateStore {
  constructor(private readonly options: DynamoStateStoreOptions) {}

  async get<T>(key: string): Promise<Versioned<T> | undefined> {
    const { client, table } = this.options;
    // Strongly consistent: a version read just before a conditional put should be the latest one.
    const out = await client.send(new GetItemCommand({ TableName: table, Key: valueKey(key), ConsistentRead: true }));
    if (!out.Item) return undefined;
    return { value: JSON.parse(out.Item.value?.S ?? 'null') as T, version: Number(out.Item.version?.N) };
  }

  async put<T>(key: string, value: T, expectedVersion: number | undefined): Promise<boolean> {
    const { client, table } = this.options;
    const item: Item = {
      ...valueKey(key),
      value: { S: JSON.stringify(value) },
      version: { N: String((expectedVersion ?? 0) + 1) },
      expiresAt: { N: String(this.expiresAt()) },
    };
    const bytes = itemBytes(item);
    if (bytes > MAX_ITEM_BYTES) throw new ItemTooLargeError(key, bytes, MAX_ITEM_BYTES);
    const condition: Pick<PutItemCommandInput, 'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'> =
      expectedVersion === undefined
        ? { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': 'pk' } }
        : {
            ConditionExpression: '#version = :expected',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':expected': { N: String(expectedVersion) } },
          };
    try {
      await client.send(new PutItemCommand({ TableName: table, Item: item, ...condition }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async unseen(setKey: string, members: readonly string[]): Promise<string[]> {
    const distinct = [...new Set(members)];
    if (distinct.length === 0) return [];
    const sortKeys = distinct.map(memberSortKey);
    const pk = SET_PREFIX + setKey;
    const keys = [...new Set(sortKeys)].map((sk) => ({ pk: { S: pk }, sk: { S: sk } }));
    const found = await readBatches(this.options.client, this.options.table, keys, this.options);
    const seen = new Set(found.map((item) => item.sk?.S));
    return distinct.filter((_, i) => !seen.has(sortKeys[i]));
  }

  async remember(setKey: string, members: readonly string[]): Promise<void> {
    const expiresAt = { N: String(this.expiresAt()) };
    const pk = { S: SET_PREFIX + setKey };
    // A batch may not name one key twice, and re-writing a member refreshes its expiry.
    const requests = [...new Set(members.map(memberSortKey))].map((sk): WriteRequest => ({ PutRequest: { Item: { pk, sk: { S: sk }, expiresAt } } }));
    await writeBatches(this.options.client, this.options.table, requests, this.options);
  }

  private expiresAt(): number {
    return epochSeconds(this.options.clock) + this.options.retentionDays * DAY_SECONDS;
  }
}

function valueKey(key: string): Item {
  return { pk: { S: VALUE_PREFIX + key }, sk: { S: VALUE_SK } };
}

/** The sort key of a set member: the member itself, or its SHA-256 when too long (or empty) for a key. */
export function memberSortKey(member: string): string {
  const bytes = Buffer.byteLength(member, 'utf8');
  if (bytes > 0 && bytes <= MAX_MEMBER_BYTES) return member;
  return `sha256#${createHash('sha256').update(member, 'utf8').digest('hex')}`;
}
