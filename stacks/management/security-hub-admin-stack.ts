/**
 * Designates the central account as Security Hub delegated administrator in one region. A stack of its
 * own because it must exist before the central stack (which aggregates findings as administrator) and
 * the central stack before the member side (whose FindingWriter trusts the central publisher role).
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import * as securityhub from 'aws-cdk-lib/aws-securityhub';
import { Construct } from 'constructs';
import type { DeploymentConfig } from '../config/schema.js';

export interface SecurityHubAdminStackProps extends StackProps {
  readonly config: DeploymentConfig;
  readonly region: string;
}

/** The delegated administrator designation of one region, in the management account. */
export class SecurityHubAdminStack extends Stack {
  constructor(scope: Construct, id: string, props: SecurityHubAdminStackProps) {
    const { config, region } = props;
    super(scope, id, { ...props, env: { account: config.managementAccountId, region }, description: `Skywatch: Security Hub administrator (${region})` });
    new securityhub.CfnDelegatedAdmin(this, 'Administrator', { adminAccountId: config.centralAccountId });
  }
}
