/**
 * The correlation rule file format: a Sigma correlation rule (specification v2.0) plus an optional
 * `skywatch:` section for what a Security Hub finding needs. This schema accepts what Sigma allows
 * and says what is malformed; what Skywatch does not run among valid Sigma (upper bounds, chaining,
 * the 2.x value_sum family) is decided in compile.ts and load.ts, so those are reported as
 * unsupported rather than as broken files.
 */
import { z } from 'zod';
import { AsffType, DURATION } from '../rules/schema.js';

/** The correlation types Skywatch evaluates. */
export const CORRELATION_TYPES = ['event_count', 'value_count', 'temporal', 'temporal_ordered'] as const;
/** One of the correlation types Skywatch evaluates. */
export type CorrelationType = (typeof CORRELATION_TYPES)[number];

/** Types added by Sigma 2.x extensions that aggregate a field's values instead of counting: not run. */
export const AGGREGATE_TYPES = ['value_sum', 'value_avg', 'value_percentile', 'value_median'] as const;

/** Sigma levels, lowest first. */
export const SIGMA_LEVEL_NAMES = ['informational', 'low', 'medium', 'high', 'critical'] as const;

/** Sigma statuses: stable and test rules are active, the others staged (recorded, not notified). */
export const SIGMA_STATUSES = ['stable', 'test', 'experimental', 'deprecated', 'unsupported'] as const;

/** A Skywatch rule id: lowercase words joined by hyphens, the file's name. */
export const CORRELATION_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** A SigmaHQ-style id: a UUID, any version, which need not match the file's name. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const Count = z.number().int().min(0);
const Unique = (list: readonly string[]) => new Set(list).size === list.length;

/**
 * When a correlation matches: bounds on a count, all of which must hold (`gt: 100, lte: 200` is a
 * range), and for value_count the field whose distinct values are counted.
 */
const ConditionSchema = z
  .object({
    gt: Count.optional(),
    gte: Count.optional(),
    lt: Count.optional(),
    lte: Count.optional(),
    eq: Count.optional(),
    field: z.union([z.string().min(1).max(256), z.array(z.string().min(1).max(256)).min(1)]).optional(),
  })
  .strict();
/** A validated `condition:`. */
export type CorrelationCondition = z.infer<typeof ConditionSchema>;

/** The `correlation:` section. */
const CorrelationSectionSchema = z
  .object({
    type: z.enum(CORRELATION_TYPES),
    rules: z.array(z.string().min(1)).min(1).refine(Unique, { message: 'each rule is listed once' }),
    /** Sigma requires it; omitted here it means one group for every observation of the rule. */
    'group-by': z.array(z.string().min(1)).refine(Unique, { message: 'each field is listed once' }).default([]),
    timespan: z
      .string()
      .regex(DURATION, 'must be a number and a unit: 30s, 10m, 1h, 7d')
      .refine((t) => !/^0+[smhd]$/.test(t), { message: 'must be longer than zero' }),
    condition: ConditionSchema.optional(),
    /** `alias: { <entry of rules:>: <field in that rule's observations> }`. */
    aliases: z.record(z.string().min(1), z.record(z.string().min(1), z.string().min(1))).default({}),
    /** Whether a converter should also emit the referenced rules: meaningless here, accepted. */
    generate: z.boolean().optional(),
  })
  .strict();

/** An account id as a string: YAML reads an unquoted 012345678901 as a number and drops the zero. */
const AccountId = z.string().regex(/^\d{12}$/, 'must be a 12-digit account id, quoted');

/** A test case, carried as data for the correlation test runner: records in, findings expected. */
const CorrelationTestSchema = z
  .object({
    name: z.string().min(1),
    events: z.array(z.record(z.string(), z.unknown())).min(1),
    expect: z
      .object({
        findings: z.number().int().min(0),
        accounts: z.array(AccountId).optional(),
        /** Other correlation rules these events rightly fire too: any other that fires fails the case. */
        alsoFires: z.array(z.string().min(1)).optional(),
      })
      .strict(),
  })
  .strict();

/** What Skywatch adds to a Sigma correlation: the finding's types, the runbook, test cases. */
const SkywatchSectionSchema = z
  .object({
    types: z.array(AsffType).min(1).max(50).optional(),
    runbook: z.string().min(1).optional(),
    tests: z.array(CorrelationTestSchema).default([]),
  })
  .strict();

/** Sigma metadata Skywatch reads nothing from but accepts, so SigmaHQ files load as written. */
const Ignored = z.unknown().optional();

/** One correlation rule file. */
export const CorrelationFileSchema = z
  .object({
    title: z.string().min(1).max(256),
    id: z.string().refine((id) => CORRELATION_ID.test(id) || UUID.test(id), { message: 'must be lowercase words joined by hyphens (the file name), or a UUID' }),
    name: z.string().min(1).optional(),
    status: z.enum(SIGMA_STATUSES).default('test'),
    description: z.string().min(1).max(65_535).optional(),
    level: z.enum(SIGMA_LEVEL_NAMES).default('medium'),
    tags: z.array(z.string().min(1)).default([]),
    references: z.array(z.string().min(1)).default([]),
    falsepositives: z.union([z.string(), z.array(z.string())]).optional(),
    correlation: CorrelationSectionSchema,
    /** The specification puts `generate` beside `level`; examples put it in `correlation`. Both are accepted. */
    generate: z.boolean().optional(),
    skywatch: SkywatchSectionSchema.optional(),
    author: Ignored,
    date: Ignored,
    modified: Ignored,
    related: Ignored,
    license: Ignored,
    taxonomy: Ignored,
    fields: Ignored,
    scope: Ignored,
  })
  .strict();

/** A validated correlation rule file. */
export type CorrelationFile = z.infer<typeof CorrelationFileSchema>;
/** A validated test case. */
export type CorrelationTestDefinition = z.infer<typeof CorrelationTestSchema>;
