/**
 * The QueryEngine on a laptop: DuckDB in memory, with the Glue tables as views over a local copy of
 * the log archive (see duckdb-log-views.ts). Parameters are bound to a prepared statement. A timeout
 * or an abort interrupts the connection; each query gets its own connection, so one interrupt stops
 * one query. Dialect: `/` on integers divides as Trino does (`integer_division`).
 */
import { DuckDBInstance, type DuckDBConnection, type DuckDBType } from '@duckdb/node-api';
import type { QueryColumn, QueryEngine, QueryResult, QueryRunOptions, QueryValue, SqlQuery } from '../core/ports.js';
import { QueryCancelledError, QueryFailedError, QueryTimeoutError } from '../core/query/errors.js';
import { parameterProblem } from '../core/query/parameters.js';
import { integerValue } from '../core/query/values.js';
import { literal, logViews, type LocalPrefixes } from './duckdb-log-views.js';

// DuckDB types in the lowercase names Athena reports, so both engines type a column alike.
const TYPE_NAMES: Readonly<Record<string, string>> = {
  VARCHAR: 'varchar', BOOLEAN: 'boolean', TINYINT: 'tinyint', SMALLINT: 'smallint', INTEGER: 'integer', BIGINT: 'bigint',
  HUGEINT: 'bigint', UTINYINT: 'smallint', USMALLINT: 'integer', UINTEGER: 'bigint', UBIGINT: 'bigint', UHUGEINT: 'bigint',
  FLOAT: 'real', DOUBLE: 'double', DATE: 'date', TIMESTAMP: 'timestamp', 'TIMESTAMP WITH TIME ZONE': 'timestamp with time zone', JSON: 'json', BLOB: 'varbinary',
};

/** The lowercase SQL name of a DuckDB type: `HUGEINT` (what SUM(BIGINT) gives) is `bigint`, `STRUCT(...)` is `row`. */
export function typeName(type: DuckDBType | string): string {
  const text = String(type);
  if (text.endsWith('[]')) return 'array';
  if (text.startsWith('STRUCT')) return 'row';
  if (text.startsWith('MAP')) return 'map';
  if (text.startsWith('DECIMAL')) return 'decimal';
  return TYPE_NAMES[text] ?? text.toLowerCase();
}

const INTEGERS = new Set(['tinyint', 'smallint', 'integer', 'bigint']);
const NESTED = new Set(['array', 'row', 'map']);

