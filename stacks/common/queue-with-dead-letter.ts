/**
 * A queue and its dead-letter queue, both encrypted and TLS-only. A poison message lands in the
 * dead-letter queue after a few receives instead of blocking the batch or vanishing.
 */
import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** An encrypted, TLS-only queue that keeps what failed for 14 days, for inspection and redrive. */
export function deadLetterQueue(scope: Construct, id: string): sqs.Queue {
  return new sqs.Queue(scope, id, { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
}

export interface QueueWithDeadLetterProps {
  /** The consuming function's timeout; messages stay invisible six times as long, as Lambda advises. */
  readonly consumerTimeout: Duration;
  /** Receives before a message moves to the dead-letter queue. @default 5 */
  readonly maxReceiveCount?: number;
}

/** A work queue with a dead-letter queue. */
export class QueueWithDeadLetter extends Construct {
  /** The work queue. */
  readonly queue: sqs.Queue;
  /** Where messages that keep failing go, kept 14 days for inspection and redrive. */
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: QueueWithDeadLetterProps) {
    super(scope, id);
    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetter');
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 5 },
    });
  }
}
