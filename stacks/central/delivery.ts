/**
 * Getting findings out: the publisher (its role is the one principal every FindingWriter trusts) and
 * the notifier (SNS email and Slack), both fed by new outbox items on the state table's stream (the
 * notifier also by the GuardDuty and Config signals there), the publisher also on a schedule so
 * findings held back (throttling, Security Hub off) are retried.
 */
import { Aws, Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import type { DeploymentConfig } from '../config/schema.js';
import { acknowledge } from '../common/nag.js';
import { RecurringInvocation } from '../common/schedule.js';
import { SkywatchFunction } from '../common/skywatch-function.js';
import { FINDING_WRITER_ROLE_NAME, PUBLISHER_ROLE_NAME } from '../names.js';
import { FINDINGS_PREFIX } from './log-table-layouts.js';
import { grantStateAccess, STATE_ACCESS } from './state-access.js';

/** Where the publisher writes OCSF Detection Findings in the log archive (the `findings` table reads them). */
export const OCSF_PREFIX = FINDINGS_PREFIX;

export interface DeliveryProps {
  readonly config: DeploymentConfig;
  readonly table: dynamodb.ITableV2;
  /** Dead-letter queue for stream batches and scheduled invocations that keep failing. */
  readonly deadLetterQueue: sqs.IQueue;
  /** The group the publisher's retry schedule joins. */
  readonly schedules: scheduler.IScheduleGroup;
}

/** Publisher, notifier, topic and Slack secret. */
export class Delivery extends Construct {
  readonly publisherRole: iam.Role;
  readonly publisher: SkywatchFunction;
  readonly notifier: SkywatchFunction;
  readonly topic: sns.Topic;
  readonly slackWebhook: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: DeliveryProps) {
    super(scope, id);
    const { config, table } = props;
    // New and changed items of one partition family (see central/aws/adapters/table-layout.ts).
    const changesOf = (prefix: string) =>
      lambda.FilterCriteria.filter({ eventName: lambda.FilterRule.or('INSERT', 'MODIFY'), dynamodb: { NewImage: { pk: { S: lambda.FilterRule.beginsWith(prefix) } } } });
    const streamSource = (filters: Array<Record<string, unknown>>) =>
      new sources.DynamoEventSource(table, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        bisectBatchOnError: true,
        retryAttempts: 10,
        reportBatchItemFailures: true,
        filters,
        onFailure: new sources.SqsDlq(props.deadLetterQueue),
      });

    this.publisherRole = new iam.Role(this, 'PublisherRole', {
      roleName: PUBLISHER_ROLE_NAME,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Skywatch publisher: the only principal member FindingWriter roles trust',
    });
    this.publisherRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'AssumeFindingWriters',
        actions: ['sts:AssumeRole'],
        // Members join after deploy, so accounts cannot be listed; the role name and the organization can.
        resources: [`arn:${Aws.PARTITION}:iam::*:role/${FINDING_WRITER_ROLE_NAME}`],
        conditions: { StringEquals: { 'aws:ResourceOrgID': config.organizationId } },
      }),
    );
    this.publisherRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteOcsfFindings',
        actions: ['s3:PutObject'],
        resources: [`arn:${Aws.PARTITION}:s3:::${config.logArchive.bucketName}/${OCSF_PREFIX}*`],
      }),
    );
    if (config.logArchive.kmsKeyArn) {
      // An SSE-KMS archive needs a data key for every object written.
      this.publisherRole.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'EncryptOcsfFindings', actions: ['kms:GenerateDataKey'], resources: [config.logArchive.kmsKeyArn] }));
    }
    acknowledge(this.publisherRole, 'IAM5', 'Each member account has a FindingWriter role of a fixed name; accounts join after deploy, so the account is a wildcard limited by aws:ResourceOrgID. OCSF findings go under one prefix of the log archive.', [
      `Resource::arn:<AWS::Partition>:iam::*:role/${FINDING_WRITER_ROLE_NAME}`,
      `Resource::arn:<AWS::Partition>:s3:::${config.logArchive.bucketName}/${OCSF_PREFIX}*`,
    ]);
    this.publisher = new SkywatchFunction(this, 'Publisher', {
      entry: 'central/aws/handlers/publisher.ts',
      description: 'Skywatch: imports outbox findings into Security Hub in each member account',
      role: this.publisherRole,
      timeout: Duration.minutes(5),
      environment: {
        STATE_TABLE: table.tableName,
        FINDING_WRITER_ROLE_NAME,
        OCSF_BUCKET: config.logArchive.bucketName,
        OCSF_PREFIX,
        CENTRAL_ACCOUNT: Aws.ACCOUNT_ID,
        STATE_RETENTION_DAYS: String(config.stateRetentionDays),
      },
    });
    grantStateAccess(this.publisher.function, table, STATE_ACCESS.publisher);
    this.publisher.function.addEventSource(streamSource([changesOf('outbox#')]));
    new RecurringInvocation(this, 'PublisherRetry', {
      function: this.publisher.function,
      every: Duration.minutes(5),
      group: props.schedules,
      description: 'Skywatch: retry findings still in the outbox',
      deadLetterQueue: props.deadLetterQueue,
    });

    const topicKey = new kms.Key(this, 'TopicKey', { enableKeyRotation: true, description: 'Skywatch notifications topic' });
    this.topic = new sns.Topic(this, 'Notifications', { displayName: 'Skywatch findings', masterKey: topicKey, enforceSSL: true });
    this.topic.addSubscription(new subscriptions.EmailSubscription(config.notifications.email));
    this.slackWebhook = new secretsmanager.Secret(this, 'SlackWebhook', {
      secretName: config.notifications.slackWebhookSecretName,
      description: 'Skywatch: Slack incoming-webhook URL (set the value after the first deploy)',
    });
    acknowledge(this.slackWebhook, 'SMG4', 'A Slack incoming-webhook URL is issued by Slack and cannot be rotated by a Lambda; rotate it in Slack and update the secret.');

    this.notifier = new SkywatchFunction(this, 'Notifier', {
      entry: 'central/aws/handlers/notifier.ts',
      description: 'Skywatch: notifies new findings by email (SNS) and Slack',
      environment: {
        STATE_TABLE: table.tableName,
        TOPIC_ARN: this.topic.topicArn,
        SLACK_SECRET_ARN: this.slackWebhook.secretArn,
        MINIMUM_SEVERITY: config.notifications.minimumSeverity,
        STATE_RETENTION_DAYS: String(config.stateRetentionDays),
      },
    });
    grantStateAccess(this.notifier.function, table, STATE_ACCESS.notifier);
    this.topic.grantPublish(this.notifier.function);
    acknowledge(this.notifier.role, 'IAM5', 'Publishing to a KMS-encrypted topic needs kms:GenerateDataKey* (the variants with and without plaintext) on the topic key only.', ['Action::kms:GenerateDataKey*']);
    this.slackWebhook.grantRead(this.notifier.function);
    // The notifier also takes GuardDuty and Config signals, which are notified and never imported.
    this.notifier.function.addEventSource(streamSource([changesOf('outbox#'), changesOf('notify#')]));
  }
}
