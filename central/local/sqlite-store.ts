/**
 * The embedded store: one SQLite file (default `.skywatch/skywatch.db`) holding the core's state
 * and the findings, with Security Hub's create/update semantics. libsql ships a prebuilt binary, so
 * installing needs no compiler.
 */
import Database from 'libsql';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AsffFinding } from '../core/findings/asff.js';
import type { SecurityEvent } from '../core/event.js';
import type { StateStore, Versioned } from '../core/ports.js';
import { severityRank, type SeverityLabel } from '../core/rules/schema.js';

/** What happened to one finding written with Security Hub's semantics. */
export type PutOutcome = 'created' | 'updated' | 'ignored';

/** Filters for listing findings. */
export interface FindingFilter {
  readonly severity?: string;
  readonly account?: string;
  readonly ruleId?: string;
  readonly ids?: readonly string[];
  /** Only correlation findings (those naming a correlation rule). */
  readonly correlated?: boolean;
}

const SCHEMA = `
  PRAGMA journal_mode = WAL;
  PRAGMA synchronous = NORMAL;
  CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL, version INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS members (set_key TEXT NOT NULL, member TEXT NOT NULL, PRIMARY KEY (set_key, member)) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS findings (
    product_arn TEXT NOT NULL, id TEXT NOT NULL, rule_id TEXT NOT NULL, account TEXT NOT NULL, region TEXT NOT NULL,
    severity TEXT NOT NULL, severity_rank INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    record_state TEXT NOT NULL, document TEXT NOT NULL, PRIMARY KEY (product_arn, id)) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS findings_by_update ON findings (updated_at);
  CREATE TABLE IF NOT EXISTS signals (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, account TEXT NOT NULL, region TEXT NOT NULL, time TEXT NOT NULL,
    name TEXT NOT NULL, document TEXT NOT NULL) WITHOUT ROWID;
`;

/** One row of the state table, its value parsed. */
export interface StateEntry<T = unknown> {
  readonly key: string;
  readonly value: T;
  readonly version: number;
}

/** A local database file implementing the StateStore port and a Security Hub-like finding table. */
export class SqliteStore implements StateStore {
  private readonly db: Database.Database;
  // Prepared once: a replay calls these for every file that produced a hit.
  private readonly sql: ReturnType<typeof prepareStatements>;

  constructor(readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.exec(SCHEMA);
    this.sql = prepareStatements(this.db);
  }

  async get<T>(key: string): Promise<Versioned<T> | undefined> {
    const row = this.sql.getState.get(key) as { value: string; version: number } | undefined;
    return row ? { value: JSON.parse(row.value) as T, version: row.version } : undefined;
  }

  async put<T>(key: string, value: T, expectedVersion: number | undefined): Promise<boolean> {
    const json = JSON.stringify(value);
    const result =
      expectedVersion === undefined
        ? this.sql.insertState.run(key, json)
        : this.sql.updateState.run(json, key, expectedVersion);
    return result.changes === 1;
  }

  /**
   * The state entries whose key starts with `prefix`, in key order, at most `limit` of them. Read
   * only: `skywatch baselines` lists what the statistics core learned without going through it.
   */
  listState<T = unknown>(prefix: string, limit?: number): Array<StateEntry<T>> {
    const upper = prefixUpperBound(prefix);
    // A range on the primary key walks the index from the prefix on; LIKE would need the user's
    // text escaped and is case-insensitive, so SQLite could not use the index for it.
    const rows = (upper === undefined ? this.sql.listStateFrom.all(prefix, limit ?? -1) : this.sql.listStateRange.all(prefix, upper, limit ?? -1)) as Array<{ key: string; value: string; version: number }>;
    return rows.map((r) => ({ key: r.key, value: JSON.parse(r.value) as T, version: r.version }));
  }

  async unseen(setKey: string, members: readonly string[]): Promise<string[]> {
    const out: string[] = [];
    const seen = new Set<string>();
    for (const m of members) {
      if (seen.has(m)) continue;
      seen.add(m);
      if (!this.sql.hasMember.get(setKey, m)) out.push(m);
    }
    return out;
  }

  async remember(setKey: string, members: readonly string[]): Promise<void> {
    this.db.transaction(() => {
      for (const m of members) this.sql.addMember.run(setKey, m);
    })();
  }

