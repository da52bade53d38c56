/**
 * The FindingImporter port (BatchImportFindings in one account and region) and the errors its adapters
 * throw, so the publisher branches on `instanceof` and never on an SDK's error names.
 */
import type { AsffFinding } from '../findings/asff.js';

/** A finding Security Hub refused within an accepted request (its `FailedFindings`). */
export interface FailedImport {
  readonly id: string;
  readonly code: string;
  readonly message: string;
}

/** Imports findings into Security Hub in one account and region. */
export interface FindingImporter {
  /** Imports every finding (all of `account`, all in `region`); returns the ones refused. */
  import(account: string, region: string, findings: readonly AsffFinding[]): Promise<FailedImport[]>;
}

/** What every import error carries: where it happened and the service's error code. */
export abstract class ImportError extends Error {
  constructor(
    readonly account: string,
    readonly region: string,
    /** The service's error name (`TooManyRequestsException`, `AccessDenied`...). */
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The request was throttled: retry later. */
export class ImportThrottledError extends ImportError {
  override readonly name = 'ImportThrottledError';
  constructor(account: string, region: string, code: string, options?: { cause?: unknown }) {
    super(account, region, code, `Security Hub throttled an import in ${account}/${region} (${code})`, options);
  }
}

/** Security Hub failed (5xx) or the connection did: retry later. */
export class ImportServerError extends ImportError {
  override readonly name = 'ImportServerError';
  constructor(account: string, region: string, code: string, options?: { cause?: unknown }) {
    super(account, region, code, `Security Hub failed an import in ${account}/${region} (${code})`, options);
  }
}

/** No usable credentials for the account: the role could not be assumed, or they expired again after a refresh. */
export class ImportCredentialsError extends ImportError {
  override readonly name = 'ImportCredentialsError';
  constructor(account: string, region: string, code: string, options?: { cause?: unknown }) {
    super(account, region, code, `no usable credentials for ${account} (${code})`, options);
  }
}

/** The import call itself was refused (AccessDenied, InvalidAccessException). */
export class ImportDeniedError extends ImportError {
  override readonly name = 'ImportDeniedError';
  constructor(account: string, region: string, code: string, options?: { cause?: unknown }) {
    super(account, region, code, `Security Hub refused an import in ${account}/${region} (${code})`, options);
  }
}
