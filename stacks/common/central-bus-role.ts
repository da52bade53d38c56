/**
 * The role an EventBridge rule needs to put events on the central bus of another account: the bus
 * grants by organization id, so the sender's rule must act as a principal of the organization.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/** A role EventBridge assumes to put events on the central bus, and nowhere else. */
export function centralBusPutRole(scope: Construct, id: string, centralBusArn: string, description: string): iam.Role {
  return new iam.Role(scope, id, {
    assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
    description,
    inlinePolicies: {
      PutOnCentralBus: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [centralBusArn] })] }),
    },
  });
}