  /**
   * Writes findings as Security Hub does: a new (ProductArn, Id) is created; an existing one is replaced
   * only when UpdatedAt is later, keeping the first CreatedAt; an equal or earlier UpdatedAt is ignored.
   */
  putFindings(findings: readonly AsffFinding[]): PutOutcome[] {
    const { currentFinding: current, upsertFinding: upsert } = this.sql;
    return this.db.transaction(() =>
      findings.map((f): PutOutcome => {
        const row = current.get(f.ProductArn, f.Id) as { created_at: string; updated_at: string } | undefined;
        if (row && Date.parse(f.UpdatedAt) <= Date.parse(row.updated_at)) return 'ignored';
        const stored = row ? { ...f, CreatedAt: row.created_at } : f;
        upsert.run({
          productArn: f.ProductArn,
          id: f.Id,
          ruleId: f.ProductFields['skywatch/RuleId'] ?? f.GeneratorId,
          account: f.AwsAccountId,
          region: f.Region,
          severity: f.Severity.Label,
          rank: severityRank(f.Severity.Label),
          createdAt: stored.CreatedAt,
          updatedAt: f.UpdatedAt,
          recordState: f.RecordState,
          document: JSON.stringify(stored),
        });
        return row ? 'updated' : 'created';
      }),
    )();
  }

  /**
   * Keeps GuardDuty findings and Config compliance changes as they came (the local stand-in for the
   * notifier's signals): a signal no rule restates is still there to list and correlate. Returns how
   * many were new.
   */
  putSignals(events: readonly SecurityEvent[]): number {
    const insert = this.sql.insertSignal;
    return this.db.transaction(() => events.reduce((n, e) => n + insert.run(e.id, e.kind, e.account, e.region, e.time, e.name, JSON.stringify(e.raw)).changes, 0))();
  }

  /** Findings, most severe and most recent first. */
  listFindings(filter: FindingFilter = {}): AsffFinding[] {
    const where: string[] = [];
    const args: Record<string, string | number> = {};
    if (filter.severity) {
      where.push('severity_rank >= @rank');
      args.rank = severityRank(filter.severity as SeverityLabel);
    }
    if (filter.account) (where.push('account = @account'), (args.account = filter.account));
    if (filter.ruleId) (where.push('rule_id = @ruleId'), (args.ruleId = filter.ruleId));
    if (filter.ids) (where.push('id IN (SELECT value FROM json_each(@ids))'), (args.ids = JSON.stringify(filter.ids)));
    if (filter.correlated) where.push(`json_extract(document, '$.ProductFields."skywatch/CorrelationRule"') IS NOT NULL`);
    const sql = `SELECT document FROM findings ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY severity_rank DESC, updated_at DESC, id`;
    return (this.db.prepare(sql).all(args) as Array<{ document: string }>).map((r) => JSON.parse(r.document) as AsffFinding);
  }

  close(): void {
    this.db.close();
  }
}

/**
 * The smallest string above every string that starts with `prefix`, in SQLite's binary (UTF-8)
 * order, which is code point order: the prefix with its last code point incremented. Undefined when
 * there is none (an empty prefix, or one of U+10FFFF only): every key from the prefix on matches.
 */
export function prefixUpperBound(prefix: string): string | undefined {
  const points = Array.from(prefix, (c) => c.codePointAt(0)!);
  while (points.length && points[points.length - 1] === 0x10ffff) points.pop();
  if (!points.length) return undefined;
  const last = points.pop()! + 1;
  // Surrogate code points cannot be stored as UTF-8: the next storable one follows them.
  points.push(last >= 0xd800 && last <= 0xdfff ? 0xe000 : last);
  return String.fromCodePoint(...points);
}

function prepareStatements(db: Database.Database) {
  return {
    getState: db.prepare('SELECT value, version FROM state WHERE key = ?'),
    insertState: db.prepare('INSERT OR IGNORE INTO state (key, value, version) VALUES (?, ?, 1)'),
    updateState: db.prepare('UPDATE state SET value = ?, version = version + 1 WHERE key = ? AND version = ?'),
    listStateRange: db.prepare('SELECT key, value, version FROM state WHERE key >= ? AND key < ? ORDER BY key LIMIT ?'),
    listStateFrom: db.prepare('SELECT key, value, version FROM state WHERE key >= ? ORDER BY key LIMIT ?'),
    hasMember: db.prepare('SELECT 1 FROM members WHERE set_key = ? AND member = ?'),
    addMember: db.prepare('INSERT OR IGNORE INTO members (set_key, member) VALUES (?, ?)'),
    insertSignal: db.prepare('INSERT OR IGNORE INTO signals (id, kind, account, region, time, name, document) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    currentFinding: db.prepare('SELECT created_at, updated_at FROM findings WHERE product_arn = ? AND id = ?'),
    upsertFinding: db.prepare(
      `INSERT OR REPLACE INTO findings (product_arn, id, rule_id, account, region, severity, severity_rank, created_at, updated_at, record_state, document)
       VALUES (@productArn, @id, @ruleId, @account, @region, @severity, @rank, @createdAt, @updatedAt, @recordState, @document)`,
    ),
  };
}
