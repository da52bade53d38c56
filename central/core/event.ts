/**
 * The normalized security event: every input (CloudTrail record, EventBridge envelope, GuardDuty
 * finding, Config compliance change) becomes one of these at the edge, so rules and detectors read
 * the same fields whatever the source. `raw` keeps the source record for source-specific fields.
 */

/** What kind of input an event came from (`objectscan`: a member scanner's result for one S3 object). */
export type EventKind = 'cloudtrail' | 'guardduty' | 'config' | 'objectscan';

/** Who acted. Every field but `type` is optional: CloudTrail omits what does not apply. */
export interface Actor {
  /** `userIdentity.type`: Root, IAMUser, AssumedRole, FederatedUser, AWSService, AWSAccount, IdentityCenterUser... */
  readonly type: string;
  /** The calling principal's ARN (the session ARN for assumed roles). */
  readonly arn?: string;
  readonly principalId?: string;
  /** The account the principal belongs to (differs from the event's account for cross-account calls). */
  readonly accountId?: string;
  /** A readable name: the IAM user name, the role name for role sessions, `root`, or the service. */
  readonly name?: string;
  readonly accessKeyId?: string;
  /** For role sessions: the role (session issuer) ARN. */
  readonly roleArn?: string;
  readonly sessionName?: string;
  /** Whether the session was authenticated with MFA, when CloudTrail says so. */
  readonly mfa?: boolean;
  /** The AWS service that made the call on the principal's behalf (`userIdentity.invokedBy`). */
  readonly invokedBy?: string;
}

/** A resource the event names. */
export interface ResourceRef {
  /** CloudFormation-style type when known (`AWS::IAM::Role`), else a best guess. */
  readonly type: string;
  /** ARN when known, else an identifier. */
  readonly id: string;
}

/** Where an event was read from, for error reports and evidence. */
export interface EventOrigin {
  readonly input: string;
  /** 1-based line for line-oriented inputs. */
  readonly line?: number;
  /** Index inside a `Records` array. */
  readonly index?: number;
}

/** One normalized event. */
export interface SecurityEvent {
  /** Source-unique id: CloudTrail `eventID`, GuardDuty finding id, EventBridge event id. */
  readonly id: string;
  readonly kind: EventKind;
  /** ISO 8601 time the event happened. */
  readonly time: string;
  /** The account the event happened in (12 digits). */
  readonly account: string;
  readonly region: string;
  /** Event source, e.g. `iam.amazonaws.com`, `guardduty.amazonaws.com`. */
  readonly source: string;
  /** Event name, e.g. `CreateUser`; the finding type for GuardDuty. */
  readonly name: string;
  readonly actor: Actor;
  readonly sourceIp?: string;
  readonly userAgent?: string;
  /** The tool or browser behind the call, without versions: `aws-cli`, `Chrome on Windows` (see user-agent.ts). */
  readonly userAgentFamily?: string;
  readonly resources: readonly ResourceRef[];
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly readOnly?: boolean;
  /** The source record, untouched. */
  readonly raw: Readonly<Record<string, unknown>>;
  readonly origin?: EventOrigin;
}

/** Formats an origin as `file:line` or `file#Records[i]`. */
export function describeOrigin(origin: EventOrigin | undefined): string {
  if (!origin) return '(unknown input)';
  if (origin.line !== undefined) return `${origin.input}:${origin.line}`;
  if (origin.index !== undefined) return `${origin.input}#Records[${origin.index}]`;
  return origin.input;
}
