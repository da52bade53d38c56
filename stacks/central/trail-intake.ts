/**
 * The queue the organization trail's bucket notifies when a log file lands. The bucket lives in the
 * log archive account; its notification configuration (docs/deploy.md) points here, and this queue
 * accepts messages from that bucket and account only.
 */
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { QueueWithDeadLetter } from '../common/queue-with-dead-letter.js';

export interface TrailIntakeProps {
  readonly bucketName: string;
  readonly bucketAccountId: string;
  readonly detectorTimeout: Duration;
}

/** The trail notification queue. */
export class TrailIntake extends Construct {
  readonly work: QueueWithDeadLetter;

  constructor(scope: Construct, id: string, props: TrailIntakeProps) {
    super(scope, id);
    this.work = new QueueWithDeadLetter(this, 'TrailFiles', { consumerTimeout: props.detectorTimeout });
    this.work.queue.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'LogArchiveNotifies',
        principals: [new iam.ServicePrincipal('s3.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [this.work.queue.queueArn],
        conditions: {
          ArnEquals: { 'aws:SourceArn': `arn:aws:s3:::${props.bucketName}` },
          StringEquals: { 'aws:SourceAccount': props.bucketAccountId },
        },
      }),
    );
  }
}
