/**
 * EventBridge rules on the member's default bus that send security events to the central bus. The
 * filtering happens here, in the member, so only events a detector can use cross the account boundary.
 * Cross-account bus targets need a role when the receiving bus grants by organization id (docs/architecture.md).
 * The rules are L1 so the patterns reach CloudFormation exactly as written and tested.
 */
import { Aws } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { centralBusPutRole, defaultBusRuleArn } from '../common/central-bus-role.js';
import { acknowledge } from '../common/nag.js';
import { deadLetterQueue } from '../common/queue-with-dead-letter.js';
import { forwarderRoleName } from '../names.js';
import type { ForwardingPattern } from './forwarding-patterns.js';

/** Every forwarding rule's name starts so, followed by its pattern's name; the rules' role trusts these names only. */
export const FORWARDING_RULE_PREFIX = 'skywatch-forward-';

export interface ForwardingRulesProps {
  /** The central `skywatch` bus. */
  readonly centralBusArn: string;
  /** One rule per pattern. */
  readonly patterns: readonly ForwardingPattern[];
}

/** The forwarding rules, their shared role and a dead-letter queue for events the central bus refused. */
export class ForwardingRules extends Construct {
  readonly rules: events.CfnRule[] = [];
  readonly role: iam.Role;
  /** Events EventBridge could not deliver after retries, kept 14 days instead of lost. */
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: ForwardingRulesProps) {
    super(scope, id);
    this.role = centralBusPutRole(this, 'Role', {
      centralBusArn: props.centralBusArn,
      roleName: forwarderRoleName(Aws.REGION),
      // A name pattern, not the rules' ARNs: the rules refer to the role, so the role cannot refer to them.
      sourceRules: defaultBusRuleArn(`${FORWARDING_RULE_PREFIX}*`),
      description: 'Puts forwarded security events on the Skywatch central bus',
    });
    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetter');
    acknowledge(this.deadLetterQueue, 'SQS3', 'This queue is itself the dead-letter queue of the forwarding rules\' targets (EventBridge DeadLetterConfig, which cdk-nag does not see).');
    for (const { name, pattern } of props.patterns) {
      const rule = new events.CfnRule(this, `Rule-${name}`, {
        name: `${FORWARDING_RULE_PREFIX}${name}`,
        description: `Skywatch: forward ${name} to the central bus`,
        state: 'ENABLED',
        eventPattern: pattern,
        targets: [
          {
            id: 'CentralBus',
            arn: props.centralBusArn,
            roleArn: this.role.roleArn,
            deadLetterConfig: { arn: this.deadLetterQueue.queueArn },
            retryPolicy: { maximumEventAgeInSeconds: 24 * 3600, maximumRetryAttempts: 185 },
          },
        ],
      });
      this.rules.push(rule);
    }
    this.deadLetterQueue.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [this.deadLetterQueue.queueArn],
        conditions: { ArnEquals: { 'aws:SourceArn': this.rules.map((rule) => rule.attrArn) } },
      }),
    );
  }
}
