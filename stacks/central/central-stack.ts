/**
 * The central security account: intake (bus and trail notifications), the detector, state, delivery
 * (Security Hub, email, Slack), onboarding, the Glue tables and Athena workgroup over the log archive
 * with a scheduled statistics function, the investigations as named queries and a read-only
 * investigator role, and Security Hub cross-region aggregation.
 */
import { Aws, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as securityhub from 'aws-cdk-lib/aws-securityhub';
import { Construct } from 'constructs';
import type { DeploymentConfig } from '../config/schema.js';
import { acknowledge } from '../common/nag.js';
import { deadLetterQueue } from '../common/queue-with-dead-letter.js';
import { secureBucket } from '../common/secure-bucket.js';
import { SkywatchFunction } from '../common/skywatch-function.js';
import { Delivery } from './delivery.js';
import { EventIntake } from './event-intake.js';
import { Onboarding } from './onboarding.js';
import { StateTable } from './state-table.js';
import { grantStateAccess, STATE_ACCESS } from './state-access.js';
import { Investigations } from './investigations.js';
import { LOG_DATABASE_NAME, RESULTS_PREFIX, Statistics } from './statistics.js';
import { TrailIntake } from './trail-intake.js';

export interface CentralStackProps extends StackProps {
  readonly config: DeploymentConfig;
}

/** The central account's stack, in the home region. */
export class CentralStack extends Stack {
  readonly intake: EventIntake;
  readonly trail: TrailIntake;
  readonly state: StateTable;
  /** The group of every schedule of the stack; the schedules' roles trust only it. */
  readonly schedules: scheduler.ScheduleGroup;
  readonly detector: SkywatchFunction;
  readonly delivery: Delivery;
  readonly onboarding: Onboarding;
  readonly statistics: Statistics;
  readonly investigations: Investigations;

  constructor(scope: Construct, id: string, props: CentralStackProps) {
    const { config } = props;
    super(scope, id, { ...props, env: { account: config.centralAccountId, region: config.homeRegion }, description: 'Skywatch central security account' });
    const archive = config.logArchive;
    const detectorTimeout = Duration.minutes(2);

    this.intake = new EventIntake(this, 'Intake', { organizationId: config.organizationId, managementAccountId: config.managementAccountId, detectorTimeout });
    this.trail = new TrailIntake(this, 'Trail', { bucketName: archive.bucketName, bucketAccountId: archive.accountId, detectorTimeout });
    this.state = new StateTable(this, 'State');
    const table = this.state.table;

    // Where asynchronous invocations, schedules and stream batches land after their retries.
    const failed = deadLetterQueue(this, 'FailedInvocations');
    acknowledge(failed, 'SQS3', 'This queue is the dead-letter destination of schedules, stream mappings and rule targets; it is not consumed.');
    // Holds only this stack's schedules, which go with the stack.
    this.schedules = new scheduler.ScheduleGroup(this, 'Schedules', { removalPolicy: RemovalPolicy.DESTROY });

    this.detector = new SkywatchFunction(this, 'Detector', {
      entry: 'central/aws/handlers/detector.ts',
      description: 'Skywatch: runs the rules and detectors over forwarded events and trail files',
      bundleRules: true,
      // Behaviour rules over the network (ASN) of a caller's address read these tables.
      bundleAsnData: true,
      timeout: detectorTimeout,
      memorySize: 1769,
      environment: {
        STATE_TABLE: table.tableName,
        TRAIL_BUCKET: archive.bucketName,
        TRAIL_PREFIX: `${archive.trailPrefix}AWSLogs/${config.organizationId}/`,
        RULES_DIR: 'rules',
        ASN_DATA_DIR: 'asn',
        STATE_RETENTION_DAYS: String(config.stateRetentionDays),
        // Correlation findings are filed here: this account (the Security Hub administrator), this region.
        CENTRAL_ACCOUNT_ID: this.account,
        HOME_REGION: this.region,
      },
    });
    const detector = this.detector.function;
    grantStateAccess(detector, table, STATE_ACCESS.detector);
    for (const work of [this.intake.work, this.trail.work]) {
      detector.addEventSource(
        new sources.SqsEventSource(work.queue, { batchSize: 10, reportBatchItemFailures: true, maxBatchingWindow: Duration.seconds(5), maxConcurrency: config.detectorMaxConcurrency }),
      );
    }
    const trailObjects = `arn:${Aws.PARTITION}:s3:::${archive.bucketName}/${archive.trailPrefix}AWSLogs/${config.organizationId}/*`;
    detector.addToRolePolicy(new iam.PolicyStatement({ sid: 'ReadTrailFiles', actions: ['s3:GetObject'], resources: [trailObjects] }));
    if (archive.kmsKeyArn) detector.addToRolePolicy(new iam.PolicyStatement({ sid: 'DecryptTrailFiles', actions: ['kms:Decrypt'], resources: [archive.kmsKeyArn] }));
    acknowledge(this.detector.role, 'IAM5', 'The detector reads whichever trail file a notification names, all under the organization trail prefix.', [
      `Resource::${trailObjects.replace(Aws.PARTITION, '<AWS::Partition>')}`,
    ]);

    this.delivery = new Delivery(this, 'Delivery', { config, table, deadLetterQueue: failed, schedules: this.schedules });
    this.onboarding = new Onboarding(this, 'Onboarding', { config, bus: this.intake.bus, table, deadLetterQueue: failed, schedules: this.schedules });

    const accessLogs = secureBucket(this, 'AccessLogs', { expireAfterDays: 365 });
    acknowledge(accessLogs, 'S1', 'This bucket receives the other buckets\' server access logs; logging it to itself would loop.');
    this.statistics = new Statistics(this, 'Statistics', { config, table, deadLetterQueue: failed, accessLogs, schedules: this.schedules });
    this.investigations = new Investigations(this, 'Investigations', {
      config, workgroup: this.statistics.workgroup, databaseName: LOG_DATABASE_NAME, results: this.statistics.results, resultsPrefix: RESULTS_PREFIX,
    });

    const linked = config.memberRegions.filter((region) => region !== config.homeRegion);
    if (linked.length > 0) {
      new securityhub.CfnFindingAggregator(this, 'FindingAggregator', { regionLinkingMode: 'SPECIFIED_REGIONS', regions: linked });
    }
  }
}
