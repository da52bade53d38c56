/**
 * Scheduled statistics over VPC Flow Logs and AWS WAF logs: the Glue tables, an Athena workgroup
 * with a per-query scan limit, and the function EventBridge Scheduler runs every 15 minutes, with
 * what its queries need, its state on the table (baselines, progress, the directory) and its
 * findings into the outbox. See docs/statistics-aws.md.
 */
import { Aws, Duration } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { DeploymentConfig } from '../config/schema.js';
import { acknowledge, nagForm } from '../common/nag.js';
import { secureBucket } from '../common/secure-bucket.js';
import { RecurringInvocation } from '../common/schedule.js';
import { SkywatchFunction } from '../common/skywatch-function.js';
import { LogTables } from './log-tables.js';
import { grantStateAccess, STATE_ACCESS } from './state-access.js';

/** The Athena workgroup's name. */
export const WORKGROUP_NAME = 'skywatch';
/** The Glue database's name. */
export const LOG_DATABASE_NAME = 'skywatch_logs';
/** Where in its bucket the workgroup writes query results. */
export const RESULTS_PREFIX = 'results/';

export interface StatisticsProps {
  readonly config: DeploymentConfig;
  readonly table: dynamodb.ITableV2;
  readonly deadLetterQueue: sqs.IQueue;
  readonly accessLogs: s3.IBucket;
  /** The group the statistics schedule joins. */
  readonly schedules: scheduler.IScheduleGroup;
}

/** Workgroup, tables, function and schedule. */
export class Statistics extends Construct {
  readonly workgroup: athena.CfnWorkGroup;
  readonly tables: LogTables;
  readonly results: s3.Bucket;
  readonly function: SkywatchFunction;

  constructor(scope: Construct, id: string, props: StatisticsProps) {
    super(scope, id);
    const { config } = props;
    const archive = config.logArchive;
    this.tables = new LogTables(this, 'Tables', {
      databaseName: LOG_DATABASE_NAME,
      bucketName: archive.bucketName,
      organizationId: config.organizationId,
      trailPrefix: archive.trailPrefix,
      flowLogsPrefix: archive.flowLogsPrefix,
      wafPrefix: archive.wafPrefix,
      regions: config.memberRegions,
    });
    const bytesScannedCutoff = Math.round(config.athenaBytesScannedCutoffGb * 1024 ** 3);
    this.results = secureBucket(this, 'QueryResults', { expireAfterDays: 30, accessLogs: { bucket: props.accessLogs, prefix: 'athena-results/' } });
    this.workgroup = new athena.CfnWorkGroup(this, 'Workgroup', {
      name: WORKGROUP_NAME,
      description: 'Skywatch: cross-account queries over the log archive',
      recursiveDeleteOption: false,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: bytesScannedCutoff,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: { outputLocation: this.results.s3UrlForObject(RESULTS_PREFIX), encryptionConfiguration: { encryptionOption: 'SSE_S3' } },
      },
    });

    this.function = new SkywatchFunction(this, 'Statistics', {
      entry: 'central/aws/handlers/statistics.ts',
      description: 'Skywatch: flow-log and WAF statistics over Athena, findings into the outbox',
      timeout: Duration.minutes(10),
      memorySize: 1024,
      // The detectors and the IOC lists that raise their findings' severity; not the ASN tables.
      bundleRules: ['statistics', 'ioc'],
      environment: {
        STATE_TABLE: props.table.tableName,
        STATE_RETENTION_DAYS: String(config.stateRetentionDays),
        ATHENA_WORKGROUP: WORKGROUP_NAME,
        GLUE_DATABASE: LOG_DATABASE_NAME,
        ATHENA_BYTES_CUTOFF: String(bytesScannedCutoff),
        RULES_DIR: 'rules',
        // Where WAF logs are delivered: the function lists the web ACL folders to name them in queries.
        LOG_ARCHIVE_BUCKET: archive.bucketName,
        WAF_PREFIX: archive.wafPrefix,
        MEMBER_REGIONS: config.memberRegions.join(','),
      },
    });
    const fn = this.function.function;
    grantStateAccess(fn, props.table, STATE_ACCESS.statistics);
    const partition = Aws.PARTITION;
    const at = `${Aws.REGION}:${Aws.ACCOUNT_ID}`;
    fn.addToRolePolicy(new iam.PolicyStatement({ sid: 'RunQueries', actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StopQueryExecution'], resources: [`arn:${partition}:athena:${at}:workgroup/${WORKGROUP_NAME}`] }));
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadTableDefinitions',
        actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'],
        resources: [`arn:${partition}:glue:${at}:catalog`, `arn:${partition}:glue:${at}:database/${LOG_DATABASE_NAME}`, `arn:${partition}:glue:${at}:table/${LOG_DATABASE_NAME}/*`],
      }),
    );
    // What Athena needs in S3 for the query and no more (the calls AmazonAthenaFullAccess grants on
    // result buckets, less creating one): the table files under their prefixes, listed only there...
    const logPrefixes = [...new Set([archive.flowLogsPrefix, archive.wafPrefix].map((prefix) => `${prefix}AWSLogs/`))];
    const archiveArn = `arn:${partition}:s3:::${archive.bucketName}`;
    const logObjects = logPrefixes.map((prefix) => `${archiveArn}/${prefix}*`);
    fn.addToRolePolicy(new iam.PolicyStatement({ sid: 'ReadFlowAndWafLogs', actions: ['s3:GetObject'], resources: logObjects }));
    fn.addToRolePolicy(
      new iam.PolicyStatement({ sid: 'ListFlowAndWafLogs', actions: ['s3:ListBucket'], resources: [archiveArn], conditions: { StringLike: { 's3:prefix': logPrefixes.map((prefix) => `${prefix}*`) } } }),
    );
    // GetBucketLocation carries no s3:prefix, so it cannot share the listing's condition.
    fn.addToRolePolicy(new iam.PolicyStatement({ sid: 'LocateLogArchive', actions: ['s3:GetBucketLocation'], resources: [archiveArn] }));
    if (archive.kmsKeyArn) fn.addToRolePolicy(new iam.PolicyStatement({ sid: 'DecryptLogArchive', actions: ['kms:Decrypt'], resources: [archive.kmsKeyArn] }));
    // ...and the results under the workgroup's output location, never deleted (they expire after 30 days).
    fn.addToRolePolicy(new iam.PolicyStatement({ sid: 'UseQueryResultsBucket', actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'], resources: [this.results.bucketArn] }));
    const resultObjects = this.results.arnForObjects(`${RESULTS_PREFIX}*`);
    fn.addToRolePolicy(
      new iam.PolicyStatement({ sid: 'WriteQueryResults', actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'], resources: [resultObjects] }),
    );
    acknowledge(fn.role!, 'IAM5', 'Athena reads every object under the flow-log and WAF prefixes of the log archive and writes result objects under one prefix of its own bucket; the Glue grant covers the tables of one database.', [
      ...logObjects.map((arn) => `Resource::${arn.replace(partition, '<AWS::Partition>')}`),
      `Resource::arn:<AWS::Partition>:glue:<AWS::Region>:<AWS::AccountId>:table/${LOG_DATABASE_NAME}/*`,
      `Resource::${nagForm(this, resultObjects)}`,
    ]);

    new RecurringInvocation(this, 'Every15Minutes', { function: fn, every: Duration.minutes(15), group: props.schedules, description: 'Skywatch: flow-log and WAF statistics', deadLetterQueue: props.deadLetterQueue, retryAttempts: 1 });
  }
}
