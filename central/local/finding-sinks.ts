/** Embedded finding sinks: the local database (Security Hub semantics) and an append-only JSON-lines log. */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AsffFinding } from '../core/findings/asff.js';
import type { FindingSink } from '../core/ports.js';
import type { PutOutcome, SqliteStore } from './sqlite-store.js';

/** Counts of what the database did with the findings it was given. */
export type PutCounts = Record<PutOutcome, number>;

/** Stores findings in the local database and appends every accepted version to a JSON-lines file. */
export class LocalFindingSink implements FindingSink {
  readonly counts: PutCounts = { created: 0, updated: 0, ignored: 0 };

  constructor(private readonly store: SqliteStore, private readonly logFile: string) {
    mkdirSync(dirname(logFile), { recursive: true });
  }

  async put(findings: readonly AsffFinding[]): Promise<void> {
    const outcomes = this.store.putFindings(findings);
    const accepted: string[] = [];
    outcomes.forEach((outcome, i) => {
      this.counts[outcome]++;
      if (outcome !== 'ignored') accepted.push(JSON.stringify(findings[i]));
    });
    if (accepted.length) appendFileSync(this.logFile, accepted.join('\n') + '\n');
  }
}
