/**
 * TEMPORARY: the correlation engine's output, as agreed with the engine's author. The engine defines
 * `CompiledCorrelation` in `./compile.js` and `CorrelationMatch` in `./engine.js`; until those land,
 * these copies stand in for them, field for field. At merge, delete this file and import the two
 * types from there (finding.ts and the tests are the only users).
 */
import type { SeverityLabel } from '../rules/schema.js';
import type { StoredObservation } from './observation.js';

/** A correlation rule, compiled (TEMPORARY copy of `./compile.js`'s). */
export interface CompiledCorrelation {
  readonly id: string;
  readonly file: string;
  readonly title: string;
  readonly description: string;
  readonly name?: string;
  readonly type: 'event_count' | 'value_count' | 'temporal' | 'temporal_ordered';
  readonly refs: readonly string[];
  readonly groupBy: readonly string[];
  readonly timespanMs: number;
  readonly minimum: number;
  readonly field?: string;
  readonly aliases: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly severity: SeverityLabel;
  readonly status: 'active' | 'staged';
  readonly types: readonly string[];
  readonly mitre: readonly string[];
  readonly tactics: readonly string[];
  readonly runbook: string;
  readonly reference?: string;
  readonly falsePositives: readonly string[];
}

/** One window of one group in which a correlation rule's condition held (TEMPORARY copy of `./engine.js`'s). */
export interface CorrelationMatch {
  readonly rule: CompiledCorrelation;
  /** Group-by name to value, e.g. `{ 'actor.accessKeyId': 'AKIA...', sourceIp: '203.0.113.7' }`. */
  readonly group: Readonly<Record<string, string>>;
  /** The window (bucket), RFC 3339. */
  readonly windowStart: string;
  readonly windowEnd: string;
  /** In time order. */
  readonly observations: readonly StoredObservation[];
  /** Sorted distinct accounts. */
  readonly accounts: readonly string[];
}
