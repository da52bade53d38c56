/**
 * Reads, decodes and matches one input file. The same function runs inline and inside worker
 * threads; its result is plain data (structured-clone safe) so it can cross a thread boundary.
 */
import { readFile } from 'node:fs/promises';
import type { InputProblem } from '../core/decode/input-problem.js';
import { decodeInput } from '../core/decode/log-object.js';
import { matchEvents } from '../core/detector.js';
import type { SecurityEvent } from '../core/event.js';
import type { RuleEngine, RuleFailure, RuleHit } from '../core/rules/engine.js';
import type { SeverityLabel } from '../core/rules/schema.js';

/** A rule hit as data: the rule by id, re-linked to the compiled rule by the receiver. */
export interface HitData {
  readonly ruleId: string;
  readonly severity: SeverityLabel;
  readonly event: SecurityEvent;
}

/** What one file yielded. */
export interface FileMatch {
  readonly input: string;
  readonly events: number;
  readonly skipped?: string;
  readonly problems: InputProblem[];
  readonly hits: HitData[];
  readonly failures: RuleFailure[];
}

/** Reads and matches one file; unreadable files become problems. */
export async function matchFile(path: string, engine: RuleEngine): Promise<FileMatch> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    return { input: path, events: 0, problems: [{ input: path, reason: `cannot read (${(err as Error).message})`, level: 'error' }], hits: [], failures: [] };
  }
  const decoded = await decodeInput(path, bytes);
  const { hits, failures } = matchEvents(engine, decoded.events);
  return {
    input: path,
    events: decoded.events.length,
    skipped: decoded.skipped,
    problems: decoded.problems,
    hits: hits.map((h) => ({ ruleId: h.rule.id, severity: h.severity, event: h.event })),
    failures,
  };
}

/** Re-links hits received as data to the receiver's compiled rules. */
export function relinkHits(hits: readonly HitData[], rulesById: ReadonlyMap<string, RuleHit['rule']>): RuleHit[] {
  return hits.map((h) => {
    const rule = rulesById.get(h.ruleId);
    if (!rule) throw new Error(`hit for unknown rule ${h.ruleId}: workers and the main thread must load the same rules`);
    return { rule, severity: h.severity, event: h.event };
  });
}
