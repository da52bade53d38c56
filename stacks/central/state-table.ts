/**
 * The central functions' state in one DynamoDB table: the detector's seen event ids, finding ledger
 * and evidence sets, threshold windows and first-seen sets; the finding outbox; signals waiting to be
 * notified; delivery marks, coverage state and the account directory (layout in
 * central/aws/adapters/table-layout.ts). Items expire through TTL, outbox items excepted; the stream
 * feeds the publisher with outbox items and the notifier with outbox and signal items.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

/** The attribute holding an item's expiry (epoch seconds). */
export const TTL_ATTRIBUTE = 'expiresAt';

/** The state table. */
export class StateTable extends Construct {
  readonly table: dynamodb.TableV2;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billing: dynamodb.Billing.onDemand(),
      timeToLiveAttribute: TTL_ATTRIBUTE,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
      dynamoStream: dynamodb.StreamViewType.NEW_IMAGE,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
