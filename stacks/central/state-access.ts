/**
 * What each central function may do on the state table: the DynamoDB calls its adapters make
 * (central/aws/adapters), each only on the partitions it makes them on (`dynamodb:LeadingKeys`, the
 * layout in table-layout.ts). A function that is taken over can then neither read nor rewrite another
 * function's items. A new call or partition in an adapter is refused (AccessDenied) until it is added here.
 *
 * No function scans the table or describes it; neither call could be limited to partitions.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { OUTBOX_PK, SET_PREFIX, SIGNAL_FINDING_PK, SIGNAL_PK, VALUE_PREFIX } from '../../central/aws/adapters/table-layout.js';

/** DynamoDB calls made on the items of some partitions. */
export interface PartitionAccess {
  /** Partition keys, `*` for any suffix (`v#*`). */
  readonly partitions: readonly string[];
  /** DynamoDB actions, without the `dynamodb:` prefix. */
  readonly actions: readonly string[];
}

// DynamoStateStore: get and put on versioned values, unseen and remember on set members.
const VALUES: PartitionAccess = { partitions: [`${VALUE_PREFIX}*`], actions: ['GetItem', 'PutItem'] };
const SETS: PartitionAccess = { partitions: [`${SET_PREFIX}*`], actions: ['BatchGetItem', 'BatchWriteItem'] };
// DynamoOutbox.put (findings, coverage findings): one conditional UpdateItem per finding.
const OUTBOX_PUT: PartitionAccess = { partitions: [OUTBOX_PK], actions: ['UpdateItem'] };

/** Each function's calls, by partition; the detector's also feeds the notifier through `notify#`. */
export const STATE_ACCESS = {
  detector: [
    VALUES,
    SETS,
    OUTBOX_PUT,
    // DynamoSignalSink.put and putFindings.
    { partitions: [SIGNAL_PK], actions: ['BatchWriteItem'] },
    { partitions: [SIGNAL_FINDING_PK], actions: ['PutItem'] },
  ],
  // DynamoOutbox pages, remove and failed; the coverage tracker's state and findings.
  publisher: [VALUES, { partitions: [OUTBOX_PK], actions: ['Query', 'DeleteItem', 'UpdateItem'] }],
  // Delivery marks and the account directory; signals and findings arrive on the stream, not by reads.
  notifier: [VALUES],
  // The directory snapshot, coverage state and coverage findings.
  onboarding: [VALUES, OUTBOX_PUT],
  // Baselines, progress and the directory snapshot; statistics findings into the outbox.
  statistics: [VALUES, OUTBOX_PUT],
} as const satisfies Record<string, readonly PartitionAccess[]>;

/** Grants a function's calls on the state table, one statement per partition family. */
export function grantStateAccess(grantee: iam.IGrantable, table: dynamodb.ITableV2, access: readonly PartitionAccess[]): void {
  for (const { partitions, actions } of access) {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: actions.map((action) => `dynamodb:${action}`),
        resources: [table.tableArn],
        // ForAllValues: every partition key the request names must match. (It would also pass a call
        // that names none, such as Scan, which is why no statement grants one.)
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...partitions] } },
      }),
    );
  }
}
