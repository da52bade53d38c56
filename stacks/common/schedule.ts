/**
 * A recurring EventBridge Scheduler invocation of a function, with a role of its own (invoke that
 * function only, assumed only by Scheduler for the schedules of one group of this account) and a
 * dead-letter queue for invocations that keep failing.
 */
import { Aws, type Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge, nagForm } from './nag.js';

export interface RecurringInvocationProps {
  readonly function: lambda.IFunction;
  /** The schedule's group. Scheduler gives the group, never the schedule, as aws:SourceArn, so the role trusts the group. */
  readonly group: scheduler.IScheduleGroup;
  readonly every: Duration;
  readonly description: string;
  readonly deadLetterQueue: sqs.IQueue;
  /** @default 2 */
  readonly retryAttempts?: number;
}

/** The schedule and its role. */
export class RecurringInvocation extends Construct {
  readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: RecurringInvocationProps) {
    super(scope, id);
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        ArnLike: { 'aws:SourceArn': props.group.scheduleGroupArn },
      }),
      description: props.description,
    });
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: props.description,
      scheduleGroup: props.group,
      schedule: scheduler.ScheduleExpression.rate(props.every),
      target: new schedulerTargets.LambdaInvoke(props.function, { role, deadLetterQueue: props.deadLetterQueue, retryAttempts: props.retryAttempts ?? 2 }),
    });
    // The schedule names its group by a literal name, which CloudFormation does not see as a reference.
    this.schedule.node.addDependency(props.group);
    acknowledge(role, 'IAM5', 'The scheduler target grant covers the function and its versions (ARN:*), for this one function only.', [
      `Resource::${nagForm(this, `${props.function.functionArn}:*`)}`,
    ]);
  }
}
