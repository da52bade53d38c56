/**
 * Publishes the outbox to Security Hub: findings grouped by account and region (Security Hub takes a
 * finding only from its own account, in its own region), within the import rate and request limits,
 * retrying throttling and server errors with backoff. A finding leaves the outbox only once Security Hub
 * accepted that very version and its OCSF record is archived; everything else stays for the next run.
 */
import type { CoverageReporter } from '../coverage/reporter.js';
import type { AsffFinding } from '../findings/asff.js';
import type { Clock } from '../ports.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import { importBatches, SECURITY_HUB_IMPORT_LIMITS, type ImportLimits } from './import-batches.js';
import { ImportCredentialsError, ImportDeniedError, ImportServerError, ImportThrottledError, type FailedImport, type FindingImporter } from './importer.js';
import { toOcsfDetectionFinding, type FindingArchive } from './ocsf.js';
import type { Outbox } from './outbox.js';
import { SECURITY_HUB_IMPORT_RATE, TokenBuckets, type RateLimit, type Sleep } from './token-bucket.js';

/** Structured logging (the Lambda logger in AWS); messages are short, data never holds a secret. */
export interface PublishLog {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

/** How much to read, send and retry. */
export interface PublishLimits {
  readonly pageSize: number;
  readonly rate: RateLimit;
  readonly backoff: BackoffPolicy;
  readonly batching: ImportLimits;
}

/** Pages of 100 findings, Security Hub's rate and request limits, 5 attempts a request. */
export const DEFAULT_PUBLISH_LIMITS: PublishLimits = { pageSize: 100, rate: SECURITY_HUB_IMPORT_RATE, backoff: DEFAULT_BACKOFF, batching: SECURITY_HUB_IMPORT_LIMITS };

/** What a publishing run needs. */
export interface PublishDeps {
  readonly outbox: Outbox;
  readonly importer: FindingImporter;
  readonly archive: FindingArchive;
  readonly coverage: CoverageReporter;
  readonly clock: Clock;
  readonly sleep: Sleep;
  /** Returns [0, 1), for backoff jitter. */
  readonly random: () => number;
  /** No request starts at or after this time (the Lambda timeout minus a margin); no deadline if absent. */
  readonly deadline?: Date;
  readonly limits?: Partial<PublishLimits>;
  /** Buckets kept across runs of one container; fresh (full) ones if absent. */
  readonly buckets?: TokenBuckets;
  readonly log?: PublishLog;
}

/** What a run did, in findings (imported, failed, heldBack) and requests. */
export interface PublishResult {
  /** Accepted by Security Hub, archived and removed from the outbox. */
  imported: number;
  /** Attempted and refused, or over the size limit: still in the outbox with the reason. */
  failed: number;
  /** Not attempted in this run (deadline, or their account and region was found unusable): still pending. */
  heldBack: number;
  /** BatchImportFindings requests sent, retries included. */
  requests: number;
  /** Requests answered with throttling. */
  throttled: number;
  /** Account and region pairs found with Security Hub off. */
  accountsOff: number;
}

// FailedFindings codes: Security Hub is off in the account and region (see docs/architecture.md).
const OFF_CODES = new Set(['InvalidAccess', 'InvalidAccessException']);
// FailedFindings codes worth retrying: the service's own trouble, not the finding's.
const RETRYABLE_CODES = new Set(['InternalException', 'InternalError', 'InternalFailure', 'ServiceUnavailable', 'Throttling', 'ThrottlingException', 'TooManyRequestsException', 'LimitExceeded', 'LimitExceededException']);
const THROTTLE_CODES = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'LimitExceeded', 'LimitExceededException']);
const SILENT: PublishLog = { info: () => {}, warn: () => {}, error: () => {} };

/** Drains the outbox into Security Hub once; see the module comment for what stays behind. */
export async function publishOutbox(deps: PublishDeps): Promise<PublishResult> {
  const run = new PublishRun(deps);
  for await (const page of deps.outbox.pages(run.limits.pageSize)) {
    const groups = groupByPlace(page.map((item) => item.finding));
    for (const [index, group] of groups.entries()) {
      if (run.outOfTime()) {
        run.result.heldBack += groups.slice(index).reduce((n, g) => n + g.findings.length, 0);
        run.log.warn('publishing stopped at the deadline', { heldBack: run.result.heldBack });
        return run.finish();
      }
      await run.publishGroup(group.account, group.region, group.findings);
    }
  }
  return run.finish();
}

