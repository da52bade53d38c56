/**
 * The role the central publisher assumes to import findings into this account's Security Hub: Security
 * Hub accepts a finding with the default product ARN only from the account it names (docs/architecture.md).
 * Trusted by exactly one principal, the publisher role, and only from inside the organization.
 */
import { Aws, CfnCondition } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { FINDING_WRITER_ROLE_NAME } from '../names.js';
import { acknowledge } from '../common/nag.js';

export interface FindingWriterRoleProps {
  /** The central publisher role's ARN: the only principal the role trusts. */
  readonly publisherRoleArn: string;
  /** The organization the publisher must belong to. */
  readonly organizationId: string;
  /** Create the role only when this holds (IAM is global; the stack runs in every region). @default always */
  readonly condition?: CfnCondition;
}

/** The FindingWriter role. */
export class FindingWriterRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: FindingWriterRoleProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      roleName: FINDING_WRITER_ROLE_NAME,
      description: 'Lets the Skywatch publisher import findings into this account',
      assumedBy: new iam.ArnPrincipal(props.publisherRoleArn).withConditions({
        StringEquals: { 'aws:PrincipalOrgID': props.organizationId },
      }),
      inlinePolicies: {
        ImportFindings: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              actions: ['securityhub:BatchImportFindings'],
              // The account's own default product, in any region: findings are imported in their region.
              resources: [`arn:${Aws.PARTITION}:securityhub:*:${Aws.ACCOUNT_ID}:product/${Aws.ACCOUNT_ID}/default`],
            }),
          ],
        }),
      },
    });
    if (props.condition) (this.role.node.defaultChild as iam.CfnRole).cfnOptions.condition = props.condition;
    acknowledge(this.role, 'IAM5', 'Findings are imported in the region they happened in; the resource is still this account\'s own default product only.', [
      `Resource::arn:<AWS::Partition>:securityhub:*:<AWS::AccountId>:product/<AWS::AccountId>/default`,
    ]);
  }
}
