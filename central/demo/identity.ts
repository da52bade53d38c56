/** `userIdentity` blocks exactly as CloudTrail writes them for each kind of caller. */
import { uniqueId } from './aws-ids.js';
import type { DemoIamUser, DemoRole } from './org-principals.js';
import { hash32, Random } from './random.js';
import { isoSeconds } from './time.js';

/** A JSON object as it goes into a record. */
export type Json = Record<string, unknown>;

/** A role session's temporary key and when it was issued. */
export interface RoleSession {
  readonly accessKeyId: string;
  readonly creationDate: string;
}

/**
 * The session a principal holds at time `t`. Sessions are derived from (role, session name, period)
 * instead of drawn per event, so consecutive calls share a key the way a real session does, and the
 * answer needs no memory of earlier events.
 */
export function sessionAt(roleArn: string, sessionName: string, t: number, hours = 1): RoleSession {
  const name = `${roleArn}|${sessionName}`;
  let h = principalHashes.get(name);
  if (h === undefined) principalHashes.set(name, (h = hash32(name)));
  const period = hours * 3_600_000;
  const phase = h % period;
  const issued = Math.floor((t - phase) / period) * period + phase;
  const key = `${h}|${issued}`;
  let session = sessions.get(key);
  if (!session) {
    if (sessions.size > 50_000) sessions.clear();
    session = { accessKeyId: uniqueId(new Random(hash32(String(issued), h)), 'ASIA'), creationDate: isoSeconds(issued) };
    sessions.set(key, session);
  }
  return session;
}

// Pure caches: a session is a function of its inputs, so caching changes no output.
const principalHashes = new Map<string, number>();
const sessions = new Map<string, RoleSession>();

/** Options that change how a role session identity reads. */
export interface SessionOptions {
  readonly mfa?: boolean;
  /** The service that made the call with this session (`config.amazonaws.com`). */
  readonly invokedBy?: string;
  /** EC2 instance-profile sessions carry `ec2RoleDelivery`. */
  readonly ec2?: boolean;
  /** The OIDC provider ARN for sessions from AssumeRoleWithWebIdentity. */
  readonly webIdentityProvider?: string;
  /** IAM Identity Center sessions carry an empty `webIdFederationData`. */
  readonly sso?: boolean;
  readonly sessionHours?: number;
  /** A session issued by a call in the same burst (AssumeRoleWithWebIdentity), used as is. */
  readonly session?: RoleSession;
}

/** An `AssumedRole` identity for a session of `role`. */
export function assumedRole(role: DemoRole, sessionName: string, t: number, opts: SessionOptions = {}): Json {
  const session = opts.session ?? sessionAt(role.arn, sessionName, t, opts.sessionHours);
  const sessionContext: Json = {
    sessionIssuer: { type: 'Role', principalId: role.id, arn: role.arn, accountId: role.account, userName: role.name },
  };
  if (opts.webIdentityProvider) sessionContext.webIdFederationData = { federatedProvider: opts.webIdentityProvider, attributes: {} };
  else if (opts.sso) sessionContext.webIdFederationData = {};
  sessionContext.attributes = { creationDate: session.creationDate, mfaAuthenticated: opts.mfa ? 'true' : 'false' };
  if (opts.ec2) sessionContext.ec2RoleDelivery = '2.0';
  const identity: Json = {
    type: 'AssumedRole',
    principalId: `${role.id}:${sessionName}`,
    arn: `arn:aws:sts::${role.account}:assumed-role/${role.name}/${sessionName}`,
    accountId: role.account,
    accessKeyId: session.accessKeyId,
    sessionContext,
  };
  if (opts.invokedBy) identity.invokedBy = opts.invokedBy;
  return identity;
}

/** An `IAMUser` identity calling with its long-term access key; `null` for a password sign-in (no key). */
export function iamUser(user: DemoIamUser, account: string, accessKeyId: string | null = user.accessKeyId): Json {
  const identity: Json = { type: 'IAMUser', principalId: user.id, arn: user.arn, accountId: account };
  if (accessKeyId) identity.accessKeyId = accessKeyId;
  identity.userName = user.name;
  return identity;
}

/** An `AWSService` identity: a service acting on its own account's behalf. */
export function awsService(service: string): Json {
  return { type: 'AWSService', invokedBy: service };
}

/** The root user; with a key and session when it calls APIs after a console sign-in. */
export function rootUser(account: string, session?: { accessKeyId: string; creationDate: string; mfa: boolean }): Json {
  const identity: Json = { type: 'Root', principalId: account, arn: `arn:aws:iam::${account}:root`, accountId: account };
  if (session) {
    identity.accessKeyId = session.accessKeyId;
    identity.sessionContext = { attributes: { creationDate: session.creationDate, mfaAuthenticated: session.mfa ? 'true' : 'false' } };
  }
  return identity;
}

/** A fresh temporary key, for the response of an AssumeRole* call. */
export function newSessionKey(rng: Random): string {
  return uniqueId(rng, 'ASIA');
}
