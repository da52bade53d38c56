/**
 * The member's S3 object scanner: Object Created events from opted-in buckets -> queue (with a
 * dead-letter queue) -> scanner function -> "Skywatch Object Scan Result" events on the central bus.
 *
 * Opting in is a bucket tag (with ABAC enabled on the bucket, so IAM can read the tag) plus EventBridge
 * notifications on the bucket. The function may read objects only from buckets of this account that
 * carry the tag: the tag is the permission, not just a filter.
 */
import { Annotations, Aws, Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { QueueWithDeadLetter } from '../common/queue-with-dead-letter.js';
import { FUNCTION_RUNTIME, retainedLogGroup } from '../common/skywatch-function.js';
import { acknowledge, nagForm } from '../common/nag.js';
import { DEFAULT_YARA_TIMEOUT_SECONDS } from '../../member/scanner/yara/yara-budget.js';
import { scannerRoleName } from '../names.js';

/** Where the bundled scanner's code lives inside the asset bucket. */
export const SCANNER_CODE_PREFIX = 'member/scanner/';
/** Where teams drop updated YARA and secret rules, read at cold start. */
export const SCANNER_RULES_PREFIX = 'member/rules/';

export interface ObjectScannerProps {
  /** The per-region, organization-readable bucket with the scanner code. */
  readonly assetBucketName: string;
  /** The scanner bundle's key in that bucket. */
  readonly codeKey: string;
  readonly centralBusArn: string;
  /** The bucket tag that opts a bucket in (baked into the policy: a condition key cannot be a parameter). */
  readonly optInTagKey: string;
  readonly optInTagValue: string;
  /** Larger objects are reported as not scanned. */
  readonly maxObjectBytes: string;
  /** Skip images, audio and video by magic bytes. @default false */
  readonly skipMedia?: boolean;
  /** YARA time per object, in seconds. @default DEFAULT_YARA_TIMEOUT_SECONDS (20) */
  readonly yaraTimeoutSeconds?: number;
}

/** Queue, function and permissions of the scanner. */
export class ObjectScanner extends Construct {
  readonly work: QueueWithDeadLetter;
  readonly function: lambda.Function;

  constructor(scope: Construct, id: string, props: ObjectScannerProps) {
    super(scope, id);
    const timeout = Duration.minutes(5);
    this.work = new QueueWithDeadLetter(this, 'Objects', { consumerTimeout: timeout });

    const rule = new events.Rule(this, 'ObjectCreated', {
      description: 'Skywatch: objects created in buckets with EventBridge notifications, for the scanner',
      eventPattern: { source: ['aws.s3'], detailType: ['Object Created'] },
    });
    rule.addTarget(new targets.SqsQueue(this.work.queue, { deadLetterQueue: this.work.deadLetterQueue }));

    const role = new iam.Role(this, 'Role', {
      // A name the central bus policy admits; per region, since every region has a scanner.
      roleName: scannerRoleName(Aws.REGION),
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Skywatch object scanner: reads opted-in objects, reports to the central bus',
    });
    const logGroup = retainedLogGroup(this, role);
    const ownBuckets = { StringEquals: { 'aws:ResourceAccount': Aws.ACCOUNT_ID } };
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadOptedInObjects',
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: ['arn:aws:s3:::*/*'],
        conditions: { StringEquals: { 'aws:ResourceAccount': Aws.ACCOUNT_ID, [`aws:ResourceTag/${props.optInTagKey}`]: props.optInTagValue } },
      }),
    );
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'CheckOptInTag', actions: ['s3:GetBucketTagging'], resources: ['arn:aws:s3:::*'], conditions: ownBuckets }));
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DecryptOptedInObjects',
        actions: ['kms:Decrypt'],
        resources: [`arn:${Aws.PARTITION}:kms:${Aws.REGION}:${Aws.ACCOUNT_ID}:key/*`],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com` } },
      }),
    );
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ReportResults', actions: ['events:PutEvents'], resources: [props.centralBusArn] }));
    const assets = s3.Bucket.fromBucketName(this, 'Assets', props.assetBucketName);
    const ruleUpdates = new iam.Policy(this, 'ReadRuleUpdates', {
      roles: [role],
      statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [assets.arnForObjects(`${SCANNER_RULES_PREFIX}*`)] })],
    });
    acknowledge(ruleUpdates, 'IAM5', 'Teams publish YARA and secret rule updates as objects under one prefix of the Skywatch asset bucket; the scanner reads that prefix only.', [
      `Resource::${nagForm(this, assets.arnForObjects(`${SCANNER_RULES_PREFIX}*`))}`,
    ]);
    acknowledge(role, 'IAM5', 'Opted-in buckets are not known when the stack deploys: reads are limited to this account\'s buckets that carry the opt-in tag (aws:ResourceTag), keys only via S3 in this region, rule updates to one prefix.', [
      'Resource::arn:aws:s3:::*/*',
      'Resource::arn:aws:s3:::*',
      'Resource::arn:<AWS::Partition>:kms:<AWS::Region>:<AWS::AccountId>:key/*',
    ]);

    this.function = new lambda.Function(this, 'Function', {
      description: 'Skywatch: scans new objects with YARA and the secrets detectors',
      runtime: FUNCTION_RUNTIME,
      // The YARA-X engine ships a native addon for linux-x64 only.
      architecture: lambda.Architecture.X86_64,
      handler: 'index.handler',
      code: lambda.Code.fromBucket(assets, props.codeKey),
      memorySize: 2048,
      timeout,
      role,
      logGroup,
      environment: {
        CENTRAL_BUS_ARN: props.centralBusArn,
        OPT_IN_TAG_KEY: props.optInTagKey,
        OPT_IN_TAG_VALUE: props.optInTagValue,
        MAX_OBJECT_BYTES: props.maxObjectBytes,
        RULES_BUCKET: props.assetBucketName,
        RULES_PREFIX: SCANNER_RULES_PREFIX,
        SKIP_MEDIA: String(props.skipMedia ?? false),
        YARA_TIMEOUT_SECONDS: String(props.yaraTimeoutSeconds ?? DEFAULT_YARA_TIMEOUT_SECONDS),
      },
    });
    // The code key carries the bundle's content hash, so new code always arrives under a new key.
    Annotations.of(this).acknowledgeWarning('@aws-cdk/aws-lambda:codeFromBucketObjectVersionNotSpecified', 'The scanner code key is content-addressed.');
    this.function.addEventSource(new sources.SqsEventSource(this.work.queue, { batchSize: 10, reportBatchItemFailures: true, maxConcurrency: 5 }));
  }
}
