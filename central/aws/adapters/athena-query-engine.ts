/**
 * The QueryEngine over Athena: StartQueryExecution in the workgroup (its per-query bytes cutoff and
 * result location apply), GetQueryExecution polled with growing waits, then every page of
 * GetQueryResults. Parameters travel as ExecutionParameters, each a SQL literal. Athena errors become
 * the query taxonomy; errors this adapter does not know pass through unchanged.
 */
import {
  GetQueryExecutionCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type AthenaClient,
  type QueryExecution,
} from '@aws-sdk/client-athena';
import type { Clock, QueryEngine, QueryProgress, QueryResult, QueryRunOptions, SqlQuery } from '../../core/ports.js';
import { systemClock } from '../../core/ports.js';
import { athenaCostUsd } from '../../core/query/cost.js';
import { QueryBytesLimitError, QueryCancelledError, QueryFailedError, QueryThrottledError, QueryTimeoutError } from '../../core/query/errors.js';
import { parameterProblem, sqlLiteral } from '../../core/query/parameters.js';
import { endingOf, readAllResults } from './athena-results.js';

/** Waits `ms`, returning early when `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Where queries run and how patiently. */
export interface AthenaQueryEngineOptions {
  readonly client: AthenaClient;
  /** The workgroup (stacks/central/statistics.ts: WORKGROUP_NAME). */
  readonly workGroup: string;
  /** The Glue database of the log tables (LOG_DATABASE_NAME). */
  readonly database: string;
  /** @default 'AwsDataCatalog' */
  readonly catalog?: string;
  /** The workgroup's BytesScannedCutoffPerQuery, to recognise a query it cancelled. @default undefined (reason text only) */
  readonly bytesScannedCutoff?: number;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default a timer */
  readonly sleep?: Sleep;
  /** First wait between polls, doubling up to `pollMaxMs`. @default 250 */
  readonly pollInitialMs?: number;
  /** @default 5000 */
  readonly pollMaxMs?: number;
  /** Attempts of one call while Athena throttles, the first included. @default 5 */
  readonly throttleAttempts?: number;
  /** Wait before the first retry of a throttled call, doubling after. @default 1000 */
  readonly throttleBaseMs?: number;
  /** Rows per GetQueryResults page (at most 1000). @default 1000 */
  readonly pageSize?: number;
}

// TooManyRequestsException is Athena's own (too many queued or running queries); the SDK's quick
// retries rarely outlast it, so a query is retried here with waits of seconds.
const THROTTLED = new Set(['TooManyRequestsException', 'ThrottlingException', 'Throttling', 'RequestLimitExceeded']);

/** The default sleep: a timer that an abort cuts short. */
export const timerSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

/** Runs queries in one Athena workgroup. */
export class AthenaQueryEngine implements QueryEngine {
  private readonly clock: Clock;
  private readonly sleep: Sleep;

  constructor(private readonly options: AthenaQueryEngineOptions) {
    this.clock = options.clock ?? systemClock;
    this.sleep = options.sleep ?? timerSleep;
  }

  async run(query: SqlQuery, runOptions: QueryRunOptions = {}): Promise<QueryResult> {
    const run = new AthenaRun(this.options, this.clock, this.sleep, runOptions);
    return run.execute(query);
  }
}

/** One query's life: its deadline, its signal and the calls it makes. */
class AthenaRun {
  private readonly startedAt: number;
  private queryId: string | undefined;

  constructor(
    private readonly options: AthenaQueryEngineOptions,
    private readonly clock: Clock,
    private readonly sleep: Sleep,
    private readonly run: QueryRunOptions,
  ) {
    this.startedAt = clock.now().getTime();
  }