interface Group {
  readonly account: string;
  readonly region: string;
  readonly findings: AsffFinding[];
}

/** Groups findings by account and region, keeping their order. */
function groupByPlace(findings: readonly AsffFinding[]): Group[] {
  const groups = new Map<string, Group>();
  for (const finding of findings) {
    const key = `${finding.AwsAccountId}#${finding.Region}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { account: finding.AwsAccountId, region: finding.Region, findings: [] }));
    group.findings.push(finding);
  }
  return [...groups.values()];
}

/** One run's state: counts, and the accounts and regions found unusable in it. */
class PublishRun {
  readonly result: PublishResult = { imported: 0, failed: 0, heldBack: 0, requests: 0, throttled: 0, accountsOff: 0 };
  readonly limits: PublishLimits;
  readonly log: PublishLog;
  private readonly buckets: TokenBuckets;
  /** `account#region` with Security Hub off or the import denied; `account` without credentials. */
  private readonly unusable = new Set<string>();
  private readonly confirmedOn = new Set<string>();

  constructor(private readonly deps: PublishDeps) {
    this.limits = { ...DEFAULT_PUBLISH_LIMITS, ...deps.limits };
    this.log = deps.log ?? SILENT;
    this.buckets = deps.buckets ?? new TokenBuckets(this.limits.rate, deps.clock, deps.sleep);
  }

  outOfTime(afterMs = 0): boolean {
    return this.deps.deadline !== undefined && this.deps.clock.now().getTime() + afterMs >= this.deps.deadline.getTime();
  }

  async publishGroup(account: string, region: string, findings: AsffFinding[]): Promise<void> {
    if (this.unusable.has(account) || this.unusable.has(`${account}#${region}`)) {
      this.result.heldBack += findings.length;
      return;
    }
    const { batches, rejected } = importBatches(findings, this.limits.batching);
    for (const { finding, reason } of rejected) {
      this.log.error('finding not sendable', { account, region, findingId: finding.Id, reason });
      await this.fail([finding], reason);
    }
    for (const [index, batch] of batches.entries()) {
      if (this.outOfTime() || this.unusable.has(account) || this.unusable.has(`${account}#${region}`)) {
        this.result.heldBack += batches.slice(index).reduce((n, b) => n + b.length, 0);
        return;
      }
      await this.send(account, region, batch);
    }
  }

  /** Sends one request's findings, retrying what can succeed, until each is accepted or failed. */
  private async send(account: string, region: string, batch: AsffFinding[]): Promise<void> {
    let pending = batch;
    for (let attempt = 1; pending.length > 0; attempt++) {
      await this.buckets.take(`${account}#${region}`);
      this.result.requests += 1;
      let refused: FailedImport[];
      try {
        refused = await this.deps.importer.import(account, region, pending);
      } catch (error) {
        const retry = await this.onError(account, region, pending, error);
        if (!retry || !(await this.backOff(attempt, pending, `${describe(error)} after ${attempt} attempts`))) return;
        continue;
      }
      pending = await this.onResponse(account, region, pending, refused);
      if (pending.length > 0 && !(await this.backOff(attempt, pending, `${pending.length} findings kept failing with ${codesOf(refused, pending)}`))) return;
    }
  }

  /** Settles a request's answer; returns the findings to retry. */
  private async onResponse(account: string, region: string, sent: AsffFinding[], refused: FailedImport[]): Promise<AsffFinding[]> {
    const byId = new Map(refused.map((f) => [f.id, f]));
    const accepted = sent.filter((f) => !byId.has(f.Id));
    const off = refused.some((f) => OFF_CODES.has(f.code));
    const codes = [...new Set(refused.map((f) => f.code))].sort();
    this.log.info('import request', { account, region, count: sent.length, failedCount: refused.length, codes });
    if (refused.some((f) => THROTTLE_CODES.has(f.code))) this.result.throttled += 1;
    if (accepted.length > 0) await this.accept(accepted);
    if (off) {
      await this.securityHubOff(account, region, sent.filter((f) => byId.has(f.Id)), codes.join(', '));
      return [];
    }
    await this.confirmOn(account, region);
    const retry: AsffFinding[] = [];
    for (const finding of sent) {
      const failure = byId.get(finding.Id);
      if (!failure) continue;
      if (RETRYABLE_CODES.has(failure.code)) retry.push(finding);
      else {
        this.log.warn('finding refused', { account, region, findingId: finding.Id, code: failure.code });
        await this.fail([finding], `Security Hub refused the finding: ${failure.code}: ${failure.message}`);
      }
    }
    return retry;
  }

  /** Handles a request that threw; returns whether it is worth retrying. */
  private async onError(account: string, region: string, pending: AsffFinding[], error: unknown): Promise<boolean> {
    if (error instanceof ImportThrottledError || error instanceof ImportServerError) {
      if (error instanceof ImportThrottledError) this.result.throttled += 1;
      this.log.warn('import request', { account, region, count: pending.length, error: error.name, code: error.code });
      return true;
    }
    if (error instanceof ImportDeniedError && OFF_CODES.has(error.code)) {
      // Security Hub answers a call into an account where it is off with InvalidAccessException.
      await this.securityHubOff(account, region, pending, error.code);
      return false;
    }
    if (error instanceof ImportCredentialsError || error instanceof ImportDeniedError) {
      this.unusable.add(error instanceof ImportCredentialsError ? account : `${account}#${region}`);
      this.log.error('import not possible', { account, region, count: pending.length, error: error.name, code: error.code });
      await this.fail(pending, error.message);
      return false;
    }
    // Unknown errors stay with this request: one odd account must not stop the others every run.
    this.log.error('import failed unexpectedly', { account, region, count: pending.length, error: describe(error) });
    await this.fail(pending, `unexpected error: ${describe(error)}`);
    return false;
  }

  /** Waits before retry `attempt`, or fails the findings when attempts or time run out; returns whether to retry. */
  private async backOff(attempt: number, pending: AsffFinding[], reason: string): Promise<boolean> {
    const { backoff } = this.limits;
    const delay = attempt < backoff.attempts ? backoffDelay(attempt - 1, backoff, this.deps.random) : undefined;
    if (delay === undefined || this.outOfTime(delay)) {
      this.log.warn('import given up for this run', { count: pending.length, attempts: attempt });
      await this.fail(pending, reason);
      return false;
    }
    await this.deps.sleep(delay);
    return true;
  }

  private async accept(findings: AsffFinding[]): Promise<void> {
    // Archive first: once removed from the outbox, a finding could never be archived again.
    await this.deps.archive.write(findings.map(toOcsfDetectionFinding));
    await this.deps.outbox.remove(findings);
    this.result.imported += findings.length;
  }

  private async fail(findings: AsffFinding[], reason: string): Promise<void> {
    await this.deps.outbox.failed(findings, reason);
    this.result.failed += findings.length;
  }

  private async securityHubOff(account: string, region: string, findings: AsffFinding[], codes: string): Promise<void> {
    const place = `${account}#${region}`;
    if (!this.unusable.has(place)) {
      this.unusable.add(place);
      this.result.accountsOff += 1;
      this.log.warn('security hub off', { account, region, held: findings.length });
      await this.coverage(() => this.deps.coverage.open('security-hub-off', account, region, `BatchImportFindings answered ${codes} in ${region}: Security Hub is not enabled there; findings wait in the outbox.`));
    }
    await this.fail(findings, `Security Hub is off in ${account}/${region} (${codes})`);
  }

  private async confirmOn(account: string, region: string): Promise<void> {
    const place = `${account}#${region}`;
    if (this.confirmedOn.has(place)) return;
    this.confirmedOn.add(place);
    await this.coverage(() => this.deps.coverage.close('security-hub-off', account, region));
  }

  /** A coverage update that fails is logged, not fatal: the next run observes the same state again. */
  private async coverage(update: () => Promise<void>): Promise<void> {
    try {
      await update();
    } catch (error) {
      this.log.error('coverage update failed', { error: describe(error) });
    }
  }

  finish(): PublishResult {
    this.log.info('publishing done', { ...this.result });
    return { ...this.result };
  }
}

function codesOf(refused: FailedImport[], pending: AsffFinding[]): string {
  const ids = new Set(pending.map((f) => f.Id));
  return [...new Set(refused.filter((f) => ids.has(f.id)).map((f) => f.code))].sort().join(', ');
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
