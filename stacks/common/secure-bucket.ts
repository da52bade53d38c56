/**
 * An S3 bucket with the defaults every Skywatch bucket needs: public access blocked, TLS enforced,
 * encrypted at rest, owner-enforced object ownership, versioned, and server access logs when a log
 * bucket is given.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface SecureBucketProps {
  /** Fixed name, when another account must compute it. @default generated */
  readonly bucketName?: string;
  /** Where server access logs go. @default none (the caller acknowledges AwsSolutions-S1) */
  readonly accessLogs?: { readonly bucket: s3.IBucket; readonly prefix: string };
  /** Objects older than this many days are deleted. @default kept */
  readonly expireAfterDays?: number;
}

/** Creates a bucket with the secure defaults. */
export function secureBucket(scope: Construct, id: string, props: SecureBucketProps = {}): s3.Bucket {
  return new s3.Bucket(scope, id, {
    bucketName: props.bucketName,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    encryption: s3.BucketEncryption.S3_MANAGED,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    versioned: true,
    serverAccessLogsBucket: props.accessLogs?.bucket,
    serverAccessLogsPrefix: props.accessLogs?.prefix,
    lifecycleRules: [
      { abortIncompleteMultipartUploadAfter: Duration.days(7), noncurrentVersionExpiration: Duration.days(30) },
      ...(props.expireAfterDays ? [{ expiration: Duration.days(props.expireAfterDays) }] : []),
    ],
    // Security data outlives a stack: deleting the stack leaves the bucket for the team to decide.
    removalPolicy: RemovalPolicy.RETAIN,
  });
}
