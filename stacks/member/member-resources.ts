/**
 * Everything the member side puts into one account and region: forwarding rules, the FindingWriter
 * role (global, so only where `globalResources` says) and the object scanner. Shared by the StackSet
 * template (values from parameters) and the management account's plain stacks (values from config).
 */
import { CfnCondition } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { DeploymentConfig } from '../config/schema.js';
import { FindingWriterRole } from './finding-writer-role.js';
import { ForwardingRules } from './forwarding-rules.js';
import type { ForwardingPattern } from './forwarding-patterns.js';
import { ObjectScanner } from './object-scanner.js';

/** The scanner's size limit in bytes, as the template passes it (a string). */
export function maxObjectBytes(config: DeploymentConfig): string {
  return String(config.scanner.maxObjectMb * 1024 * 1024);
}

export interface MemberResourcesProps {
  readonly organizationId: string;
  readonly centralBusArn: string;
  readonly publisherRoleArn: string;
  readonly assetBucketName: string;
  readonly scannerCodeKey: string;
  readonly optInTagKey: string;
  readonly optInTagValue: string;
  readonly maxObjectBytes: string;
  readonly skipMedia: boolean;
  /** YARA time per object. */
  readonly yaraTimeoutSeconds: number;
  readonly patterns: readonly ForwardingPattern[];
  /** Whether this region holds the account's IAM-global resources: a fixed answer or a condition. */
  readonly globalResources: boolean | CfnCondition;
}

/** The member side of one account and region. */
export class MemberResources extends Construct {
  readonly forwarding: ForwardingRules;
  readonly findingWriter?: FindingWriterRole;
  readonly scanner: ObjectScanner;

  constructor(scope: Construct, id: string, props: MemberResourcesProps) {
    super(scope, id);
    this.forwarding = new ForwardingRules(this, 'Forwarding', { centralBusArn: props.centralBusArn, patterns: props.patterns });
    if (props.globalResources !== false) {
      this.findingWriter = new FindingWriterRole(this, 'FindingWriter', {
        publisherRoleArn: props.publisherRoleArn,
        organizationId: props.organizationId,
        condition: props.globalResources === true ? undefined : props.globalResources,
      });
    }
    this.scanner = new ObjectScanner(this, 'Scanner', {
      assetBucketName: props.assetBucketName,
      codeKey: props.scannerCodeKey,
      centralBusArn: props.centralBusArn,
      optInTagKey: props.optInTagKey,
      optInTagValue: props.optInTagValue,
      maxObjectBytes: props.maxObjectBytes,
      skipMedia: props.skipMedia,
      yaraTimeoutSeconds: props.yaraTimeoutSeconds,
    });
  }
}
