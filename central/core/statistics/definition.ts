/**
 * A statistics detector, compiled from its file in `rules/statistics/`: which records it counts,
 * by what key, over which window, and how unusual a window must be to be reported. Plain data, so
 * the in-process aggregator and the aggregation SQL (Athena in AWS, DuckDB in tests) read the same
 * definition.
 */
import type { SeverityLabel } from '../rules/schema.js';

/** Which log a detector reads. */
export type LogSource = 'flow' | 'waf';

/**
 * The fields a detector may filter, group or count on. Each has one reading from a decoded record
 * (fields.ts) and one SQL expression over the Glue table (aggregation-sql.ts); nothing else is
 * available, so the two can never disagree about what a field means.
 */
export const FLOW_FIELDS = ['interface', 'srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', 'action', 'bytes', 'packets'] as const;
export const WAF_FIELDS = ['webacl', 'clientip', 'country', 'uri', 'method', 'action', 'rule', 'useragent', 'host'] as const;
export type FlowField = (typeof FLOW_FIELDS)[number];
export type WafField = (typeof WAF_FIELDS)[number];
export type RecordField = FlowField | WafField;

/** A condition on one field; all conditions of a detector must hold for a record to count. */
export type FieldFilter =
  | { readonly field: RecordField; readonly equals: string | number }
  | { readonly field: RecordField; readonly in: readonly (string | number)[] }
  | { readonly field: RecordField; readonly notIn: readonly (string | number)[] }
  /** An address field is public (not RFC 1918, loopback, link-local, CGNAT, ULA, multicast). */
  | { readonly field: 'srcaddr' | 'dstaddr' | 'clientip'; readonly address: 'public' | 'private' };

/** What is measured per key and window. */
export type Metric =
  | { readonly kind: 'count' }
  | { readonly kind: 'sum'; readonly field: 'bytes' | 'packets' }
  | { readonly kind: 'distinct'; readonly field: RecordField }
  /** The share of counted records that also meet `when` (e.g. the BLOCK ratio), 0..1. */
  | { readonly kind: 'ratio'; readonly when: readonly FieldFilter[] };

/** How a key's series is judged. Defaults in DEFAULT_SETTINGS. */
export interface DetectorSettings {
  /** EWMA weight of the newest window (0.3 by default). */
  readonly alpha: number;
  /** Width of the band in standard deviations (3.0 by default). */
  readonly sigma: number;
  /** CUSUM slack and decision threshold, in standard deviations. */
  readonly cusumK: number;
  readonly cusumH: number;
  /** Days of history a baseline needs before it may alert (7 by default). */
  readonly trainDays: number;
  /** A window whose metric is below this is never an anomaly (and a ratio's counted records below it). */
  readonly minVolume: number;
  /** Keys judged per window and scope: the heaviest, the rest folded away (bounded memory). */
  readonly topK: number;
  /** The smallest standard deviation, as a share of the mean, so a flat series does not alert on +1. */
  readonly minRelativeDeviation: number;
  /** The smallest standard deviation in the metric's unit (1 for counts; a ratio needs about 0.02). */
  readonly minDeviation: number;
}

/** Defaults shared by every detector unless its file says otherwise. */
export const DEFAULT_SETTINGS: DetectorSettings = {
  alpha: 0.3,
  sigma: 3.0,
  cusumK: 0.5,
  cusumH: 5,
  trainDays: 7,
  minVolume: 1,
  topK: 100,
  minRelativeDeviation: 0.1,
  minDeviation: 1,
};

/** A statistics detector ready to run. */
export interface StatisticsDetector {
  readonly id: string;
  readonly file: string;
  readonly title: string;
  readonly description: string;
  readonly source: LogSource;
  readonly metric: Metric;
  readonly where: readonly FieldFilter[];
  /** The key fields beyond account and region, which every key and scope start with. */
  readonly key: readonly RecordField[];
  /** The peer group beyond account and region: a prefix-free subset of `key` (may be empty). */
  readonly scope: readonly RecordField[];
  /** Window length and grace period, seconds (default 300 and 900). */
  readonly windowSeconds: number;
  readonly graceSeconds: number;
  readonly settings: DetectorSettings;
  readonly severity: SeverityLabel;
  /** ASFF Types of its findings. */
  readonly types: readonly string[];
  readonly runbook: string;
  /** MITRE ATT&CK technique ids claimed (for coverage and correlation). */
  readonly techniques: readonly string[];
  /** Active detectors notify; staged ones only record. */
  readonly status: 'active' | 'staged';
}
