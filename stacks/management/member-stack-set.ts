/**
 * The service-managed StackSet that puts the member side into every account of the target OUs and
 * every member region, including accounts created, invited or moved there later (auto-deployment).
 * Parameters are set on the StackSet itself: overrides would not reach future accounts (docs/architecture.md).
 */
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import { Construct } from 'constructs';
import type { DeploymentConfig } from '../config/schema.js';
import { MEMBER_STACK_SET_NAME } from '../names.js';

export interface MemberStackSetProps {
  readonly config: DeploymentConfig;
  /** The synthesized member template (minified JSON). */
  readonly templateBody: string;
}

/** The `skywatch-member` StackSet. */
export class MemberStackSet extends Construct {
  readonly stackSet: cloudformation.CfnStackSet;

  constructor(scope: Construct, id: string, props: MemberStackSetProps) {
    super(scope, id);
    const { config } = props;
    this.stackSet = new cloudformation.CfnStackSet(this, 'StackSet', {
      stackSetName: MEMBER_STACK_SET_NAME,
      description: 'Skywatch member side: forwarding rules, FindingWriter role, object scanner',
      permissionModel: 'SERVICE_MANAGED',
      // Deployed from the management account itself, not from a StackSets delegated administrator.
      callAs: 'SELF',
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      // Lets CloudFormation run non-conflicting operations concurrently and queue the others.
      managedExecution: { Active: true },
      capabilities: ['CAPABILITY_NAMED_IAM'],
      operationPreferences: {
        maxConcurrentPercentage: config.stackSet.maxConcurrentPercentage,
        failureTolerancePercentage: config.stackSet.failureTolerancePercentage,
        regionConcurrencyType: config.stackSet.regionConcurrency,
        // us-east-1 first: IAM, STS and Organizations events are recorded there.
        regionOrder: ['us-east-1', ...config.memberRegions.filter((region) => region !== 'us-east-1')],
      },
      stackInstancesGroup: [{ deploymentTargets: { organizationalUnitIds: config.targetOrganizationalUnits }, regions: config.memberRegions }],
      templateBody: props.templateBody,
    });
  }
}
