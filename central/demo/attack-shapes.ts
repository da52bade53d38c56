/**
 * The malicious calls of the planted scenarios, shaped exactly as CloudTrail logs them (the shapes the
 * rules read: `ipPermissions.items`, `createVolumePermission.add.items`, the bucket policy as an
 * object, `valuesToAdd`, `forceDeleteWithoutRecovery`).
 */
import { resourceId, uniqueId } from './aws-ids.js';
import { s3Bucket, type CallShape } from './catalog.js';
import type { Json } from './identity.js';
import type { DemoRegional } from './org-resources.js';
import type { DemoAccount } from './organization.js';
import type { Random } from './random.js';
import type { DemoRegion } from './regions.js';
import { javaDate } from './time.js';

const iam = (name: string, request: Json | null, response: Json | null = null, readOnly = false): CallShape => ({
  source: 'iam.amazonaws.com', name, region: 'us-east-1', readOnly, request, response,
});

/** `iam:CreateUser` with the user IAM returns. */
export function createUser(rng: Random, account: DemoAccount, userName: string, t: number): { shape: CallShape; userId: string } {
  const userId = uniqueId(rng, 'AIDA');
  const user = { path: '/', userName, userId, arn: `arn:aws:iam::${account.id}:user/${userName}`, createDate: javaDate(t, false) };
  return { shape: iam('CreateUser', { userName }, { user }), userId };
}

/** `iam:AttachUserPolicy` with an AWS managed policy. */
export function attachUserPolicy(userName: string, policy: string): CallShape {
  return iam('AttachUserPolicy', { userName, policyArn: `arn:aws:iam::aws:policy/${policy}` });
}

/** `iam:CreateAccessKey` for a named user; the response holds the new key id (never the secret). */
export function createAccessKey(userName: string, accessKeyId: string, t: number): CallShape {
  return iam('CreateAccessKey', { userName }, { accessKey: { userName, accessKeyId, status: 'Active', createDate: javaDate(t, false) } });
}

/** `iam:CreateLoginProfile`: CloudTrail leaves the password out of the request. */
export function createLoginProfile(userName: string, t: number): CallShape {
  return iam('CreateLoginProfile', { userName, passwordResetRequired: false }, { loginProfile: { userName, createDate: javaDate(t, false), passwordResetRequired: false } });
}

/** Read-only IAM reconnaissance. */
export function iamRecon(name: 'ListUsers' | 'ListAttachedUserPolicies' | 'GetAccountAuthorizationDetails', userName?: string): CallShape {
  return iam(name, userName ? { userName } : null, null, true);
}

/** `ec2:AuthorizeSecurityGroupIngress` opening one TCP port to the world. */
export function openPort(rng: Random, account: DemoAccount, region: DemoRegion, groupId: string, port: number): CallShape {
  const world = { items: [{ cidrIp: '0.0.0.0/0' }] };
  return {
    source: 'ec2.amazonaws.com', name: 'AuthorizeSecurityGroupIngress', region, readOnly: false,
    request: { groupId, ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: port, toPort: port, groups: {}, ipRanges: world, ipv6Ranges: {}, prefixListIds: {} }] } },
    response: {
      requestId: rng.uuid(), _return: true,
      securityGroupRuleSet: { items: [{ groupOwnerId: account.id, groupId, securityGroupRuleId: resourceId(rng, 'sgr'), isEgress: false, ipProtocol: 'tcp', fromPort: port, toPort: port, cidrIpv4: '0.0.0.0/0' }] },
    },
  };
}

/** `ec2:ModifySnapshotAttribute` making a snapshot public (`group: all`). */
export function shareSnapshotPublicly(rng: Random, region: DemoRegion, snapshotId: string): CallShape {
  return {
    source: 'ec2.amazonaws.com', name: 'ModifySnapshotAttribute', region, readOnly: false,
    request: { snapshotId, attributeType: 'CREATE_VOLUME_PERMISSION', createVolumePermission: { add: { items: [{ group: 'all' }] } } },
    response: { requestId: rng.uuid(), _return: true },
  };
}

/** `rds:ModifyDBSnapshotAttribute` adding `all` to the restore attribute. */
export function shareDbSnapshotPublicly(region: DemoRegion, snapshot: string): CallShape {
  return {
    source: 'rds.amazonaws.com', name: 'ModifyDBSnapshotAttribute', region, readOnly: false,
    request: { dBSnapshotIdentifier: snapshot, attributeName: 'restore', valuesToAdd: ['all'] },
    response: { dBSnapshotIdentifier: snapshot, dBSnapshotAttributes: [{ attributeName: 'restore', attributeValues: ['all'] }] },
  };
}

/** `secretsmanager:DeleteSecret` with no recovery window. */
export function deleteSecretNow(secret: DemoRegional, t: number): CallShape {
  return {
    source: 'secretsmanager.amazonaws.com', name: 'DeleteSecret', region: secret.region, readOnly: false,
    request: { secretId: secret.arn, forceDeleteWithoutRecovery: true },
    response: { arn: secret.arn, name: secret.name, deletionDate: javaDate(t) },
  };
}

/** `kms:ScheduleKeyDeletion` with the shortest waiting period. */
export function scheduleKeyDeletion(account: DemoAccount, key: DemoRegional, t: number): CallShape {
  return {
    source: 'kms.amazonaws.com', name: 'ScheduleKeyDeletion', region: key.region, readOnly: false,
    request: { keyId: key.arn, pendingWindowInDays: 7 },
    response: { keyId: key.arn, deletionDate: javaDate(t + 7 * 86_400_000), keyState: 'PendingDeletion', pendingWindowInDays: 7 },
    resources: [{ accountId: account.id, type: 'AWS::KMS::Key', ARN: key.arn }],
  };
}

/** `s3:DeleteBucketPublicAccessBlock` on one bucket. */
export function deletePublicAccessBlock(rng: Random, account: DemoAccount, bucket: DemoRegional): CallShape {
  return s3Bucket(rng, account, bucket, 'DeleteBucketPublicAccessBlock', 'publicAccessBlock', false);
}

/** `s3:PutBucketPolicy` granting everyone read: S3 logs the policy as an object under `bucketPolicy`. */
export function putPublicBucketPolicy(rng: Random, account: DemoAccount, bucket: DemoRegional): CallShape {
  const bucketPolicy = {
    Version: '2012-10-17',
    Statement: [{ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${bucket.arn}/*` }],
  };
  return s3Bucket(rng, account, bucket, 'PutBucketPolicy', 'policy', false, { bucketPolicy });
}

/** A call on a logging or detection control (CloudTrail, GuardDuty, Config, Backup, Organizations). */
export function controlCall(source: string, name: string, region: DemoRegion, request: Json | null, readOnly = false, response: Json | null = null): CallShape {
  return { source, name, region, readOnly, request, response };
}

/** A password sign-in to the console (IAM user or root) without MFA. */
export function passwordConsoleLogin(rng: Random): CallShape {
  return {
    source: 'signin.amazonaws.com', name: 'ConsoleLogin', region: 'us-east-1', readOnly: false, request: null,
    response: { ConsoleLogin: 'Success' },
    additional: {
      LoginTo: `https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_us-east-1_${rng.hex(16)}`,
      MobileVersion: 'No',
      MFAUsed: 'No',
    },
    eventType: 'AwsConsoleSignIn',
    host: null,
  };
}
