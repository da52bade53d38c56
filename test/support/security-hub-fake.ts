/**
 * A fake Security Hub and STS behind aws-sdk-client-mock, for the publisher's tests and the end-to-end
 * harness. It validates every request against the SDKs' own models (a violation is recorded and
 * thrown), and behaves the way docs/architecture.md says Security Hub does: only the account of the caller's
 * credentials may import, in the client's region; the same ProductArn + Id with an equal or earlier
 * UpdatedAt is silently ignored; CreatedAt is kept; 10 requests/s with bursts of 30 per account and
 * region. Faults (throttling, 500s, Security Hub off, expired credentials) are injected on demand or
 * with a seeded probability.
 */
import { BatchImportFindingsCommand, BatchImportFindingsRequest$, InternalException, SecurityHubClient, SecurityHubServiceException } from '@aws-sdk/client-securityhub';
import { AssumeRoleCommand, AssumeRoleRequest$, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { expect } from 'vitest';
import { SECURITY_HUB_IMPORT_RATE, TokenBuckets, type RateLimit } from '../../central/core/delivery/token-bucket.js';
import type { AsffFinding } from '../../central/core/findings/asff.js';
import type { Clock } from '../../central/core/ports.js';
import { FINDING_WRITER_ROLE_NAME } from '../../stacks/names.js';
import { validateRequest } from './aws-model.js';
import { seededRandom } from './seeded.js';

/** How the fake behaves. */
export interface SecurityHubFakeOptions {
  /** The service's clock: credential expiry and the rate limit run on it. */
  readonly clock: Clock;
  /** The only role name AssumeRole accepts; FINDING_WRITER_ROLE_NAME by default. */
  readonly roleName?: string;
  /** Seed of the fault probabilities. */
  readonly seed?: number;
  /** Probability that a request is throttled regardless of the rate. */
  readonly throttleProbability?: number;
  /** Probability that a request fails with a 500 (InternalException). */
  readonly serverErrorProbability?: number;
  /** `account/region` pairs with Security Hub off. */
  readonly off?: Iterable<string>;
  readonly rate?: RateLimit;
}

/** One BatchImportFindings request as the fake saw it. */
export interface ImportCall {
  readonly account: string;
  readonly region: string;
  readonly ids: string[];
  /** `accepted`, `throttled`, `server-error`, `denied`, `expired`, `invalid`, or `unknown-key`. */
  readonly outcome: string;
}

interface IssuedKey {
  readonly account: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
  expired: boolean;
}

type Fault = 'throttle' | 'server' | 'denied';

/** The fake; `restore()` removes both mocks. */
export class SecurityHubFake {
  readonly counters = { requests: 0, throttled: 0, serverErrors: 0, wrongAccount: 0, ignoredStale: 0, expired: 0, assumeRoles: 0 };
  /** Every request that did not match the SDK model or the service's limits; a test expects none. */
  readonly violations: string[] = [];
  readonly calls: ImportCall[] = [];
  /** Every AssumeRole request: role ARN, session name and duration. */
  readonly assumed: Array<{ roleArn: string; sessionName: string; durationSeconds: number | undefined }> = [];
  private readonly stored = new Map<string, AsffFinding>();
  private readonly keys = new Map<string, IssuedKey>();
  private readonly offPlaces: Set<string>;
  private readonly refusedRoles = new Set<string>();
  private readonly faults: Fault[] = [];
  private readonly refusals = new Map<string, { code: string; message: string }>();
  private readonly buckets: TokenBuckets;
  private readonly random: () => number;
  /** The SecurityHubClient stub, for another fake to add handlers to (see organization-fake.ts). */
  readonly securityHubStub: AwsClientStub<SecurityHubClient> = mockClient(SecurityHubClient);
  /** The STSClient stub, likewise; handlers added later answer first. */
  readonly stsStub: AwsClientStub<STSClient> = mockClient(STSClient);

  constructor(private readonly options: SecurityHubFakeOptions) {
    this.offPlaces = new Set(options.off ?? []);
    this.random = seededRandom(options.seed ?? 1);
    this.buckets = new TokenBuckets(options.rate ?? SECURITY_HUB_IMPORT_RATE, options.clock, () => Promise.reject(new Error('the fake never waits')));
    this.securityHubStub.onAnyCommand().callsFake((input) => this.unexpected('SecurityHub', input));
    this.stsStub.onAnyCommand().callsFake((input) => this.unexpected('STS', input));
    this.securityHubStub.on(BatchImportFindingsCommand).callsFake(async (input, getClient) => {
      const config = getClient().config;
      return this.batchImportFindings(input, await config.credentials(), await config.region());
    });
    this.stsStub.on(AssumeRoleCommand).callsFake(async (input) => this.assumeRole(input));
  }

  /** Everything stored, one finding per ProductArn + Id, in that order. */
  findings(): AsffFinding[] {
    return [...this.stored.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, f]) => structuredClone(f));
  }

  /** The stored finding with this ProductArn and Id. */
  finding(productArn: string, id: string): AsffFinding | undefined {
    const found = this.stored.get(`${productArn}#${id}`);
    return found && structuredClone(found);
  }

  /** Security Hub is disabled in the account and region from now on. */
  turnOff(account: string, region: string): void {
    this.offPlaces.add(`${account}/${region}`);
  }

  /** Security Hub is enabled in the account and region from now on. */
  turnOn(account: string, region: string): void {
    this.offPlaces.delete(`${account}/${region}`);
  }

  /** Every key issued so far for the account (all accounts if undefined) is expired from now on. */
  expireCredentials(account?: string): void {
    for (const key of this.keys.values()) if (account === undefined || key.account === account) key.expired = true;
  }

  /** AssumeRole into the account is refused (AccessDenied), as when its role was deleted. */
  refuseRole(account: string): void {
    this.refusedRoles.add(account);
  }

  /** The next `count` requests fail with this fault (429, 500, 403 AccessDenied) before any finding is looked at. */
  failNext(fault: Fault, count = 1): void {
    for (let i = 0; i < count; i++) this.faults.push(fault);
  }

  /** The next import of this finding Id comes back in FailedFindings with this code. */
  refuseOnce(id: string, code: string, message = 'refused by the test'): void {
    this.refusals.set(id, { code, message });
  }

  /** Every credential value handed out, for tests that check none leaks. */
  issuedSecrets(): string[] {
    return [...this.keys.entries()].flatMap(([id, key]) => [id, key.secretAccessKey, key.sessionToken]);
  }

  /** Removes the mocks. */
  restore(): void {
    this.securityHubStub.restore();
    this.stsStub.restore();
  }

  private unexpected(service: string, input: unknown): never {
    const message = `fake ${service}: unexpected command with input ${JSON.stringify(input).slice(0, 200)}`;
    this.violations.push(message);
    throw new Error(message);
  }

  private assumeRole(input: Record<string, unknown>) {
    this.counters.assumeRoles += 1;
    this.check(AssumeRoleRequest$, input, 'AssumeRole');
    this.assumed.push({ roleArn: String(input.RoleArn), sessionName: String(input.RoleSessionName), durationSeconds: input.DurationSeconds as number | undefined });
    const match = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(.+)$/.exec(String(input.RoleArn));
    const account = match?.[1];
    if (!account || match?.[2] !== (this.options.roleName ?? FINDING_WRITER_ROLE_NAME) || this.refusedRoles.has(account)) {
      throw new STSServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
        message: `User: arn:aws:sts::222222222222:assumed-role/skywatch-publisher/publisher is not authorized to perform: sts:AssumeRole on resource: ${String(input.RoleArn)}`,
      });
    }
    const n = this.keys.size + 1;
    const accessKeyId = `ASIAFAKE${String(n).padStart(12, '0')}`;
    const expiration = new Date(this.options.clock.now().getTime() + Number(input.DurationSeconds ?? 3600) * 1000);
    const key: IssuedKey = {
      account,
      secretAccessKey: `fakeSecret/${n}/${Math.floor(this.random() * 1e12).toString(36).padStart(8, 'x')}`,
      sessionToken: `FwoGZXIvYXdzEFAKE//${n}//${Math.floor(this.random() * 1e12).toString(36).padStart(8, 'x')}`,
      expiration,
      expired: false,
    };
    this.keys.set(accessKeyId, key);
    return {
      Credentials: { AccessKeyId: accessKeyId, SecretAccessKey: key.secretAccessKey, SessionToken: key.sessionToken, Expiration: expiration },
      AssumedRoleUser: { AssumedRoleId: `AROAFAKE${account}:${String(input.RoleSessionName)}`, Arn: `arn:aws:sts::${account}:assumed-role/${match[2]}/${String(input.RoleSessionName)}` },
    };
  }

  private batchImportFindings(input: Record<string, unknown>, credentials: { accessKeyId: string }, region: string) {
    this.counters.requests += 1;
    const findings = (Array.isArray(input.Findings) ? input.Findings : []) as AsffFinding[];
    const key = this.keys.get(credentials.accessKeyId);
    const call = (outcome: string) => this.calls.push({ account: key?.account ?? 'unknown', region, ids: findings.map((f) => f.Id), outcome });
    if (!this.check(BatchImportFindingsRequest$, input, 'BatchImportFindings')) {
      call('invalid');
      throw new Error(`fake Security Hub: invalid BatchImportFindings request: ${this.violations[this.violations.length - 1]}`);
    }
    if (!key) {
      call('unknown-key');
      throw serviceError('UnrecognizedClientException', 403, 'The security token included in the request is invalid.');
    }
    if (key.expired || this.options.clock.now() >= key.expiration) {
      this.counters.expired += 1;
      call('expired');
      throw serviceError('ExpiredTokenException', 403, 'The security token included in the request is expired');
    }
    const fault = this.nextFault(`${key.account}#${region}`);
    if (fault === 'throttle') {
      this.counters.throttled += 1;
      call('throttled');
      throw serviceError('TooManyRequestsException', 429, 'Rate exceeded');
    }
    if (fault === 'server') {
      this.counters.serverErrors += 1;
      call('server-error');
      throw new InternalException({ $metadata: { httpStatusCode: 500 }, message: 'Internal service error', Code: 'InternalException' });
    }
    if (fault === 'denied') {
      call('denied');
      throw new SecurityHubServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
        message: `User: arn:aws:sts::${key.account}:assumed-role/${this.options.roleName ?? FINDING_WRITER_ROLE_NAME}/skywatch-publisher is not authorized to perform: securityhub:BatchImportFindings`,
      });
    }
    call('accepted');
    const failed = findings.flatMap((f) => {
      const refusal = this.refuse(f, key.account, region);
      return refusal ? [{ Id: f.Id, ErrorCode: refusal.code, ErrorMessage: refusal.message }] : [];
    });
    return { SuccessCount: findings.length - failed.length, FailedCount: failed.length, FailedFindings: failed };
  }

  /** Why Security Hub would refuse the finding, or undefined when it stores (or silently ignores) it. */
  private refuse(f: AsffFinding, account: string, region: string): { code: string; message: string } | undefined {
    if (this.offPlaces.has(`${account}/${region}`)) return { code: 'InvalidAccess', message: `Account ${account} is not subscribed to AWS Security Hub in ${region}` };
    const arn = /^arn:aws[a-z-]*:securityhub:([a-z0-9-]+):(\d{12}):product\/(\d{12})\/default$/.exec(f.ProductArn);
    if (f.AwsAccountId !== account || !arn || arn[1] !== region || arn[2] !== account || arn[3] !== account) {
      this.counters.wrongAccount += 1;
      return { code: 'AccessDeniedException', message: `Account ${account} is not authorized to import findings for ${f.AwsAccountId} with product ${f.ProductArn}` };
    }
    const refusal = this.refusals.get(f.Id);
    if (refusal) {
      this.refusals.delete(f.Id);
      return refusal;
    }
    const id = `${f.ProductArn}#${f.Id}`;
    const current = this.stored.get(id);
    if (current && Date.parse(f.UpdatedAt) <= Date.parse(current.UpdatedAt)) {
      this.counters.ignoredStale += 1;
      return undefined;
    }
    this.stored.set(id, { ...structuredClone(f), ...(current && { CreatedAt: current.CreatedAt }) });
    return undefined;
  }

  private nextFault(place: string): Fault | undefined {
    const injected = this.faults.shift();
    if (injected) return injected;
    if (this.buckets.tryTake(place) > 0) return 'throttle';
    if ((this.options.throttleProbability ?? 0) > 0 && this.random() < this.options.throttleProbability!) return 'throttle';
    if ((this.options.serverErrorProbability ?? 0) > 0 && this.random() < this.options.serverErrorProbability!) return 'server';
    return undefined;
  }

  private check(schema: Parameters<typeof validateRequest>[0], input: unknown, operation: string): boolean {
    const errors = validateRequest(schema, input);
    for (const error of errors) this.violations.push(`${operation}: ${error}`);
    return errors.length === 0;
  }
}

function serviceError(name: string, status: number, message: string): SecurityHubServiceException {
  return new SecurityHubServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message });
}

/** Restores every fake a test made and fails the test if any request broke an API rule or limit. */
export function restoreCheckedFakes(fakes: SecurityHubFake[]): void {
  for (const fake of fakes.splice(0)) {
    fake.restore();
    expect(fake.violations).toEqual([]);
  }
}
