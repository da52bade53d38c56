/** `skywatch findings`: list what the embedded store holds. */
import { existsSync } from 'node:fs';
import { statePaths } from '../local/replay.js';
import { SqliteStore, type FindingFilter } from '../local/sqlite-store.js';
import { EXIT } from './exit-codes.js';
import { correlationTable, findingsTable } from './findings-view.js';

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
    const findings = store.listFindings({ severity: opts.severity, account: opts.account, ruleId: opts.ruleId, correlated: opts.correlated });
    const table = opts.correlated ? correlationTable : findingsTable;
    const noun = opts.correlated ? 'correlation findings' : 'findings';
    if (opts.json) for (const f of findings) process.stdout.write(JSON.stringify(f) + '\n');
    else process.stdout.write(findings.length ? `${table(findings)}\n\n${findings.length} ${noun}\n` : `No ${noun}.\n`);
    return EXIT.ok;
  } finally {
    store.close();
  }
}
