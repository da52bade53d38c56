/**
 * An investigation: a named, parameterized query over the log tables, as one YAML file of
 * `rules/queries/`. The file holds one SQL text for both engines; parameters are written `:name` and
 * become positional `?` placeholders when bound (bind.ts), never spliced into the SQL.
 */
import { z } from 'zod';

/** The tables an investigation may read: the three log tables and our own findings (OCSF archive). */
export const QUERY_TABLES = ['cloudtrail', 'vpc_flow_logs', 'waf_logs', 'findings'] as const;
/** One of QUERY_TABLES. */
export type QueryTable = (typeof QUERY_TABLES)[number];

/** What a parameter value must look like; values are checked before anything runs. */
export const PARAMETER_TYPES = ['string', 'principal', 'ip', 'access-key', 'account', 'integer', 'region'] as const;
/** One of PARAMETER_TYPES. */
export type ParameterType = (typeof PARAMETER_TYPES)[number];

/**
 * The finding fields an investigation can take a parameter from: ASFF product fields by name, and
 * the finding's own account.
 */
export const PIVOT_FIELDS = ['skywatch/ActorArn', 'skywatch/AccessKeyId', 'skywatch/SourceIp', 'skywatch/RuleId', 'AwsAccountId'] as const;
/** One of PIVOT_FIELDS. */
export type PivotField = (typeof PIVOT_FIELDS)[number];

/**
 * The parameters every investigation has, bound from the time range and the accounts: `:accounts`
 * expands to one placeholder per account (`account IN (:accounts)`), the others are one value each.
 */
export const COMMON_PARAMETERS = {
  accounts: 'the accounts to read, one placeholder each (account IN (:accounts))',
  from_day: "first day partition, 'YYYY/MM/DD' (cloudtrail, vpc_flow_logs, waf_logs)",
  to_day: "last day partition, 'YYYY/MM/DD'",
  from_date: "first day partition of the findings archive, 'YYYY-MM-DD'",
  to_date: "last day partition of the findings archive, 'YYYY-MM-DD'",
  from_time: "the start as CloudTrail writes eventTime, 'YYYY-MM-DDTHH:MM:SSZ' (inclusive)",
  to_time: "the end, 'YYYY-MM-DDTHH:MM:SSZ' (exclusive)",
  from_epoch: 'the start in seconds since the epoch (flow records start, end)',
  to_epoch: 'the end in seconds since the epoch (exclusive)',
  from_ms: 'the start in milliseconds since the epoch (WAF timestamp, findings times)',
  to_ms: 'the end in milliseconds since the epoch (exclusive)',
} as const;
/** A name of COMMON_PARAMETERS. */
export type CommonParameter = keyof typeof COMMON_PARAMETERS;

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const PARAMETER_NAME = /^[a-z][a-z0-9_]*$/;
const DURATION = /^(\d+)([hd])$/;

const ParameterSchema = z.strictObject({
  type: z.enum(PARAMETER_TYPES),
  description: z.string().min(1),
  /** Without a default the parameter is required. */
  default: z.union([z.string(), z.number().int()]).optional(),
});

/** The schema of one investigation file. */
export const InvestigationFileSchema = z.strictObject({
  query: z.string().regex(NAME, 'must be lowercase words joined by "-" (the file name)'),
  title: z.string().min(1).max(120),
  description: z.string().min(1),
  tables: z.array(z.enum(QUERY_TABLES)).min(1),
  parameters: z.record(z.string().regex(PARAMETER_NAME, 'parameter names are lowercase letters, digits and _'), ParameterSchema).default({}),
  /** Which finding field fills which parameter, for `skywatch investigate`. */
  pivot: z.record(z.string(), z.array(z.enum(PIVOT_FIELDS)).min(1)).default({}),
  /** The time range when none is given, in AWS: `24h`, `7d`. */
  window: z.string().regex(DURATION, 'must be hours or days, e.g. 24h or 7d').default('7d'),
  /** The column holding each row's time: ISO 8601 text, or seconds or milliseconds since the epoch. */
  time: z.string().regex(PARAMETER_NAME).default('event_time'),
  sql: z.string().min(1),
});

/** A file as written. */
export type InvestigationFile = z.output<typeof InvestigationFileSchema>;

/** One declared parameter. */
export interface InvestigationParameter {
  readonly name: string;
  readonly type: ParameterType;
  readonly description: string;
  readonly default?: string | number;
}

/** A loaded investigation. */
export interface Investigation {
  readonly name: string;
  readonly file: string;
  readonly title: string;
  readonly description: string;
  readonly tables: readonly QueryTable[];
  readonly parameters: readonly InvestigationParameter[];
  /** Parameter name → the finding fields that can fill it, first present wins. */
  readonly pivot: Readonly<Record<string, readonly PivotField[]>>;
  /** The default time range, in milliseconds. */
  readonly windowMs: number;
  readonly timeColumn: string;
  /** The SQL with `:name` parameters. */
  readonly sql: string;
}

/** Milliseconds of `24h` or `7d`. */
export function windowMs(text: string): number {
  const m = DURATION.exec(text);
  if (!m) throw new RangeError(`not a duration: ${text}`);
  return Number(m[1]) * (m[2] === 'h' ? 3_600_000 : 86_400_000);
}
