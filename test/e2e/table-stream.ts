/**
 * dynalite has no DynamoDB Streams, so the harness plays the stream: it reads the outbox and notify
 * partitions and turns every item that is new or changed since the last look into the INSERT or
 * MODIFY record the stream would carry, with the item's real attribute values as the new image.
 * Deletions are not delivered (the stream filters of both consumers take only INSERT and MODIFY).
 */
import { QueryCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { OUTBOX_PK, SIGNAL_FINDING_PK, SIGNAL_PK } from '../../central/aws/adapters/table-layout.js';

type Item = Record<string, AttributeValue>;

export class TableStream {
  private readonly seen = new Map<string, string>();
  private sequence = 1000;

  constructor(private readonly client: DynamoDBClient, private readonly table: string) {}

  /** The stream records of everything that changed since the previous call, in batches as Lambda gets them. */
  async changes(batchSize = 100): Promise<DynamoDBStreamEvent[]> {
    const records: DynamoDBRecord[] = [];
    for (const pk of [OUTBOX_PK, SIGNAL_PK, SIGNAL_FINDING_PK]) {
      for (const item of await this.items(pk)) {
        const key = `${item.pk!.S}|${item.sk!.S}`;
        const image = JSON.stringify(item);
        const before = this.seen.get(key);
        if (before === image) continue;
        this.seen.set(key, image);
        records.push(this.record(before === undefined ? 'INSERT' : 'MODIFY', item));
      }
    }
    const events: DynamoDBStreamEvent[] = [];
    for (let i = 0; i < records.length; i += batchSize) events.push({ Records: records.slice(i, i + batchSize) });
    return events;
  }

  /** Every item of a partition. */
  async items(pk: string): Promise<Item[]> {
    const out: Item[] = [];
    let start: Item | undefined;
    do {
      const page = await this.client.send(new QueryCommand({ TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: pk } }, ExclusiveStartKey: start, ConsistentRead: true }));
      out.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }

  private record(eventName: 'INSERT' | 'MODIFY', item: Item): DynamoDBRecord {
    const sequence = String(++this.sequence).padStart(21, '0');
    return {
      eventID: `e2e${sequence}`,
      eventName,
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      dynamodb: {
        ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
        Keys: { pk: item.pk, sk: item.sk } as never,
        NewImage: item as never,
        SequenceNumber: sequence,
        SizeBytes: JSON.stringify(item).length,
        StreamViewType: 'NEW_IMAGE',
      },
      eventSourceARN: `arn:aws:dynamodb:us-east-1:222222222222:table/${this.table}/stream/2026-11-21T00:00:00.000`,
    };
  }
}
