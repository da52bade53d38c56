/**
 * The statistics detector file format (`rules/statistics/*.yaml`): the metric, the key, the
 * window, the detector settings, severity, ASFF types, runbook, and tests. See docs/statistics.md.
 */
import { z } from 'zod';
import { AsffType, DURATION, SEVERITY_LABELS } from '../rules/schema.js';
import { FLOW_FIELDS, WAF_FIELDS } from './definition.js';

const Field = z.enum([...new Set([...FLOW_FIELDS, ...WAF_FIELDS])] as [string, ...string[]]);
const Scalar = z.union([z.string(), z.number()]);

const FilterSchema = z.union([
  z.object({ field: Field, equals: Scalar }).strict(),
  z.object({ field: Field, in: z.array(Scalar).min(1) }).strict(),
  z.object({ field: Field, notIn: z.array(Scalar).min(1) }).strict(),
  z.object({ field: z.enum(['srcaddr', 'dstaddr', 'clientip']), address: z.enum(['public', 'private']) }).strict(),
]);

const MetricSchema = z.union([
  z.literal('count'),
  z.object({ sum: z.enum(['bytes', 'packets']) }).strict(),
  z.object({ distinct: Field }).strict(),
  z.object({ ratio: z.array(FilterSchema).min(1) }).strict(),
]);

const SettingsSchema = z
  .object({
    alpha: z.number().gt(0).lte(1),
    sigma: z.number().gt(0).lte(20),
    cusumK: z.number().min(0).lte(10),
    cusumH: z.number().gt(0).lte(100),
    trainDays: z.number().min(0).lte(90),
    minVolume: z.number().min(0),
    topK: z.number().int().min(1).max(10_000),
    minRelativeDeviation: z.number().min(0).lte(10),
    minDeviation: z.number().gt(0),
  })
  .partial()
  .strict();

/** A record in a test: field values of the detector's vocabulary, plus `account`, `region`, and `repeat`. */
const TestRecordSchema = z.record(z.string(), Scalar);

const TestSchema = z
  .object({
    name: z.string().min(1),
    /** Records every window of the training period holds (the detector's trainDays plus a day). */
    train: z.array(TestRecordSchema).default([]),
    /** Records of the window judged after training. */
    window: z.array(TestRecordSchema).min(1),
    expect: z
      .object({
        anomalies: z.number().int().min(0),
        reason: z.enum(['band', 'cusum', 'peers']).optional(),
        /** The key fields (beyond account and region) of the first anomaly. */
        key: z.array(Scalar).optional(),
      })
      .strict(),
  })
  .strict();

/** One detector file. */
export const StatisticsFileSchema = z
  .object({
    statistics: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lowercase words joined by hyphens, the file name'),
    title: z.string().min(1).max(200),
    status: z.enum(['active', 'staged']).default('active'),
    description: z.string().min(1).max(600),
    source: z.enum(['flow', 'waf']),
    where: z.array(FilterSchema).default([]),
    metric: MetricSchema,
    key: z.array(Field).min(1).max(4),
    scope: z.array(Field).max(3).default([]),
    window: z.string().regex(DURATION).default('5m'),
    grace: z.string().regex(DURATION).default('15m'),
    settings: SettingsSchema.default({}),
    severity: z.enum(SEVERITY_LABELS),
    techniques: z.array(z.string().regex(/^T\d{4}(\.\d{3})?$/)).default([]),
    types: z.array(AsffType).min(1).max(50),
    runbook: z.string().min(1),
    references: z.array(z.string().url()).default([]),
    tests: z.array(TestSchema).min(2),
  })
  .strict();

/** A parsed detector file. */
export type StatisticsFile = z.infer<typeof StatisticsFileSchema>;
/** A parsed test of a detector file. */
export type StatisticsTest = z.infer<typeof TestSchema>;