/** One cell, converted from DuckDB's JSON form to our typing (nested values as JSON text). */
function cellValue(type: string, value: unknown): QueryValue {
  if (value === null || value === undefined) return null;
  if (INTEGERS.has(type)) return integerValue(String(value));
  if (type === 'double' || type === 'real' || type === 'decimal') return Number(value);
  if (typeof value === 'boolean') return value;
  if (NESTED.has(type)) return JSON.stringify(value);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Where the local log archive is. */
export interface DuckDbQueryEngineOptions extends LocalPrefixes {
  /** The folder (or folders) holding `<prefix>AWSLogs/...` as the archive bucket's keys. */
  readonly root: string | readonly string[];
  /** @default DuckDB's own (all cores) */
  readonly threads?: number;
}

/** Runs queries with DuckDB over the log files under one folder. */
export class DuckDbQueryEngine implements QueryEngine {
  private constructor(private readonly instance: DuckDBInstance) {}

  /** Opens an in-memory database and creates the three views; a table with no files yet is an empty view. */
  static async open(options: DuckDbQueryEngineOptions): Promise<DuckDbQueryEngine> {
    const instance = await DuckDBInstance.create(':memory:', options.threads ? { threads: String(options.threads) } : {});
    const connection = await instance.connect();
    try {
      for (const view of logViews(options.root, options)) {
        const matching: string[] = [];
        for (const glob of view.globs) {
          const files = await connection.runAndReadAll(`SELECT count(*) AS n FROM glob(${literal(glob)})`);
          if (Number(files.getRows()[0]?.[0] ?? 0) > 0) matching.push(glob);
        }
        const body = matching.length > 0 ? view.select(matching) : view.empty;
        await connection.run(`CREATE VIEW ${view.name} AS ${body}`);
      }
    } finally {
      connection.closeSync();
    }
    return new DuckDbQueryEngine(instance);
  }

  async run(query: SqlQuery, options: QueryRunOptions = {}): Promise<QueryResult> {
    const problem = parameterProblem(query);
    if (problem) throw new QueryFailedError('duckdb', problem);
    if (options.signal?.aborted) throw new QueryCancelledError('duckdb', 'aborted', { cause: options.signal.reason });
    const startedAt = Date.now();
    const connection = await this.instance.connect();
    await connection.run('SET integer_division = true');
    const stopper = new Stopper(connection, options);
    try {
      const statement = await connection.prepare(query.sql);
      query.parameters.forEach((value, i) => {
        // Typed as Trino types the literal Athena substitutes: INTEGER while it fits, else BIGINT.
        if (typeof value === 'string') statement.bindVarchar(i + 1, value);
        else if (Number.isInteger(value) && Math.abs(value) < 2 ** 31) statement.bindInteger(i + 1, value);
        else if (Number.isInteger(value)) statement.bindBigInt(i + 1, BigInt(value));
        else statement.bindDouble(i + 1, value);
      });
      options.onProgress?.({ state: 'RUNNING', elapsedMs: Date.now() - startedAt });
      const reader = await stopper.race(statement.runAndReadAll());
      const columns: QueryColumn[] = reader.columnNames().map((name, i) => ({ name, type: typeName(reader.columnType(i)) }));
      const rows = reader.getRowsJson().map((row) => Object.fromEntries(columns.map((c, i) => [c.name, cellValue(c.type, row[i])])));
      options.onProgress?.({ state: 'SUCCEEDED', elapsedMs: Date.now() - startedAt });
      return { columns, rows, engine: 'duckdb', elapsedMs: Date.now() - startedAt };
    } catch (error) {
      throw stopper.translate(error);
    } finally {
      stopper.dispose();
      connection.closeSync();
    }
  }

  /** Frees the database. */
  close(): void {
    this.instance.closeSync();
  }
}

/** Interrupts a connection on timeout or abort, and names the reason afterwards. */
class Stopper {
  private why: 'timeout' | 'abort' | undefined;
  private timer: NodeJS.Timeout | undefined;
  private repeat: NodeJS.Timeout | undefined;
  private readonly onAbort = () => this.stop('abort');

  constructor(private readonly connection: DuckDBConnection, private readonly options: QueryRunOptions) {
    if (options.timeoutMs !== undefined) this.timer = setTimeout(() => this.stop('timeout'), options.timeoutMs);
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Waits for the query; an interrupt that lands before execution starts is lost, so it repeats until the query settles. */
  async race<T>(running: Promise<T>): Promise<T> {
    try {
      return await running;
    } finally {
      clearInterval(this.repeat);
    }
  }

  private stop(why: 'timeout' | 'abort'): void {
    this.why ??= why;
    this.connection.interrupt();
    this.repeat ??= setInterval(() => this.connection.interrupt(), 25);
  }

  translate(error: unknown): Error {
    if (this.why === 'timeout') return new QueryTimeoutError('duckdb', this.options.timeoutMs ?? 0, { cause: error });
    if (this.why === 'abort') return new QueryCancelledError('duckdb', 'aborted', { cause: error });
    if (error instanceof QueryFailedError) return error;
    return new QueryFailedError('duckdb', error instanceof Error ? error.message : String(error), { cause: error });
  }

  dispose(): void {
    clearTimeout(this.timer);
    clearInterval(this.repeat);
    this.options.signal?.removeEventListener('abort', this.onAbort);
  }
}
