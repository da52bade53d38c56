/** `skywatch findings`: list what the embedded store holds. */
import { existsSync } from 'node:fs';
import { statePaths } from '../local/replay.js';
import { SqliteStore, type FindingFilter } from '../local/sqlite-store.js';
import { EXIT } from './exit-codes.js';
import { findingsTable } from './findings-view.js';

/** Options of `skywatch findings`. */
export interface FindingsCommandOptions extends FindingFilter {
  readonly state: string;
  readonly json?: boolean;
}

/** Prints findings at or above a severity, optionally for one account or rule. */
export function findingsCommand(opts: FindingsCommandOptions): number {
  const { database } = statePaths(opts.state);
  if (!existsSync(database)) {
    process.stderr.write(`skywatch: no state at ${database}; run \`skywatch replay\` or \`skywatch demo\` first\n`);
    return EXIT.usage;
  }
  const store = new SqliteStore(database);
  try {
    const findings = store.listFindings({ severity: opts.severity, account: opts.account, ruleId: opts.ruleId });
    if (opts.json) for (const f of findings) process.stdout.write(JSON.stringify(f) + '\n');
    else process.stdout.write(findings.length ? `${findingsTable(findings)}\n\n${findings.length} findings\n` : 'No findings.\n');
    return EXIT.ok;
  } finally {
    store.close();
  }
}
