/**
 * What can go wrong running a query, whichever engine runs it. Adapters translate their engine's
 * failures into these; callers branch on `instanceof`, never on message text.
 */

/** The engines a query can run on. */
export type QueryEngineName = 'athena' | 'duckdb';

/** The engine refused or failed the query (syntax, missing column, permissions); `reason` is the engine's own words. */
export class QueryFailedError extends Error {
  override readonly name = 'QueryFailedError';
  /** The engine's id of the query, where it has one. */
  readonly queryId: string | undefined;
  constructor(readonly engine: QueryEngineName, readonly reason: string, options?: { cause?: unknown; queryId?: string }) {
    super(`${engine} query failed: ${reason}`, { cause: options?.cause });
    this.queryId = options?.queryId;
  }
}

/** The caller aborted the query, or someone else cancelled it; the engine was asked to stop it. */
export class QueryCancelledError extends Error {
  override readonly name = 'QueryCancelledError';
  constructor(readonly engine: QueryEngineName, readonly reason = 'aborted', options?: { cause?: unknown }) {
    super(`${engine} query cancelled: ${reason}`, { cause: options?.cause });
  }
}

/** The query ran longer than `timeoutMs`; the engine was asked to stop it. */
export class QueryTimeoutError extends Error {
  override readonly name = 'QueryTimeoutError';
  constructor(readonly engine: QueryEngineName, readonly timeoutMs: number, options?: { cause?: unknown }) {
    super(`${engine} query did not finish within ${timeoutMs} ms`, { cause: options?.cause });
  }
}

/** The query would scan more than the workgroup's per-query cutoff allows, so Athena cancelled it. */
export class QueryBytesLimitError extends Error {
  override readonly name = 'QueryBytesLimitError';
  constructor(readonly engine: QueryEngineName, readonly reason: string, readonly bytesScanned: number | undefined, options?: { cause?: unknown }) {
    super(`${engine} query stopped at the bytes-scanned cutoff: ${reason}`, { cause: options?.cause });
  }
}

/** The engine kept refusing to take the query (too many requests or concurrent queries) after every retry. */
export class QueryThrottledError extends Error {
  override readonly name = 'QueryThrottledError';
  constructor(readonly engine: QueryEngineName, readonly attempts: number, options?: { cause?: unknown }) {
    super(`${engine} throttled the query ${attempts} times in a row`, { cause: options?.cause });
  }
}

/** Whether `error` is one of the query taxonomy's: the engine ran (or refused) the query, rather than a bug. */
export function isQueryError(error: unknown): error is QueryFailedError | QueryCancelledError | QueryTimeoutError | QueryBytesLimitError | QueryThrottledError {
  return error instanceof QueryFailedError || error instanceof QueryCancelledError || error instanceof QueryTimeoutError || error instanceof QueryBytesLimitError || error instanceof QueryThrottledError;
}
