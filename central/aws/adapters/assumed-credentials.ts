/**
 * Credentials of each member's FindingWriter role, assumed through STS and cached until five minutes
 * before they expire (by the injected clock), so a publishing run assumes each role once.
 */
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import type { Clock } from '../../core/ports.js';

/** Temporary credentials for one account (the SDK's identity shape). */
export interface AssumedIdentity {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

/** Where the importer gets an account's credentials. */
export interface CredentialSource {
  /** Credentials for the account, assumed or cached. */
  get(account: string): Promise<AssumedIdentity>;
  /** Forgets the account's credentials (Security Hub said they expired). */
  invalidate(account: string): void;
}

/** How to assume the roles. */
export interface AssumedCredentialsOptions {
  readonly sts: STSClient;
  /** The role's name in every account (FINDING_WRITER_ROLE_NAME). */
  readonly roleName: string;
  readonly clock: Clock;
  /** The partition of the role ARNs. @default 'aws' */
  readonly partition?: string;
}

/** The session name CloudTrail records in each member account for our imports. */
export const PUBLISHER_SESSION_NAME = 'skywatch-publisher';
const DURATION_SECONDS = 3600;
const REFRESH_BEFORE_MS = 5 * 60_000;

/** STS AssumeRole per account, cached. */
export class AssumedCredentials implements CredentialSource {
  private readonly cache = new Map<string, Promise<AssumedIdentity>>();

  constructor(private readonly options: AssumedCredentialsOptions) {}

  async get(account: string): Promise<AssumedIdentity> {
    const cached = this.cache.get(account);
    const identity = await cached?.catch(() => undefined);
    if (identity && identity.expiration.getTime() - REFRESH_BEFORE_MS > this.options.clock.now().getTime()) return identity;
    // Another caller may have started a refresh while this one waited: share it.
    const current = this.cache.get(account);
    if (current && current !== cached) return current;
    // The promise is cached so concurrent callers share one AssumeRole; a failure is not cached.
    const assuming = this.assume(account);
    this.cache.set(account, assuming);
    assuming.catch(() => {
      if (this.cache.get(account) === assuming) this.cache.delete(account);
    });
    return assuming;
  }

  invalidate(account: string): void {
    this.cache.delete(account);
  }

  /** The ARN of the role assumed in `account`. */
  roleArn(account: string): string {
    return `arn:${this.options.partition ?? 'aws'}:iam::${account}:role/${this.options.roleName}`;
  }

  private async assume(account: string): Promise<AssumedIdentity> {
    const out = await this.options.sts.send(
      new AssumeRoleCommand({ RoleArn: this.roleArn(account), RoleSessionName: PUBLISHER_SESSION_NAME, DurationSeconds: DURATION_SECONDS }),
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) throw new Error(`AssumeRole into ${account} returned no credentials`);
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: new Date(c.Expiration) };
  }
}
