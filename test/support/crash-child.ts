/**
 * A child process for crash tests: detects over one input file into a state folder exactly as
 * `skywatch replay` does, and kills itself with SIGKILL while the first findings are being stored,
 * after the ledger was updated and before the findings and evidence were written: the worst moment.
 *
 * Usage: node --import tsx test/support/crash-child.ts <state dir> <input file>
 */
import { readFileSync } from 'node:fs';
import { decodeInput } from '../../central/core/decode/log-object.js';
import { Detector } from '../../central/core/detector.js';
import type { AsffFinding } from '../../central/core/findings/asff.js';
import { systemClock, type FindingSink } from '../../central/core/ports.js';
import { RuleEngine } from '../../central/core/rules/engine.js';
import { statePaths } from '../../central/local/replay.js';
import { loadRuleFolders } from '../../central/local/rule-files.js';
import { SqliteStore } from '../../central/local/sqlite-store.js';

const [stateDir, input] = process.argv.slice(2) as [string, string];
const store = new SqliteStore(statePaths(stateDir).database);
const dying: FindingSink = {
  async put(_findings: readonly AsffFinding[]) {
    process.kill(process.pid, 'SIGKILL');
    await new Promise(() => {});
  },
};
const detector = new Detector({ engine: new RuleEngine(loadRuleFolders().rules), state: store, sink: dying, clock: systemClock });
const { events } = await decodeInput(input, readFileSync(input));
await detector.process(events);
