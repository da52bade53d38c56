/**
 * The role an EventBridge rule needs to put events on the central bus of another account: the bus
 * admits principals of the organization by role name, so the sender's rule must act as a role of a
 * name the bus policy lists (stacks/names.ts). Only this account's rules of the given names may assume
 * it (aws:SourceAccount, aws:SourceArn), so no other rule, and no other account's, can borrow it.
 */
import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/** What the role is for and what it is called. */
export interface CentralBusPutRoleProps {
  /** The central bus: the one place the role may put events. */
  readonly centralBusArn: string;
  /** A name the central bus policy admits. */
  readonly roleName: string;
  /** The rules that may use the role: an ARN or an ARN pattern (`defaultBusRuleArn`). EventBridge gives the rule as aws:SourceArn. */
  readonly sourceRules: string;
  readonly description: string;
}

/** The ARN of this account's rules of that name on the default bus of this region (`*` allowed, for a name prefix). */
export function defaultBusRuleArn(name: string): string {
  return `arn:${Aws.PARTITION}:events:${Aws.REGION}:${Aws.ACCOUNT_ID}:rule/${name}`;
}

/** A role EventBridge assumes to put events on the central bus, and nowhere else. */
export function centralBusPutRole(scope: Construct, id: string, props: CentralBusPutRoleProps): iam.Role {
  return new iam.Role(scope, id, {
    roleName: props.roleName,
    assumedBy: new iam.ServicePrincipal('events.amazonaws.com').withConditions({
      StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
      ArnLike: { 'aws:SourceArn': props.sourceRules },
    }),
    description: props.description,
    inlinePolicies: {
      PutOnCentralBus: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [props.centralBusArn] })] }),
    },
  });
}
