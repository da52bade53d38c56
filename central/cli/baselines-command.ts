/** `skywatch baselines`: what the statistics detectors have learned, read from the local state. */
import { existsSync } from 'node:fs';
import { problemLocation } from '../core/rules/load.js';
import { statePaths } from '../local/replay.js';
import { SqliteStore } from '../local/sqlite-store.js';
import { loadStatisticsFolders } from '../local/statistics-files.js';
import { listBaselines, statisticsPrefix, type BaselineFilter } from './baselines-listing.js';
import { baselinesTable, peersTable } from './baselines-view.js';
import { EXIT } from './exit-codes.js';

/** Options of `skywatch baselines`. */
export interface BaselinesCommandOptions extends BaselineFilter {
  readonly state: string;
  readonly json?: boolean;
}

/** Prints the key and peer baselines of the state, optionally of one detector or matching keys. */
export function baselinesCommand(opts: BaselinesCommandOptions): number {
  const { database } = statePaths(opts.state);
  if (!existsSync(database)) {
    process.stderr.write(`skywatch: no state at ${database}; run \`skywatch replay\` or \`skywatch demo\` first\n`);
    return EXIT.usage;
  }
  const loaded = loadStatisticsFolders();
  for (const p of loaded.problems) process.stderr.write(`skywatch: statistics detector error: ${problemLocation(p)}: ${p.reason}\n`);
  const store = new SqliteStore(database);
  let listed;
  try {
    listed = listBaselines(store.listState(statisticsPrefix(opts.detector)), loaded.detectors.map((d) => d.detector), opts);
  } finally {
    store.close();
  }
  const code = loaded.problems.length ? EXIT.partial : EXIT.ok;
  if (opts.json) {
    process.stdout.write(JSON.stringify(listed) + '\n');
    return code;
  }
  const { baselines, peers } = listed;
  if (!baselines.length && !peers.length) {
    const filtered = opts.detector !== undefined || opts.key !== undefined;
    process.stdout.write(filtered ? 'No baselines match the filters.\n' : 'No baselines yet: `skywatch replay` learns them from VPC Flow Logs and AWS WAF logs.\n');
    return code;
  }
  // Colour only for a person at a terminal who did not opt out (https://no-color.org).
  const colour = process.stdout.isTTY === true && !process.env.NO_COLOR;
  const inEpisode = baselines.filter((b) => b.episode).length;
  const out = [`${plural(baselines.length, 'key baseline')}, ${inEpisode} with an anomaly episode`, ''];
  if (baselines.length) out.push(baselinesTable(baselines, { colour }), '');
  out.push(plural(peers.length, 'peer baseline'), '');
  if (peers.length) out.push(peersTable(peers), '');
  process.stdout.write(out.join('\n'));
  return code;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
