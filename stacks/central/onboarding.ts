/**
 * Onboarding and coverage: runs when Organizations reports an account created, invited, moved or
 * removed (forwarded from the management account to the central bus) and once a day, and reads
 * StackSet instances through the management account's coverage reader role.
 */
import { Aws, Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { DeploymentConfig } from '../config/schema.js';
import { RecurringInvocation } from '../common/schedule.js';
import { SkywatchFunction } from '../common/skywatch-function.js';
import { ONBOARDING_EVENT_NAMES } from '../management/organization-events.js';
import { COVERAGE_READER_ROLE_NAME, MEMBER_STACK_SET_NAME, ONBOARDING_ROLE_NAME } from '../names.js';
import { grantStateAccess, STATE_ACCESS } from './state-access.js';

export interface OnboardingProps {
  readonly config: DeploymentConfig;
  readonly bus: events.IEventBus;
  readonly table: dynamodb.ITableV2;
  readonly deadLetterQueue: sqs.IQueue;
  /** The group the daily schedule joins. */
  readonly schedules: scheduler.IScheduleGroup;
}

/** The onboarding function and its triggers. */
export class Onboarding extends Construct {
  readonly function: SkywatchFunction;

  constructor(scope: Construct, id: string, props: OnboardingProps) {
    super(scope, id);
    const { config } = props;
    const role = new iam.Role(this, 'Role', {
      roleName: ONBOARDING_ROLE_NAME,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Skywatch onboarding: compares the organization with what is deployed',
    });
    const coverageReaderArn = `arn:${Aws.PARTITION}:iam::${config.managementAccountId}:role/${COVERAGE_READER_ROLE_NAME}`;
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ReadManagementAccount', actions: ['sts:AssumeRole'], resources: [coverageReaderArn] }));
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'SecurityHubMembership',
        actions: ['securityhub:ListMembers', 'securityhub:GetMembers'],
        resources: [`arn:${Aws.PARTITION}:securityhub:${Aws.REGION}:${Aws.ACCOUNT_ID}:hub/default`],
      }),
    );
    this.function = new SkywatchFunction(this, 'Onboarding', {
      entry: 'central/aws/handlers/onboarding.ts',
      description: 'Skywatch: coverage of accounts, regions and Security Hub',
      role,
      timeout: Duration.minutes(5),
      environment: {
        STATE_TABLE: props.table.tableName,
        COVERAGE_READER_ROLE_ARN: coverageReaderArn,
        STACK_SET_NAME: MEMBER_STACK_SET_NAME,
        MEMBER_REGIONS: config.memberRegions.join(','),
        STATE_RETENTION_DAYS: String(config.stateRetentionDays),
      },
    });
    grantStateAccess(this.function.function, props.table, STATE_ACCESS.onboarding);

    new events.Rule(this, 'AccountLifecycle', {
      eventBus: props.bus,
      description: 'Skywatch: account lifecycle events to onboarding',
      eventPattern: { source: ['aws.organizations'], detail: { eventName: [...ONBOARDING_EVENT_NAMES] } },
      targets: [new targets.LambdaFunction(this.function.function, { deadLetterQueue: props.deadLetterQueue, retryAttempts: 4 })],
    });
    new RecurringInvocation(this, 'Daily', { function: this.function.function, every: Duration.days(1), group: props.schedules, description: 'Skywatch: daily coverage check', deadLetterQueue: props.deadLetterQueue });
  }
}
