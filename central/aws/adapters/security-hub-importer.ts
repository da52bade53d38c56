/**
 * The FindingImporter over Security Hub: BatchImportFindings in the finding's account (through its
 * FindingWriter role) and region. The SDK does not retry (`maxAttempts: 1`): the publisher does, with
 * its own backoff and rate limit. SDK errors become the importer's taxonomy; unknown ones pass through.
 */
import { BatchImportFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { AsffFinding } from '../../core/findings/asff.js';
import {
  ImportCredentialsError,
  ImportDeniedError,
  ImportServerError,
  ImportThrottledError,
  type FailedImport,
  type FindingImporter,
} from '../../core/delivery/importer.js';
import type { AssumedIdentity, CredentialSource } from './assumed-credentials.js';

const THROTTLED = new Set(['ThrottlingException', 'TooManyRequestsException', 'LimitExceededException', 'Throttling', 'RequestLimitExceeded']);
const EXPIRED = new Set(['ExpiredTokenException', 'ExpiredToken', 'RequestExpired', 'InvalidClientTokenId', 'UnrecognizedClientException']);
const SERVER = new Set(['InternalException', 'InternalServerException', 'InternalFailure', 'ServiceUnavailable', 'ServiceUnavailableException', 'TimeoutError', 'RequestTimeout']);
const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND']);
const STS_THROTTLED = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException']);

/** Builds the client for one account and region (tests and local runs may point it elsewhere). */
export type SecurityHubClientFactory = (region: string, credentials: AssumedIdentity) => SecurityHubClient;

/** The default client: region and credentials given, no SDK retries, endpoints from the environment. */
export const defaultSecurityHubClient: SecurityHubClientFactory = (region, credentials) =>
  new SecurityHubClient({ region, credentials, maxAttempts: 1 });

interface CachedClient {
  readonly client: SecurityHubClient;
  readonly credentials: AssumedIdentity;
}

/** BatchImportFindings through each account's assumed role. */
export class SecurityHubImporter implements FindingImporter {
  private readonly clients = new Map<string, CachedClient>();

  constructor(
    private readonly credentials: CredentialSource,
    private readonly createClient: SecurityHubClientFactory = defaultSecurityHubClient,
  ) {}

  async import(account: string, region: string, findings: readonly AsffFinding[]): Promise<FailedImport[]> {
    try {
      return await this.send(account, region, findings);
    } catch (error) {
      if (!EXPIRED.has(nameOf(error))) throw translate(account, region, error);
    }
    // Expired: assume the role again and retry once; expiring twice in a row is not worth a third try.
    this.credentials.invalidate(account);
    try {
      return await this.send(account, region, findings);
    } catch (error) {
      if (EXPIRED.has(nameOf(error))) throw new ImportCredentialsError(account, region, nameOf(error), { cause: error });
      throw translate(account, region, error);
    }
  }

  private async send(account: string, region: string, findings: readonly AsffFinding[]): Promise<FailedImport[]> {
    const client = await this.clientFor(account, region);
    const out = await client.send(new BatchImportFindingsCommand({ Findings: findings as unknown as AwsSecurityFinding[] }));
    return (out.FailedFindings ?? []).map((f) => ({ id: f.Id ?? '', code: f.ErrorCode ?? 'Unknown', message: f.ErrorMessage ?? '' }));
  }

  /** The account and region's client, rebuilt whenever the account's credentials were renewed. */
  private async clientFor(account: string, region: string): Promise<SecurityHubClient> {
    let credentials: AssumedIdentity;
    try {
      credentials = await this.credentials.get(account);
    } catch (error) {
      if (STS_THROTTLED.has(nameOf(error))) throw new ImportThrottledError(account, region, nameOf(error), { cause: error });
      throw new ImportCredentialsError(account, region, nameOf(error), { cause: error });
    }
    const key = `${account}#${region}`;
    const cached = this.clients.get(key);
    if (cached?.credentials === credentials) return cached.client;
    cached?.client.destroy();
    // Static credentials per client: the SDK would otherwise cache them by the wall clock, not ours.
    const client = this.createClient(region, credentials);
    this.clients.set(key, { client, credentials });
    return client;
  }
}

/** Our error for an SDK error, or the SDK error itself when it means nothing we know. */
function translate(account: string, region: string, error: unknown): unknown {
  const name = nameOf(error);
  const e = error as { $fault?: string; $metadata?: { httpStatusCode?: number }; code?: string };
  const status = e?.$metadata?.httpStatusCode;
  if (THROTTLED.has(name) || status === 429) return new ImportThrottledError(account, region, name, { cause: error });
  if (name.startsWith('AccessDenied') || name === 'InvalidAccessException') return new ImportDeniedError(account, region, name, { cause: error });
  if (SERVER.has(name) || e?.$fault === 'server' || (status !== undefined && status >= 500) || NETWORK.has(e?.code ?? '')) {
    return new ImportServerError(account, region, name, { cause: error });
  }
  return error;
}

function nameOf(error: unknown): string {
  return error instanceof Error ? error.name : 'Unknown';
}
