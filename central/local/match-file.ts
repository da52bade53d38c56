/**
 * Reads, decodes and matches one input file. The same function runs inline and inside worker
 * threads; its result is plain data (structured-clone safe) so it can cross a thread boundary.
 */
import { open } from 'node:fs/promises';
import type { InputProblem } from '../core/decode/input-problem.js';
import { DEFAULT_INPUT_LIMITS, type InputLimits } from '../core/decode/limits.js';
import { decodeInput } from '../core/decode/log-object.js';
import { matchEvents } from '../core/detector.js';
import type { SecurityEvent } from '../core/event.js';
import type { RuleEngine, RuleFailure, RuleHit } from '../core/rules/engine.js';
import { thinFirstSeenHits } from '../core/rules/first-seen-thinning.js';
import type { SeverityLabel } from '../core/rules/schema.js';
import type { IocMatcher } from '../core/ioc/matcher.js';
import { eventIocSightings, type IocSightingData } from '../core/ioc/record-sightings.js';

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
  /**
   * Events the rules see but that stand on their own too: GuardDuty and Config signals, kept and
   * correlated, and object-scan results, which carry their own findings.
   */
  readonly unmatched?: SecurityEvent[];
  /** CloudTrail events whose source address or user agent is on an IOC list, with the hits. */
  readonly iocSightings?: IocSightingData[];
}


/**
 * Reads and matches one file; unreadable files and files over the size limit become problems. A
 * failure in decoding or matching is thrown, for the caller to report with the file's name.
 */
export async function matchFile(path: string, engine: RuleEngine, limits: InputLimits = DEFAULT_INPUT_LIMITS, ioc?: IocMatcher): Promise<FileMatch> {
  return matchInput(path, await readInput(path, limits), engine, limits, ioc);
}

/** A file's bytes, or the problem that kept them from being read. */
export type ReadInput = { readonly bytes: Buffer } | { readonly problem: FileMatch };

/** Reads one file within the size limit; never throws. */
export async function readInput(path: string, limits: InputLimits = DEFAULT_INPUT_LIMITS): Promise<ReadInput> {
  const problem = (reason: string): ReadInput => ({ problem: { input: path, events: 0, problems: [{ input: path, reason, level: 'error' }], hits: [], failures: [] } });
  try {
    // The size is read from the open file, so a file that changed since it was listed is still measured.
    const file = await open(path);
    try {
      const { size } = await file.stat();
      if (size > limits.maxFileBytes) return problem(`file of ${size} bytes is over the limit of ${limits.maxFileBytes} bytes; not read`);
      // One read into a buffer of the measured size (readFile would stat again and read in chunks);
      // a file that grew meanwhile is read up to its measured size.
      const bytes = Buffer.allocUnsafe(size);
      let filled = 0;
      while (filled < size) {
        const { bytesRead } = await file.read(bytes, filled, size - filled, filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return { bytes: filled === size ? bytes : bytes.subarray(0, filled) };
    } finally {
      await file.close();
    }
  } catch (err) {
    return problem(`cannot read (${(err as Error).message})`);
  }
}

/** Decodes and matches what `readInput` gave. */
export async function matchInput(path: string, read: ReadInput, engine: RuleEngine, limits: InputLimits = DEFAULT_INPUT_LIMITS, ioc?: IocMatcher): Promise<FileMatch> {
  if ('problem' in read) return read.problem;
  const decoded = await decodeInput(path, read.bytes, { maxTextBytes: limits.maxTextBytes });
  // Scan results carry their own findings; the rules see the rest (as the central detector does).
  const { hits, failures } = matchEvents(engine, decoded.events.filter((e) => e.kind !== 'objectscan'));
  return {
    input: path,
    events: decoded.events.length,
    skipped: decoded.skipped,
    problems: decoded.problems,
    // Only the sightings a first-seen gate can learn from cross the thread boundary (first-seen-thinning.ts).
    hits: thinFirstSeenHits(hits).map((h) => ({ ruleId: h.rule.id, severity: h.severity, event: h.event })),
    failures,
    unmatched: decoded.events.filter((e) => e.kind !== 'cloudtrail'),
    ...(ioc && { iocSightings: eventIocSightings(decoded.events, ioc) }),
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
