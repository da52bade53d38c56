/**
 * The outbox on the state table: one item per finding under `outbox#pending`, sorted by account,
 * region and Id. Every write is conditioned on the finding's UpdatedAt, so a late older version, a
 * publisher removing what it delivered and a detector putting a newer version never undo each other.
 * Outbox items never expire: a finding waits as long as Security Hub is off in its account.
 */
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { AsffFinding } from '../../core/findings/asff.js';
import { outboxKey, type Outbox, type OutboxItem } from '../../core/delivery/outbox.js';
import { inParallel, ItemTooLargeError, type Item } from './dynamodb-batch.js';
import { OUTBOX_PK } from './table-layout.js';

// Security Hub takes 240 KB a finding; past 350 KB of JSON the item would near DynamoDB's 400 KB limit.
const MAX_FINDING_BYTES = 350 * 1024;
// Reasons are for operators; an SDK message can quote a whole request, so keep the item small.
const MAX_REASON_CHARS = 1_000;
const PARALLEL_WRITES = 8;

/** The DynamoDB outbox's wiring. */
export interface DynamoOutboxOptions {
  readonly client: DynamoDBClient;
  readonly table: string;
}

/** Findings on their way to Security Hub, in the state table. */
export class DynamoOutbox implements Outbox {
  constructor(private readonly options: DynamoOutboxOptions) {}

  async put(findings: readonly AsffFinding[]): Promise<void> {
    // Refuse the whole call before writing anything, so a caller never half-stores a batch by surprise.
    const documents = findings.map((finding) => {
      const json = JSON.stringify(finding);
      const bytes = Buffer.byteLength(json, 'utf8');
      if (bytes > MAX_FINDING_BYTES) throw new ItemTooLargeError(finding.Id, bytes, MAX_FINDING_BYTES, 'finding');
      return { finding, json };
    });
    await inParallel(
      documents,
      async ({ finding, json }) => {
        // One UpdateItem rather than read-then-write: it keeps attempts and lastError of the version
        // it replaces atomically, and the condition settles races between detectors in DynamoDB.
        await unlessChanged(
          this.options.client.send(new UpdateItemCommand({
            TableName: this.options.table,
            Key: keyOf(finding),
            UpdateExpression: 'SET #finding = :finding, #updatedAt = :updatedAt, #attempts = if_not_exists(#attempts, :zero)',
            ConditionExpression: 'attribute_not_exists(#pk) OR #updatedAt < :updatedAt',
            ExpressionAttributeNames: { '#pk': 'pk', '#finding': 'finding', '#updatedAt': 'updatedAt', '#attempts': 'attempts' },
            ExpressionAttributeValues: { ':finding': { S: json }, ':updatedAt': { S: finding.UpdatedAt }, ':zero': { N: '0' } },
          })),
        );
      },
      PARALLEL_WRITES,
    );
  }

  async *pages(pageSize = 100): AsyncIterable<OutboxItem[]> {
    let start: Item | undefined;
    do {
      const out = await this.options.client.send(
        new QueryCommand({
          TableName: this.options.table,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': 'pk' },
          ExpressionAttributeValues: { ':pk': { S: OUTBOX_PK } },
          // Strongly consistent: the publisher must not re-send a version it just removed.
          ConsistentRead: true,
          Limit: pageSize,
          ...(start && { ExclusiveStartKey: start }),
        }),
      );
      const page = (out.Items ?? []).map(itemOf);
      if (page.length > 0) yield page;
      start = out.LastEvaluatedKey;
    } while (start);
  }

  async remove(delivered: readonly AsffFinding[]): Promise<void> {
    await inParallel(
      delivered,
      (finding) =>
        unlessChanged(
          this.options.client.send(new DeleteItemCommand({
            TableName: this.options.table,
            Key: keyOf(finding),
            ConditionExpression: '#updatedAt = :updatedAt',
            ExpressionAttributeNames: { '#updatedAt': 'updatedAt' },
            ExpressionAttributeValues: { ':updatedAt': { S: finding.UpdatedAt } },
          })),
        ),
      PARALLEL_WRITES,
    );
  }

  async failed(findings: readonly AsffFinding[], reason: string): Promise<void> {
    const lastError = reason.length > MAX_REASON_CHARS ? reason.slice(0, MAX_REASON_CHARS - 1) + '…' : reason;
    await inParallel(
      findings,
      (finding) =>
        unlessChanged(
          this.options.client.send(new UpdateItemCommand({
            TableName: this.options.table,
            Key: keyOf(finding),
            UpdateExpression: 'SET #attempts = #attempts + :one, #lastError = :lastError',
            ConditionExpression: '#updatedAt = :updatedAt',
            ExpressionAttributeNames: { '#attempts': 'attempts', '#lastError': 'lastError', '#updatedAt': 'updatedAt' },
            ExpressionAttributeValues: { ':one': { N: '1' }, ':lastError': { S: lastError }, ':updatedAt': { S: finding.UpdatedAt } },
          })),
        ),
      PARALLEL_WRITES,
    );
  }

}

/** Awaits a conditional write; a failed condition means another version is there, which is fine. */
async function unlessChanged(write: Promise<unknown>): Promise<void> {
  try {
    await write;
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

function keyOf(finding: AsffFinding): Item {
  return { pk: { S: OUTBOX_PK }, sk: { S: outboxKey(finding) } };
}

function itemOf(item: Item): OutboxItem {
  const lastError = item.lastError?.S;
  return {
    finding: JSON.parse(item.finding?.S ?? 'null') as AsffFinding,
    attempts: Number(item.attempts?.N ?? 0),
    ...(lastError !== undefined && { lastError }),
  };
}
