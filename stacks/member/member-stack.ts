/**
 * The member template the StackSet deploys to every account in the target OUs and every member region.
 * Environment-agnostic: account and region come from pseudo parameters, organization-wide values from
 * parameters whose defaults are the configuration (set once on the StackSet, so they also reach
 * accounts created later, which parameter overrides would not). No assets, no transforms, no metadata.
 */
import { Aws, CfnCondition, CfnParameter, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { DeploymentConfig } from '../config/schema.js';
import * as names from '../names.js';
import type { ForwardingPattern } from './forwarding-patterns.js';
import * as member from './member-resources.js';

export interface MemberStackProps extends StackProps {
  readonly config: DeploymentConfig;
  readonly patterns: readonly ForwardingPattern[];
  /** The scanner bundle's key in the asset buckets. */
  readonly scannerCodeKey: string;
}

/** The StackSet's member template. */
export class MemberStack extends Stack {
  readonly resources: member.MemberResources;

  constructor(scope: Construct, id: string, props: MemberStackProps) {
    super(scope, id, { ...props, analyticsReporting: false, description: 'Skywatch member side: forwarding, FindingWriter, object scanner' });
    const { config } = props;
    const parameter = (name: string, description: string, value: string, pattern?: string) =>
      new CfnParameter(this, name, { type: 'String', description, default: value, allowedPattern: pattern }).valueAsString;

    const organizationId = parameter('OrganizationId', 'AWS Organizations id', config.organizationId, '^o-[a-z0-9]{10,32}$');
    const homeRegion = parameter('HomeRegion', 'Region that holds the account-wide (IAM) resources', config.homeRegion, '^[a-z0-9-]+$');
    const busArn = parameter('CentralEventBusArn', 'The Skywatch central bus', names.centralBusArn(config.centralAccountId, config.homeRegion), '^arn:aws[a-z-]*:events:[a-z0-9-]+:\\d{12}:event-bus/[A-Za-z0-9._-]+$');
    const publisherRoleArn = parameter('PublisherRoleArn', 'The central role allowed to import findings here', names.publisherRoleArn(config.centralAccountId), '^arn:aws[a-z-]*:iam::\\d{12}:role/[A-Za-z0-9+=,.@_/-]+$');
    const assetPrefix = parameter('AssetBucketPrefix', 'Scanner code bucket name before -REGION', names.memberAssetBucketPrefix(config.centralAccountId), '^[a-z0-9.-]+$');
    const codeKey = parameter('ScannerCodeKey', 'Key of the scanner bundle in the asset bucket', props.scannerCodeKey, '^[A-Za-z0-9/._-]+\\.zip$');
    const maxObjectBytes = parameter('MaxObjectBytes', 'Objects above this size are reported as not scanned', member.maxObjectBytes(config), '^\\d+$');

    const isHomeRegion = new CfnCondition(this, 'IsHomeRegion', { expression: Fn.conditionEquals(Aws.REGION, homeRegion) });
    this.resources = new member.MemberResources(this, 'Member', {
      organizationId,
      centralBusArn: busArn,
      publisherRoleArn,
      assetBucketName: Fn.join('-', [assetPrefix, Aws.REGION]),
      scannerCodeKey: codeKey,
      optInTagKey: config.scanner.optInTagKey,
      optInTagValue: config.scanner.optInTagValue,
      maxObjectBytes,
      skipMedia: config.scanner.skipMedia,
      yaraTimeoutSeconds: config.scanner.yaraTimeoutSeconds,
      patterns: props.patterns,
      globalResources: isHomeRegion,
    });
  }
}
