/**
 * The deployment configuration: everything that differs between organizations, in one validated file.
 * A wrong value fails `cdk synth` with the field's name (and line), never a half-deployed organization.
 * docs/deploy.md explains each field.
 */
import { z } from 'zod';
import { SEVERITY_LABELS } from '../../central/core/rules/schema.js';

const AccountId = z.string({ error: 'must be a 12-digit account id, quoted in YAML' }).regex(/^\d{12}$/, 'must be a 12-digit account id, quoted in YAML');
const Region = z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/, 'must be an AWS region such as eu-west-1');
/** A key prefix inside a bucket: empty, or ending in `/`, never starting with one. */
const KeyPrefix = z
  .string()
  .regex(/^([A-Za-z0-9!_.*'()=-]+\/)*$/, "must be '' or end with '/' (no leading '/')")
  .default('');

const NotificationsSchema = z.strictObject({
  /** Receives the SNS email subscription (confirm it once after the first deploy). */
  email: z.email('must be an email address'),
  /** Name of the Secrets Manager secret the stack creates for the Slack incoming-webhook URL. */
  slackWebhookSecretName: z.string().regex(/^[A-Za-z0-9/_+=.@-]{1,512}$/, 'must be a Secrets Manager name').default('skywatch/slack-webhook'),
  /** Findings at or above this severity are notified. */
  minimumSeverity: z.enum(SEVERITY_LABELS).default('HIGH'),
});

const LogArchiveSchema = z.strictObject({
  /** The account that owns the log archive bucket (often the Control Tower "Log Archive" account). */
  accountId: AccountId,
  bucketName: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name'),
  /** The KMS key that encrypts the bucket, when it is SSE-KMS; the detector needs kms:Decrypt on it. */
  // A key id is a UUID; a multi-region key's is `mrk-` and 32 hex digits.
  kmsKeyArn: z.string().regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/(?:[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}|mrk-[a-f0-9]{32})$/, 'must be a KMS key ARN').optional(),
  /** Prefix before `AWSLogs/o-xxx/` of the organization trail. */
  trailPrefix: KeyPrefix,
  /** Prefix before `AWSLogs/ACCOUNT/vpcflowlogs/` of VPC Flow Logs. */
  flowLogsPrefix: KeyPrefix,
  /** Prefix before `AWSLogs/ACCOUNT/WAFLogs/` of AWS WAF logs. */
  wafPrefix: KeyPrefix,
});

const ScannerSchema = z.strictObject({
  /** Bucket tag that opts a bucket in to object scanning (key and value). */
  optInTagKey: z.string().regex(/^[\p{L}\p{Z}\p{N}_.:/=+@-]{1,128}$/u, 'must be a valid tag key').default('skywatch:scan'),
  optInTagValue: z.string().max(256).default('true'),
  /**
   * Larger objects are reported as "not scanned: too large". An object is held in memory while it is
   * scanned, so the limit stays well under the function's 2 GB.
   */
  maxObjectMb: z.number().int().min(1).max(1024).default(100),
  /** Skip images, audio and video (by magic bytes): cheaper, but a file appended to an image then goes unscanned. */
  skipMedia: z.boolean().default(false),
  /**
   * YARA time per object: past it the scan stops and the result is partial, naming the rule set. The
   * scanner's five minutes take a batch of ten objects, so the limit stays well under 30 seconds.
   */
  yaraTimeoutSeconds: z.number().int().min(1).max(25).default(20),
});

const StackSetSchema = z.strictObject({
  /** Share of accounts deployed at once in a region. */
  maxConcurrentPercentage: z.number().int().min(1).max(100).default(25),
  /** Share of accounts that may fail in a region before the operation stops. */
  failureTolerancePercentage: z.number().int().min(0).max(100).default(10),
  /** Deploy regions one after the other (SEQUENTIAL) or together (PARALLEL). */
  regionConcurrency: z.enum(['SEQUENTIAL', 'PARALLEL']).default('PARALLEL'),
});

/** The whole configuration file. */
export const DeploymentConfigSchema = z
  .strictObject({
    /** The AWS Organizations id, `o-` and 10 to 32 lowercase letters or digits. */
    organizationId: z.string().regex(/^o-[a-z0-9]{10,32}$/, 'must look like o-exampleorgid'),
    /** Where `cdk deploy` runs; owns the StackSet. */
    managementAccountId: AccountId,
    /** The security tooling account: event bus, detectors, Security Hub delegated administrator. */
    centralAccountId: AccountId,
    /** The central account's region: bus, state, Security Hub aggregation. */
    homeRegion: Region,
    /** Every region the member side is deployed to. Must include us-east-1 and the home region. */
    memberRegions: z.array(Region).min(1),
    /** Organizational units (or the root, `r-xxxx`) whose accounts, present and future, get the member side. */
    targetOrganizationalUnits: z.array(z.string().regex(/^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})$/, 'must be an OU id (ou-xxxx-yyyyyyyy) or a root id (r-xxxx)')).min(1),
    notifications: NotificationsSchema,
    logArchive: LogArchiveSchema,
    scanner: ScannerSchema.default(ScannerSchema.parse({})),
    stackSet: StackSetSchema.default(StackSetSchema.parse({})),
    /** Designate the central account as Security Hub delegated administrator (turn off if it already is). */
    designateSecurityHubAdministrator: z.boolean().default(true),
    /**
     * Principals (role or user ARNs, usually in the central account) that may assume the read-only
     * investigator role to run the investigations in Athena. None: no investigator role.
     */
    investigatorPrincipalArns: z.array(z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@\/-]+$/, 'must be an IAM role or user ARN')).default([]),
    /** Per-query limit of the Athena workgroup, in GB scanned. */
    athenaBytesScannedCutoffGb: z.number().min(0.01).max(10_000).default(10),
    /** Days the state table keeps dedup keys and windows before TTL removes them. */
    stateRetentionDays: z.number().int().min(1).max(3650).default(90),
    /**
     * Most detector instances each of its two queues (bus events, trail files) runs at once: a burst
     * waits in the queue instead of taking the account's Lambda concurrency and throttling the state
     * table. Lambda allows 2 to 1000.
     */
    detectorMaxConcurrency: z
      .number({ error: 'must be an integer from 2 to 1000' })
      .int('must be an integer from 2 to 1000')
      .min(2, 'must be an integer from 2 to 1000')
      .max(1000, 'must be an integer from 2 to 1000')
      .default(10),
  })
  .superRefine((config, ctx) => {
    // IAM, STS and Organizations events are recorded in us-east-1 only (docs/architecture.md): without it, identity
    // misuse in every member goes unseen.
    if (!config.memberRegions.includes('us-east-1')) {
      ctx.addIssue({ code: 'custom', path: ['memberRegions'], message: 'must include us-east-1, where IAM, STS and Organizations events are recorded' });
    }
    if (!config.memberRegions.includes(config.homeRegion)) {
      ctx.addIssue({ code: 'custom', path: ['memberRegions'], message: `must include the home region ${config.homeRegion}` });
    }
    if (new Set(config.memberRegions).size !== config.memberRegions.length) {
      ctx.addIssue({ code: 'custom', path: ['memberRegions'], message: 'lists a region twice' });
    }
    if (config.centralAccountId === config.managementAccountId) {
      ctx.addIssue({ code: 'custom', path: ['centralAccountId'], message: 'must differ from managementAccountId: keep detection out of the management account' });
    }
  });

/** A validated deployment configuration, defaults filled in. */
export type DeploymentConfig = z.output<typeof DeploymentConfigSchema>;
