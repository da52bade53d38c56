/**
 * The per-region bucket the member template's Lambda code comes from, in the central account and
 * readable by every account of the organization (StackSets cannot carry file assets: docs/architecture.md).
 * The scanner bundle is copied in as a zip under a content-addressed key, old keys kept for rollbacks.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as deployment from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { DeploymentConfig } from '../config/schema.js';
import { acknowledge, nagForm } from '../common/nag.js';
import { secureBucket } from '../common/secure-bucket.js';
import { memberAssetBucketName } from '../names.js';
import { SCANNER_CODE_PREFIX } from '../member/object-scanner.js';
import { scannerBundleOptions } from './scanner-bundle.js';

export interface MemberAssetsStackProps extends StackProps {
  readonly config: DeploymentConfig;
  readonly region: string;
}

/** The key of the scanner bundle for a given asset hash (what `BucketDeployment` with `extract: false` writes). */
export function scannerCodeKey(assetHash: string): string {
  return `${SCANNER_CODE_PREFIX}${assetHash}.zip`;
}

/** The asset bucket of one region. */
export class MemberAssetsStack extends Stack {
  readonly bucket: s3.Bucket;
  /** The scanner bundle's key in the bucket; identical in every region. */
  readonly scannerCodeKey: string;

  constructor(scope: Construct, id: string, props: MemberAssetsStackProps) {
    const { config, region } = props;
    super(scope, id, { ...props, env: { account: config.centralAccountId, region }, description: `Skywatch member code for ${region}` });
    const accessLogs = secureBucket(this, 'AccessLogs', { expireAfterDays: 365 });
    acknowledge(accessLogs, 'S1', 'This bucket receives the asset bucket\'s server access logs; logging it to itself would loop.');
    this.bucket = secureBucket(this, 'Bucket', { bucketName: memberAssetBucketName(config.centralAccountId, region), accessLogs: { bucket: accessLogs, prefix: 'assets/' } });
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OrganizationReadsMemberCode',
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:GetObject'],
        resources: [this.bucket.arnForObjects('member/*')],
        conditions: { StringEquals: { 'aws:PrincipalOrgID': config.organizationId } },
      }),
    );

    const bundle = new s3assets.Asset(this, 'ScannerBundle', scannerBundleOptions());
    this.scannerCodeKey = scannerCodeKey(bundle.assetHash);
    const copy = new deployment.BucketDeployment(this, 'ScannerCode', {
      sources: [deployment.Source.bucket(bundle.bucket, bundle.s3ObjectKey)],
      destinationBucket: this.bucket,
      destinationKeyPrefix: SCANNER_CODE_PREFIX,
      extract: false,
      // Keep earlier bundles: accounts still on the previous StackSet version reference them.
      prune: false,
      retainOnDelete: true,
    });
    // The copy runs in CDK's BucketDeployment provider, a stack-level singleton whose role and runtime
    // CDK chooses: its grants cover the CDK asset bucket and this bucket only.
    const provider = this.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!provider) throw new Error('BucketDeployment provider not found');
    acknowledge(provider, 'IAM4', 'The CDK BucketDeployment provider uses the AWS managed basic-execution policy for its own logs.', [
      'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
    ]);
    acknowledge(provider, 'IAM5', 'The CDK BucketDeployment provider reads the CDK asset bucket and writes this bucket; the wildcards are object keys and S3 action groups in those two buckets.', [
      'Action::s3:GetObject*', 'Action::s3:GetBucket*', 'Action::s3:List*', 'Action::s3:DeleteObject*', 'Action::s3:Abort*',
      `Resource::${nagForm(this, bundle.bucket.arnForObjects('*'))}`,
      `Resource::${nagForm(this, this.bucket.arnForObjects('*'))}`,
    ]);
    acknowledge(provider, 'L1', 'The CDK BucketDeployment provider pins the Python runtime its handler is tested with.');
    void copy;
  }
}
