/**
 * The engine a `query` or `investigate` command runs on: DuckDB over local log folders and the
 * local findings (as an OCSF archive), or Athena in the deployment's workgroup. Also which accounts
 * a run reads when none are named.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AthenaClient } from '@aws-sdk/client-athena';
import { InvalidArgumentError } from 'commander';
import { AthenaQueryEngine } from '../aws/adapters/athena-query-engine.js';
import type { QueryEngine } from '../core/ports.js';
import type { QueryEngineName } from '../core/query/errors.js';
import { DuckDbQueryEngine } from '../local/duckdb-query-engine.js';
import { writeLocalFindingsArchive } from '../local/local-findings-archive.js';
import { accountsInLogs } from '../local/log-accounts.js';

/** Where `skywatch demo` writes its logs by default (its `--dir`). */
export const DEFAULT_LOGS_DIR = '.skywatch/demo';

/** The engine options every query command takes. */
export interface EngineOptions {
  readonly engine: QueryEngineName;
  readonly state: string;
  /** Local log folders. @default [DEFAULT_LOGS_DIR] */
  readonly logs?: readonly string[];
  readonly accounts?: readonly string[];
  readonly workgroup?: string;
  readonly database?: string;
  readonly region?: string;
}

/** An open engine, the accounts to read, and how to free it. */
export interface OpenEngine {
  readonly engine: QueryEngine;
  readonly name: QueryEngineName;
  readonly accounts: readonly string[];
  close(): void;
}

/** Parses `--accounts A,B`. */
export function accountList(value: string): string[] {
  const ids = value.split(',').map((a) => a.trim()).filter(Boolean);
  const bad = ids.find((a) => !/^\d{12}$/.test(a));
  if (bad !== undefined || ids.length === 0) throw new InvalidArgumentError(`expected 12-digit account ids separated by commas, got "${value}"`);
  return ids;
}

/** Parses `--engine`. */
export function engineName(value: string): QueryEngineName {
  if (value !== 'duckdb' && value !== 'athena') throw new InvalidArgumentError(`unknown engine "${value}" (duckdb or athena)`);
  return value;
}

/** A problem with the engine options the user must fix, reported as a usage error. */
export class EngineSetupError extends Error {
  override readonly name = 'EngineSetupError';
}

/** Opens the engine. */
export async function openEngine(options: EngineOptions): Promise<OpenEngine> {
  if (options.engine === 'athena') {
    if (!options.accounts?.length) throw new EngineSetupError('--accounts is required with --engine athena: every Athena query names the account partitions it reads');
    const client = new AthenaClient(options.region ? { region: options.region } : {});
    const engine = new AthenaQueryEngine({ client, workGroup: options.workgroup ?? 'skywatch', database: options.database ?? 'skywatch_logs' });
    return { engine, name: 'athena', accounts: options.accounts, close: () => client.destroy() };
  }
  const logs = (options.logs?.length ? options.logs : [DEFAULT_LOGS_DIR]).map((d) => resolve(d));
  const missing = logs.filter((d) => !existsSync(d));
  if (missing.length) {
    const hint = options.logs?.length ? '' : ' (the default, where `skywatch demo` writes its logs: run it first, or name your folders with --logs)';
    throw new EngineSetupError(`no log folder at ${missing.join(', ')}${hint}`);
  }
  // The local findings become a small OCSF archive of their own, read by the `findings` view.
  const findingsRoot = mkdtempSync(join(tmpdir(), 'skywatch-findings-'));
  try {
    writeLocalFindingsArchive(options.state, findingsRoot);
    const roots = [...logs, findingsRoot];
    const accounts = options.accounts?.length ? options.accounts : accountsInLogs(roots);
    const engine = await DuckDbQueryEngine.open({ root: roots });
    return {
      engine,
      name: 'duckdb',
      accounts,
      close: () => {
        engine.close();
        rmSync(findingsRoot, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(findingsRoot, { recursive: true, force: true });
    throw error;
  }
}
