/** `skywatch baselines`: what the statistics detectors and the behaviour rules have learned, read from the local state. */
import { existsSync } from 'node:fs';
import { problemLocation } from '../core/rules/load.js';
import { statePaths } from '../local/replay.js';
import { SqliteStore } from '../local/sqlite-store.js';
import { loadStatisticsFolders } from '../local/statistics-files.js';
import { loadRuleFolders } from '../local/rule-files.js';
import { listBaselines, statisticsPrefix, type BaselineFilter } from './baselines-listing.js';
import { baselinesTable, peersTable } from './baselines-view.js';
import { listBehaviours, SEEN_PREFIX, VOLUME_PREFIX } from './behaviour-listing.js';
import { firstSeenTable, volumeTable } from './behaviour-view.js';
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
  const rules = loadRuleFolders().rules;
  const store = new SqliteStore(database);
  let listed;
  try {
    const behaviourFilter = { rule: opts.detector, key: opts.key };
    const behaviours = listBehaviours([...store.listState(VOLUME_PREFIX), ...store.listState(SEEN_PREFIX)], rules, behaviourFilter);
    listed = { ...listBaselines(store.listState(statisticsPrefix(opts.detector)), loaded.detectors.map((d) => d.detector), opts), ...behaviours };
  } finally {
    store.close();
  }
  const code = loaded.problems.length ? EXIT.partial : EXIT.ok;
  if (opts.json) {
    process.stdout.write(JSON.stringify(listed) + '\n');
    return code;
  }
  const { baselines, peers, volumes, firstSeen } = listed;
  if (!baselines.length && !peers.length && !volumes.length && !firstSeen.length) {
    const filtered = opts.detector !== undefined || opts.key !== undefined;
    process.stdout.write(filtered ? 'No baselines match the filters.\n' : 'No baselines yet: `skywatch replay` learns them from CloudTrail, VPC Flow Logs and AWS WAF logs.\n');
    return code;
  }
  // Colour only for a person at a terminal who did not opt out (https://no-color.org).
  const colour = process.stdout.isTTY === true && !process.env.NO_COLOR;
  const inEpisode = baselines.filter((b) => b.episode).length;
  const out = [`${plural(baselines.length, 'key baseline')}, ${inEpisode} with an anomaly episode`, ''];
  if (baselines.length) out.push(baselinesTable(baselines, { colour }), '');
  out.push(plural(peers.length, 'peer baseline'), '');
  if (peers.length) out.push(peersTable(peers), '');
  // Behaviour rules learn from CloudTrail: a state of network logs alone has none, and says nothing of them.
  if (volumes.length) out.push(plural(volumes.length, 'provisioning volume baseline'), '', volumeTable(volumes), '');
  if (firstSeen.length) out.push(plural(firstSeen.length, 'first-seen history', 'first-seen histories'), '', firstSeenTable(firstSeen), '');
  process.stdout.write(out.join('\n'));
  return code;
}

function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : nouns}`;
}