  async execute(query: SqlQuery): Promise<QueryResult> {
    const problem = parameterProblem(query);
    if (problem) throw new QueryFailedError('athena', problem);
    await this.checkpoint();
    const { client, workGroup, database, catalog = 'AwsDataCatalog' } = this.options;
    const started = await this.call(() =>
      client.send(
        new StartQueryExecutionCommand({
          QueryString: query.sql,
          WorkGroup: workGroup,
          QueryExecutionContext: { Database: database, Catalog: catalog },
          ...(query.parameters.length ? { ExecutionParameters: query.parameters.map(sqlLiteral) } : {}),
        }),
      ),
    );
    this.queryId = started.QueryExecutionId;
    if (!this.queryId) throw new QueryFailedError('athena', 'StartQueryExecution returned no QueryExecutionId');
    const execution = await this.waitForEnd(this.queryId);
    const rows = await readAllResults(client, this.queryId, execution.StatementType, (call) => this.call(call), this.options.pageSize ?? 1000);
    const bytesScanned = execution.Statistics?.DataScannedInBytes;
    return {
      ...rows,
      engine: 'athena',
      elapsedMs: this.elapsed(),
      ...(bytesScanned !== undefined ? { bytesScanned, costUsd: athenaCostUsd(bytesScanned) } : {}),
    };
  }

  private async waitForEnd(queryId: string): Promise<QueryExecution> {
    let wait = this.options.pollInitialMs ?? 250;
    for (;;) {
      const { QueryExecution: execution = {} } = await this.call(() => this.options.client.send(new GetQueryExecutionCommand({ QueryExecutionId: queryId })));
      const state = (execution.Status?.State ?? 'QUEUED') as QueryProgress['state'];
      const bytesScanned = execution.Statistics?.DataScannedInBytes;
      this.run.onProgress?.({ state, elapsedMs: this.elapsed(), ...(bytesScanned !== undefined ? { bytesScanned } : {}) });
      if (state === 'SUCCEEDED') return execution;
      if (state === 'FAILED' || state === 'CANCELLED') throw this.ending(execution);
      await this.checkpoint();
      await this.pause(wait);
      wait = Math.min(wait * 2, this.options.pollMaxMs ?? 5000);
    }
  }

  private ending(execution: QueryExecution): Error {
    const ending = endingOf(execution, this.options.bytesScannedCutoff);
    if (ending.kind === 'bytes-limit') return new QueryBytesLimitError('athena', ending.reason, execution.Statistics?.DataScannedInBytes);
    if (ending.kind === 'cancelled') return new QueryCancelledError('athena', ending.reason);
    return new QueryFailedError('athena', ending.reason, { queryId: execution.QueryExecutionId ?? this.queryId });
  }

  /** One SDK call, retried while Athena throttles; InvalidRequestException is a refused query. */
  private async call<T>(send: () => Promise<T>): Promise<T> {
    const attempts = this.options.throttleAttempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      try {
        return await send();
      } catch (error) {
        const name = (error as { name?: string }).name ?? '';
        if (name === 'InvalidRequestException') throw new QueryFailedError('athena', (error as Error).message, { cause: error, queryId: this.queryId });
        if (!THROTTLED.has(name)) throw error;
        if (attempt >= attempts) throw new QueryThrottledError('athena', attempt, { cause: error });
        await this.checkpoint();
        await this.pause((this.options.throttleBaseMs ?? 1000) * 2 ** (attempt - 1));
      }
    }
  }

  /** Sleeps no longer than the time left, then stops the query if the caller aborted or time ran out. */
  private async pause(ms: number): Promise<void> {
    const left = this.timeLeft();
    await this.sleep(left === undefined ? ms : Math.max(0, Math.min(ms, left)), this.run.signal);
    await this.checkpoint();
  }

  private async checkpoint(): Promise<void> {
    if (this.run.signal?.aborted) {
      await this.stop();
      throw new QueryCancelledError('athena', 'aborted', { cause: this.run.signal.reason });
    }
    const left = this.timeLeft();
    if (left !== undefined && left <= 0) {
      await this.stop();
      throw new QueryTimeoutError('athena', this.run.timeoutMs ?? 0);
    }
  }

  // Best effort: the query is already given up on, and Athena stops it at its own timeout anyway.
  private async stop(): Promise<void> {
    if (!this.queryId) return;
    try {
      await this.options.client.send(new StopQueryExecutionCommand({ QueryExecutionId: this.queryId }));
    } catch {
      // An unstoppable query is no reason to hide why it was stopped.
    }
  }

  private elapsed(): number {
    return this.clock.now().getTime() - this.startedAt;
  }

  private timeLeft(): number | undefined {
    return this.run.timeoutMs === undefined ? undefined : this.run.timeoutMs - this.elapsed();
  }
}
