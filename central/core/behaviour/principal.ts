/**
 * Who a behaviour belongs to, and which calls are left out of behaviour baselines by default.
 * A role's sessions (an EC2 instance's, a Lambda function's, every SDK session) each carry their
 * own session ARN; their behaviour is the role's, so a role session is keyed by the role.
 */
import type { SecurityEvent } from '../event.js';

/** The principal a behaviour is learned for: the role of a role session, else the caller's ARN or id. */
export function principalOf(event: SecurityEvent): string | undefined {
  const { actor } = event;
  return actor.roleArn ?? actor.arn ?? actor.principalId;
}

/**
 * True for calls an AWS service made (an `AWSService` actor, or `invokedBy` an AWS service such as
 * `cloudformation.amazonaws.com` or `AWS Internal`): the service decides the volume and the regions,
 * not the principal, and counting them would teach baselines what services do.
 */
export function isServiceCall(event: SecurityEvent): boolean {
  const { type, invokedBy } = event.actor;
  if (type === 'AWSService') return true;
  return invokedBy !== undefined && (invokedBy.endsWith('.amazonaws.com') || invokedBy === 'AWS Internal');
}
