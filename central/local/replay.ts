/**
 * Replays local log files through the detection core into the embedded store: the laptop
 * equivalent of the central detector, used by `skywatch replay` and `skywatch demo`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeInput } from '../core/decode/log-object.js';
import type { InputProblem } from '../core/decode/input-problem.js';
import { Detector } from '../core/detector.js';
import type { AsffFinding } from '../core/findings/asff.js';
import { systemClock, type Clock } from '../core/ports.js';
import { RuleEngine, type RuleFailure } from '../core/rules/engine.js';
import type { CompiledRule } from '../core/rules/rule.js';
import { listInputs } from './files.js';
import { LocalFindingSink, type PutCounts } from './finding-sinks.js';
import { SqliteStore } from './sqlite-store.js';

/** Where the embedded state lives inside a state folder. */
export function statePaths(stateDir: string) {
  return { database: join(stateDir, 'skywatch.db'), findingLog: join(stateDir, 'findings.jsonl') };
}

/** Progress after each file. */
export interface ReplayProgress {
  readonly filesDone: number;
  readonly filesTotal: number;
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly events: number;
  readonly findings: number;
}

/** What to replay and where. */
export interface ReplayOptions {
  readonly paths: readonly string[];
  readonly stateDir: string;
  readonly rules: readonly CompiledRule[];
  readonly clock?: Clock;
  readonly onProgress?: (p: ReplayProgress) => void;
}

/** What a replay did. */
export interface ReplayReport {
  readonly files: number;
  readonly events: number;
  /** Inputs deliberately skipped (digest files), with the reason. */
  readonly skipped: ReadonlyArray<{ readonly input: string; readonly reason: string }>;
  /** Inputs or records that could not be used, and notices such as empty files. */
  readonly problems: readonly InputProblem[];
  readonly ruleFailures: readonly RuleFailure[];
  /** The current version of every finding this replay created or updated. */
  readonly findings: readonly AsffFinding[];
  /** What the store did with the finding versions it was given. */
  readonly stored: PutCounts;
}

/** Reads every file below the paths, detects, and stores findings; bad inputs are reported, not fatal. */
export async function replay(options: ReplayOptions): Promise<ReplayReport> {
  const { files, problems: listing } = await listInputs(options.paths);
  const problems: InputProblem[] = listing.map((p) => ({ ...p, level: 'error' as const }));
  const skipped: Array<{ input: string; reason: string }> = [];
  const ruleFailures: RuleFailure[] = [];
  const touched = new Set<string>();
  const paths = statePaths(options.stateDir);
  const store = new SqliteStore(paths.database);
  const sink = new LocalFindingSink(store, paths.findingLog);
  const detector = new Detector({ engine: new RuleEngine(options.rules), state: store, sink, clock: options.clock ?? systemClock });
  const bytesTotal = files.reduce((n, f) => n + f.size, 0);
  let bytesDone = 0;
  let events = 0;
  try {
    for (let i = 0; i < files.length; i++) {
      const file = files[i]!;
      let bytes: Buffer;
      try {
        bytes = await readFile(file.path);
      } catch (err) {
        problems.push({ input: file.path, reason: `cannot read (${(err as Error).message})`, level: 'error' });
        continue;
      }
      const decoded = await decodeInput(file.path, bytes);
      if (decoded.skipped) skipped.push({ input: file.path, reason: decoded.skipped });
      problems.push(...decoded.problems);
      const outcome = await detector.process(decoded.events);
      events += outcome.events;
      ruleFailures.push(...outcome.ruleFailures);
      for (const f of outcome.findings) touched.add(f.Id);
      bytesDone += file.size;
      options.onProgress?.({ filesDone: i + 1, filesTotal: files.length, bytesDone, bytesTotal, events, findings: touched.size });
    }
    const findings = touched.size ? store.listFindings({ ids: [...touched] }) : [];
    return { files: files.length, events, skipped, problems, ruleFailures, findings, stored: { ...sink.counts } };
  } finally {
    store.close();
  }
}
