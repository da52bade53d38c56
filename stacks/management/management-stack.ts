/**
 * The management account's stack in one member region. Every region gets the member side (StackSets
 * never deploy to the management account); the home region also holds the StackSet and the coverage
 * reader role; us-east-1 forwards Organizations events.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { DeploymentConfig } from '../config/schema.js';
import { maxObjectBytes, MemberResources } from '../member/member-resources.js';
import type { ForwardingPattern } from '../member/forwarding-patterns.js';
import { centralBusArn, memberAssetBucketName, publisherRoleArn } from '../names.js';
import { CoverageReaderRole } from './coverage-reader-role.js';
import { MemberStackSet } from './member-stack-set.js';
import { OrganizationEvents } from './organization-events.js';

export interface ManagementStackProps extends StackProps {
  readonly config: DeploymentConfig;
  readonly region: string;
  readonly patterns: readonly ForwardingPattern[];
  readonly scannerCodeKey: string;
  /** The member template for the StackSet; given only to the home region's stack. */
  readonly memberTemplateBody?: string;
}

/** One region of the management account. */
export class ManagementStack extends Stack {
  readonly member: MemberResources;
  readonly stackSet?: MemberStackSet;

  constructor(scope: Construct, id: string, props: ManagementStackProps) {
    const { config, region } = props;
    super(scope, id, { ...props, env: { account: config.managementAccountId, region }, description: `Skywatch management account (${region})` });
    const busArn = centralBusArn(config.centralAccountId, config.homeRegion);
    const home = region === config.homeRegion;

    if (props.memberTemplateBody) this.stackSet = new MemberStackSet(this, 'MemberStackSet', { config, templateBody: props.memberTemplateBody });
    if (home) new CoverageReaderRole(this, 'CoverageReader', { config });
    if (region === 'us-east-1') new OrganizationEvents(this, 'OrganizationEvents', { centralBusArn: busArn });

    this.member = new MemberResources(this, 'Member', {
      organizationId: config.organizationId,
      centralBusArn: busArn,
      publisherRoleArn: publisherRoleArn(config.centralAccountId),
      assetBucketName: memberAssetBucketName(config.centralAccountId, region),
      scannerCodeKey: props.scannerCodeKey,
      optInTagKey: config.scanner.optInTagKey,
      optInTagValue: config.scanner.optInTagValue,
      maxObjectBytes: maxObjectBytes(config),
      skipMedia: config.scanner.skipMedia,
      yaraTimeoutSeconds: config.scanner.yaraTimeoutSeconds,
      patterns: props.patterns,
      globalResources: home,
    });
  }
}
