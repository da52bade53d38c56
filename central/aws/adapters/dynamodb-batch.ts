/**
 * Batch helpers the DynamoDB adapters share: item sizes, BatchGetItem/BatchWriteItem in chunks with
 * retries of unprocessed items, and bounded parallelism.
 */
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  type AttributeValue,
  type DynamoDBClient,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { backoffDelay, type BackoffPolicy } from '../../core/delivery/backoff.js';
import type { Clock } from '../../core/ports.js';
import { log } from '../lambda/log.js';

/** A DynamoDB item in raw attribute values. */
export type Item = Record<string, AttributeValue>;

/** DynamoDB's item size limit: attribute names plus values. */
export const MAX_ITEM_BYTES = 400 * 1024;
const MAX_GET_KEYS = 100;
const MAX_WRITE_ITEMS = 25;
const PARALLEL_BATCHES = 4;
// Unprocessed items mean throttling: short waits first, since a partial batch usually clears quickly.
const UNPROCESSED_BACKOFF: BackoffPolicy = { baseMs: 50, capMs: 5_000, attempts: 8 };

/** Thrown before writing an item DynamoDB would refuse for its size; names the key, truncates nothing. */
export class ItemTooLargeError extends Error {
  override readonly name = 'ItemTooLargeError';
  constructor(readonly key: string, readonly bytes: number, readonly limit: number, what = 'state value') {
    super(`${what} ${JSON.stringify(key)} is ${bytes} bytes, over the ${Math.floor(limit / 1024)} KB limit`);
  }
}

/** Thrown when DynamoDB keeps handing back unprocessed batch items after every retry. */
export class UnprocessedItemsError extends Error {
  override readonly name = 'UnprocessedItemsError';
  constructor(readonly operation: 'BatchGetItem' | 'BatchWriteItem', readonly remaining: number, readonly attempts: number) {
    super(`${operation}: ${remaining} still unprocessed after ${attempts} attempts`);
  }
}

/** How batch calls retry what DynamoDB left unprocessed (it does so under throttling). */
export interface BatchRetry {
  /** Waits between attempts; injectable so tests never sleep. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Calls per batch before giving up (default 8). */
  readonly maxAttempts?: number;
}

/** The clock's time in epoch seconds, the unit DynamoDB's TTL reads. */
export function epochSeconds(clock: Clock): number {
  return Math.floor(clock.now().getTime() / 1000);
}

/** An item's size as DynamoDB counts it (UTF-8 names and values), rounded up for numbers. */
export function itemBytes(item: Item): number {
  let total = 0;
  for (const [name, value] of Object.entries(item)) {
    total += Buffer.byteLength(name, 'utf8');
    if (value.S !== undefined) total += Buffer.byteLength(value.S, 'utf8');
    else if (value.N !== undefined) total += Math.ceil(value.N.length / 2) + 1;
    else total += Buffer.byteLength(JSON.stringify(value), 'utf8');
  }
  return total;
}

/** Writes items with BatchWriteItem, 25 a request, retrying what comes back unprocessed. */
export async function writeBatches(client: DynamoDBClient, table: string, requests: readonly WriteRequest[], retry: BatchRetry = {}): Promise<void> {
  await inParallel(chunks(requests, MAX_WRITE_ITEMS), async (chunk) => {
    await untilProcessed('BatchWriteItem', chunk, retry, async (pending) => {
      const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: pending } }));
      return { done: [], left: out.UnprocessedItems?.[table] ?? [] };
    });
  });
}

/** Reads items (their keys only) with strongly consistent BatchGetItem, 100 keys a request. */
export async function readBatches(client: DynamoDBClient, table: string, keys: readonly Item[], retry: BatchRetry = {}): Promise<Item[]> {
  const found: Item[] = [];
  await inParallel(chunks(keys, MAX_GET_KEYS), async (chunk) => {
    found.push(
      ...(await untilProcessed('BatchGetItem', chunk, retry, async (pending) => {
        const out = await client.send(
          new BatchGetItemCommand({
            RequestItems: { [table]: { Keys: pending, ConsistentRead: true, ProjectionExpression: '#pk, #sk', ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' } } },
          }),
        );
        return { done: out.Responses?.[table] ?? [], left: out.UnprocessedKeys?.[table]?.Keys ?? [] };
      })),
    );
  });
  return found;
}

/**
 * Calls `attempt` until nothing is left, backing off exponentially with jitter as AWS advises for
 * unprocessed batch items (`maxAttempts` overrides the policy's attempts); collects what each call returned.
 */
async function untilProcessed<T, R>(
  operation: UnprocessedItemsError['operation'],
  items: readonly T[],
  { sleep = defaultSleep, maxAttempts = UNPROCESSED_BACKOFF.attempts }: BatchRetry,
  attempt: (pending: T[]) => Promise<{ done: R[]; left: T[] }>,
): Promise<R[]> {
  const results: R[] = [];
  let pending = [...items];
  for (let n = 0; pending.length > 0; n++) {
    if (n === maxAttempts) throw new UnprocessedItemsError(operation, pending.length, maxAttempts);
    if (n > 0) {
      log.warn('dynamodb batch items unprocessed', { operation, remaining: pending.length, attempt: n });
      await sleep(backoffDelay(n - 1, UNPROCESSED_BACKOFF, Math.random));
    }
    const { done, left } = await attempt(pending);
    results.push(...done);
    pending = left;
  }
  return results;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Runs `work` over items, a few at a time: enough to hide latency without inviting throttling. */
export async function inParallel<T>(items: readonly T[], work: (item: T) => Promise<void>, limit = PARALLEL_BATCHES): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
