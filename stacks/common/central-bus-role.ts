/**
 * The role an EventBridge rule needs to put events on the central bus of another account: the bus
 * admits principals of the organization by role name, so the sender's rule must act as a role of a
 * name the bus policy lists (stacks/names.ts).
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/** What the role is for and what it is called. */
export interface CentralBusPutRoleProps {
  /** The central bus: the one place the role may put events. */
  readonly centralBusArn: string;
  /** A name the central bus policy admits. */
  readonly roleName: string;
  readonly description: string;
}

/** A role EventBridge assumes to put events on the central bus, and nowhere else. */
export function centralBusPutRole(scope: Construct, id: string, props: CentralBusPutRoleProps): iam.Role {
  return new iam.Role(scope, id, {
    roleName: props.roleName,
    assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
    description: props.description,
    inlinePolicies: {
      PutOnCentralBus: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [props.centralBusArn] })] }),
    },
  });
}
