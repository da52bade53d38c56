/**
 * Signals (GuardDuty and Config events) and the rule findings that restate them, waiting for the
 * notifier in the state table's `notify#` partitions; the stream hands each new item to the notifier.
 * A signal is keyed by event id, so a redelivered event lands on the same item instead of notifying
 * twice; a finding by account, region and Id, replaced only by a later version. Both expire after a
 * week: they are never imported, so nothing waits for Security Hub.
 */
import { ConditionalCheckFailedException, PutItemCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { outboxKey } from '../../core/delivery/outbox.js';
import type { SignalSink } from '../../core/delivery/signals.js';
import type { SecurityEvent } from '../../core/event.js';
import type { AsffFinding } from '../../core/findings/asff.js';
import type { Clock } from '../../core/ports.js';
import { epochSeconds, inParallel, itemBytes, ItemTooLargeError, MAX_ITEM_BYTES, writeBatches, type BatchRetry, type Item } from './dynamodb-batch.js';
import { SIGNAL_FINDING_PK, SIGNAL_PK } from './table-layout.js';

/** How long a signal stays: long enough for the notifier to catch up after an outage. */
export const SIGNAL_RETENTION_SECONDS = 7 * 86_400;

const PARALLEL_WRITES = 8;

/** The DynamoDB signal sink's wiring. */
export interface DynamoSignalSinkOptions extends BatchRetry {
  readonly client: DynamoDBClient;
  readonly table: string;
  readonly clock: Clock;
}

/** Puts signals, and findings over them, where the notifier finds them. */
export class DynamoSignalSink implements SignalSink {
  constructor(private readonly options: DynamoSignalSinkOptions) {}

  async put(events: readonly SecurityEvent[]): Promise<void> {
    const expiresAt = this.expiresAt();
    // One item per event id: a batch may not name a key twice, and the same id is the same event.
    const byId = new Map(events.map((event) => [event.id, event]));
    const requests = [...byId.values()].map((event): WriteRequest => {
      const item: Item = { pk: { S: SIGNAL_PK }, sk: { S: event.id }, event: { S: JSON.stringify(event) }, expiresAt };
      const bytes = itemBytes(item);
      if (bytes > MAX_ITEM_BYTES) throw new ItemTooLargeError(event.id, bytes, MAX_ITEM_BYTES, 'signal');
      return { PutRequest: { Item: item } };
    });
    await writeBatches(this.options.client, this.options.table, requests, this.options);
  }

  async putFindings(findings: readonly AsffFinding[]): Promise<void> {
    const expiresAt = this.expiresAt();
    const items = findings.map((finding): Item => {
      const item = { pk: { S: SIGNAL_FINDING_PK }, sk: { S: outboxKey(finding) }, finding: { S: JSON.stringify(finding) }, updatedAt: { S: finding.UpdatedAt }, expiresAt };
      const bytes = itemBytes(item);
      if (bytes > MAX_ITEM_BYTES) throw new ItemTooLargeError(finding.Id, bytes, MAX_ITEM_BYTES, 'finding');
      return item;
    });
    // Conditional, so an equal or older version arriving late writes nothing and notifies nobody again.
    await inParallel(
      items,
      async (item) => {
        try {
          await this.options.client.send(
            new PutItemCommand({
              TableName: this.options.table,
              Item: item,
              ConditionExpression: 'attribute_not_exists(#pk) OR #updatedAt < :updatedAt',
              ExpressionAttributeNames: { '#pk': 'pk', '#updatedAt': 'updatedAt' },
              ExpressionAttributeValues: { ':updatedAt': item.updatedAt! },
            }),
          );
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        }
      },
      PARALLEL_WRITES,
    );
  }

  private expiresAt(): { N: string } {
    return { N: String(epochSeconds(this.options.clock) + SIGNAL_RETENTION_SECONDS) };
  }
}
