/**
 * A read-only role in the management account for the central onboarding function: StackSet instance
 * status lives only here, and listing the organization needs no more than these read calls.
 */
import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { DeploymentConfig } from '../config/schema.js';
import { acknowledge } from '../common/nag.js';
import { COVERAGE_READER_ROLE_NAME, MEMBER_STACK_SET_NAME, ONBOARDING_ROLE_NAME } from '../names.js';

/** The coverage reader role. */
export class CoverageReaderRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: { readonly config: DeploymentConfig }) {
    super(scope, id);
    const { config } = props;
    const org = `arn:${Aws.PARTITION}:organizations::${Aws.ACCOUNT_ID}`;
    this.role = new iam.Role(this, 'Role', {
      roleName: COVERAGE_READER_ROLE_NAME,
      description: 'Lets Skywatch onboarding read accounts, OUs and StackSet instances',
      assumedBy: new iam.ArnPrincipal(`arn:${Aws.PARTITION}:iam::${config.centralAccountId}:role/${ONBOARDING_ROLE_NAME}`).withConditions({
        StringEquals: { 'aws:PrincipalOrgID': config.organizationId },
      }),
      inlinePolicies: {
        ReadCoverage: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              sid: 'StackSetInstances',
              actions: ['cloudformation:ListStackInstances', 'cloudformation:DescribeStackSet'],
              resources: [`arn:${Aws.PARTITION}:cloudformation:${config.homeRegion}:${Aws.ACCOUNT_ID}:stackset/${MEMBER_STACK_SET_NAME}:*`],
            }),
            new iam.PolicyStatement({
              sid: 'OrganizationStructure',
              actions: ['organizations:DescribeAccount', 'organizations:ListParents', 'organizations:DescribeOrganizationalUnit', 'organizations:ListAccountsForParent', 'organizations:ListTagsForResource'],
              resources: [`${org}:account/${config.organizationId}/*`, `${org}:ou/${config.organizationId}/ou-*`, `${org}:root/${config.organizationId}/r-*`],
            }),
            // ListAccounts and ListRoots have no resource-level permissions.
            new iam.PolicyStatement({ sid: 'ListOrganization', actions: ['organizations:ListAccounts', 'organizations:ListRoots'], resources: ['*'] }),
          ],
        }),
      },
    });
    acknowledge(this.role, 'IAM5', 'StackSet instance ids end in a generated suffix, accounts and OUs join after deploy (scoped to this organization), and ListAccounts/ListRoots support no resource-level permissions.', [
      `Resource::arn:<AWS::Partition>:cloudformation:${config.homeRegion}:<AWS::AccountId>:stackset/${MEMBER_STACK_SET_NAME}:*`,
      `Resource::arn:<AWS::Partition>:organizations::<AWS::AccountId>:account/${config.organizationId}/*`,
      `Resource::arn:<AWS::Partition>:organizations::<AWS::AccountId>:ou/${config.organizationId}/ou-*`,
      `Resource::arn:<AWS::Partition>:organizations::<AWS::AccountId>:root/${config.organizationId}/r-*`,
      'Resource::*',
    ]);
  }
}
