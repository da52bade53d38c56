/**
 * Builds every Skywatch stack from one deployment configuration, in deployment order:
 * Security Hub administrator (management) -> central -> member code buckets (central, per region)
 * -> management stacks (the StackSet and the management account's own member side).
 */
import { App, Aws, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { CompiledRule } from '../central/core/rules/rule.js';
import { MemberAssetsStack } from './assets/member-assets-stack.js';
import { CentralStack } from './central/central-stack.js';
import type { DeploymentConfig } from './config/schema.js';
import { ManagementStack } from './management/management-stack.js';
import { SecurityHubAdminStack } from './management/security-hub-admin-stack.js';
import { forwardingPatterns, type ForwardingPattern } from './member/forwarding-patterns.js';
import { synthesizeMemberTemplate } from './member/member-template.js';

/** The stacks of one Skywatch deployment. */
export interface SkywatchStacks {
  readonly admins: SecurityHubAdminStack[];
  readonly central: CentralStack;
  readonly assets: MemberAssetsStack[];
  readonly management: ManagementStack[];
  /** The member forwarding patterns, shared by the member template and the management stacks (the account a token). */
  readonly patterns: readonly ForwardingPattern[];
  /** The StackSet's member template (also embedded in the home management stack). */
  readonly memberTemplate: ReturnType<typeof synthesizeMemberTemplate>;
}

/** Adds the Skywatch stacks to `app` and runs cdk-nag's AwsSolutions checks over all of them. */
export function buildSkywatch(app: App, config: DeploymentConfig, rules: readonly Pick<CompiledRule, 'id' | 'keys'>[]): SkywatchStacks {
  // Access-log buckets grant the logging service by bucket policy, not ACLs (ACLs stay disabled).
  app.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
  // Each stack resolves the account to its own: the same patterns serve every member and the management account.
  const patterns = forwardingPatterns(rules, { account: Aws.ACCOUNT_ID });
  const admins = config.designateSecurityHubAdministrator
    ? config.memberRegions.map((region) => new SecurityHubAdminStack(app, `SkywatchSecurityHubAdmin-${region}`, { config, region }))
    : [];
  const central = new CentralStack(app, 'SkywatchCentral', { config });
  for (const admin of admins) central.addStackDependency(admin, 'the central account must be Security Hub administrator to aggregate findings');

  const assets = config.memberRegions.map((region) => new MemberAssetsStack(app, `SkywatchMemberAssets-${region}`, { config, region }));
  const scannerCodeKey = assets[0]!.scannerCodeKey;
  const memberTemplate = synthesizeMemberTemplate({ config, patterns, scannerCodeKey });

  const management = config.memberRegions.map((region) => {
    const home = region === config.homeRegion;
    const stack = new ManagementStack(app, `SkywatchManagement-${region}`, { config, region, patterns, scannerCodeKey, memberTemplateBody: home ? memberTemplate.body : undefined });
    stack.addStackDependency(central, 'FindingWriter roles trust the central publisher role, which must exist');
    for (const bucket of home ? assets : assets.filter((a) => a.region === region)) stack.addStackDependency(bucket, 'member functions load their code from the asset buckets');
    return stack;
  });

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { admins, central, assets, management, patterns, memberTemplate };
}
