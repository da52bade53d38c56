/**
 * The rule file format. One YAML file per rule; validated at load so a broken rule fails with its
 * file and line, never on an event at 3 a.m. See docs/rules.md for the format with examples.
 */
import { z } from 'zod';
import { ASFF_RESOURCE_TYPES } from '../findings/resource-types.js';

/** ASFF severity labels, lowest first. */
export const SEVERITY_LABELS = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type SeverityLabel = (typeof SEVERITY_LABELS)[number];

/** 0 for INFORMATIONAL up to 4 for CRITICAL. */
export function severityRank(label: SeverityLabel): number {
  return SEVERITY_LABELS.indexOf(label);
}

/** The more severe of two labels. */
export function higherSeverity(a: SeverityLabel, b: SeverityLabel): SeverityLabel {
  return severityRank(b) > severityRank(a) ? b : a;
}
const Severity = z.enum(SEVERITY_LABELS);

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const OneOrMany = z.union([z.string(), z.array(z.string()).min(1)]);

const OPERATORS = ['equals', 'in', 'prefix', 'suffix', 'contains', 'regex', 'cidr', 'exists', 'gt', 'gte', 'lt', 'lte', 'except'] as const;

/** The value tests a condition can make; several must all hold for one value. */
const ValueTestsShape = {
  equals: Scalar.optional(),
  in: z.array(Scalar).min(1).optional(),
  prefix: OneOrMany.optional(),
  suffix: OneOrMany.optional(),
  contains: OneOrMany.optional(),
  /** RE2 syntax (no lookaround, no backreferences), so matching is linear in the value's length. */
  regex: z.string().min(1).optional(),
  cidr: OneOrMany.optional(),
  gt: z.number().optional(),
  gte: z.number().optional(),
  lt: z.number().optional(),
  lte: z.number().optional(),
  ignoreCase: z.boolean().optional(),
};

/**
 * Tests a value must fail: `{ path: p, suffix: .amazonaws.com, except: { in: [kms.amazonaws.com] } }`
 * holds when one value ends so and is not that one. It says per value what a lookahead used to.
 */
export const ExceptSchema = z
  .object(ValueTestsShape)
  .strict()
  .refine((c) => OPERATORS.some((op) => op !== 'exists' && op !== 'except' && (c as Record<string, unknown>)[op] !== undefined), { message: 'except needs one of: equals, in, prefix, suffix, contains, regex, cidr, gt, gte, lt, lte' });
export type Except = z.infer<typeof ExceptSchema>;

/** A test of the values at one path; several operators in one condition must all hold for one value. */
export const ConditionSchema = z
  .object({ path: z.string().min(1), ...ValueTestsShape, exists: z.boolean().optional(), except: ExceptSchema.optional() })
  .strict()
  .refine((c) => OPERATORS.some((op) => c[op] !== undefined), { message: `a condition needs one of: ${OPERATORS.join(', ')}` });
export type Condition = z.infer<typeof ConditionSchema>;

/** A named predicate (see predicates/index.ts), by name or with arguments. */
export const PredicateRefSchema = z.union([
  z.string().min(1),
  z.object({ name: z.string().min(1), args: z.record(z.string(), z.unknown()).optional() }).strict(),
]);
export type PredicateRef = z.infer<typeof PredicateRefSchema>;

/** A boolean expression over conditions and named predicates. */
export type Expression = Condition | { all: Expression[] } | { any: Expression[] } | { not: Expression } | { predicate: PredicateRef };
export const ExpressionSchema: z.ZodType<Expression> = z.lazy(() =>
  z.union([
    z.object({ all: z.array(ExpressionSchema).min(1) }).strict(),
    z.object({ any: z.array(ExpressionSchema).min(1) }).strict(),
    z.object({ not: ExpressionSchema }).strict(),
    z.object({ predicate: PredicateRefSchema }).strict(),
    ConditionSchema,
  ]),
);

const SeveritySpec = z.union([
  Severity,
  z
    .object({
      default: Severity,
      when: z.array(z.object({ match: ExpressionSchema, severity: Severity }).strict()).min(1),
    })
    .strict(),
]);

/** ASFF types are `namespace[/category[/classifier]]` with a fixed set of namespaces. */
const ASFF_NAMESPACES = ['Software and Configuration Checks', 'TTPs', 'Effects', 'Unusual Behaviors', 'Sensitive Data Identifications'];
/** One ASFF finding type, checked as Security Hub checks it (namespace, at most three parts). */
export const AsffType = z
  .string()
  .refine((t) => {
    const parts = t.split('/');
    return parts.length <= 3 && ASFF_NAMESPACES.includes(parts[0]!) && parts.every((p) => p.length > 0);
  }, { message: `must be namespace/category/classifier with a namespace among: ${ASFF_NAMESPACES.join(', ')}` });

const EventKeySchema = z
  .object({
    source: z.string().min(1).describe('eventSource, or "*" for every source'),
    names: z.array(z.string().min(1)).min(1).optional().describe('eventNames; omitted means every event of the source'),
  })
  .strict();

const ResourceSpec = z
  .object({
    type: z.string().refine((t) => ASFF_RESOURCE_TYPES.has(t), { message: 'not a resource type Security Hub accepts (see ResourceDetails in the ASFF reference); use Other' }),
    id: z.string().min(1),
  })
  .strict();

const RuleTestSchema = z
  .object({
    name: z.string().min(1),
    fires: z.boolean().describe('whether this rule fires on the event (or on any event of the sequence)'),
    alsoFires: z.array(z.string()).optional().describe('other rules expected to fire on the same events'),
    event: z.record(z.string(), z.unknown()).optional(),
    events: z.array(z.record(z.string(), z.unknown())).min(1).optional().describe('a sequence, for threshold and first-seen rules'),
    asnOf: z.record(z.string(), z.number().int().min(0)).optional().describe('the ASN of each source address, for rules over network.asn (no test depends on downloaded data)'),
  })
  .strict()
  .refine((t) => (t.event === undefined) !== (t.events === undefined), { message: 'a test has either event or events' });

/** `30s`, `10m`, `1h`, `7d`: a window length. */
export const DURATION = /^(\d+)(s|m|h|d)$/;
const DURATION_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds in a duration such as `10m`. */
export function durationMs(text: string): number {
  const m = DURATION.exec(text);
  if (!m) throw new Error(`invalid duration "${text}"`);
  return Number(m[1]) * DURATION_MS[m[2]!]!;
}
const Duration = z.string().regex(DURATION, 'must be a number and a unit: 30s, 10m, 1h, 7d');

/**
 * Fire only when `count` matching events (or `count` distinct values of `distinct`) share the
 * `by` key within `window`. Counts use event time, so a replay counts as the live run did.
 */
const ThresholdSchema = z
  .object({
    count: z.number().int().min(2).max(1000),
    window: Duration,
    by: z.string().min(1).default('{{actor.arn}}'),
    distinct: z.string().min(1).optional(),
  })
  .strict();

/** Whose history a behaviour is learned over. */
export const BEHAVIOUR_SCOPES = ['principal', 'account', 'organization'] as const;
export type BehaviourScope = (typeof BEHAVIOUR_SCOPES)[number];

/**
 * Fire only the first time a value is seen for a key (see first-seen-gate.ts and docs/rules.md).
 * The value is `of` (a tuple of normalized fields) or a `value` template; the key is `per` (whose
 * history: principal, account, organization) or a `key` template. Nothing fires while a key is in
 * its `learning` period (counted from the key's earliest event); a value not seen for `forget` is
 * forgotten and new again. With `learnFirst`, a key's very first value is learned silently.
 */
const FirstSeenSchema = z
  .object({
    key: z.string().min(1).optional(),
    per: z.enum(BEHAVIOUR_SCOPES).optional(),
    value: z.string().min(1).optional(),
    of: z.array(z.string().regex(/^[A-Za-z0-9_.]+$/, 'must be a field path such as region or network.asn')).min(1).max(8).optional(),
    learning: Duration.optional(),
    forget: Duration.optional(),
    learnFirst: z.boolean().default(false),
    /** Also learn from calls AWS services make (`AWSService` actors, `invokedBy`); off by default: they are noise. */
    includeServiceCalls: z.boolean().default(false),
  })
  .strict()
  .refine((f) => (f.key === undefined) !== (f.per === undefined), { message: 'firstSeen needs either key (a template) or per (principal, account, organization)' })
  .refine((f) => (f.value === undefined) !== (f.of === undefined), { message: 'firstSeen needs either value (a template) or of (a list of fields)' });

/**
 * Fire when the cost-weighted provisioning of a key in one hour stands out from the key's own
 * hourly baseline (EWMA band or CUSUM, statistics core): see volume-gate.ts and docs/statistics.md.
 */
const VolumeSchema = z
  .object({
    per: z.enum(['principal', 'service']),
    /** Hours of history before a key may fire (the cold start). */
    learning: Duration.default('7d'),
    /** An hour below this many cost units never fires. */
    minUnits: z.number().positive().default(10),
    sigma: z.number().positive().default(3),
    includeServiceCalls: z.boolean().default(false),
  })
  .strict();

/** Stratus Red Team technique ids: `aws.<tactic>.<name>`. */
export const STRATUS_ID = /^[a-z0-9]+\.[a-z-]+\.[a-z0-9-]+$/;

export const RULE_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** The pack of a team's own rules: native rules that name no pack, and Sigma rules loaded from the user's folders. */
export const CUSTOM_PACK = 'custom';

/** One rule file. */
export const RuleSchema = z
  .object({
    id: z.string().regex(RULE_ID, 'must be lowercase words joined by hyphens'),
    title: z.string().min(1).max(256),
    description: z.string().min(1).max(1024),
    severity: SeveritySpec,
    types: z.array(AsffType).min(1).max(50),
    mitre: z.array(z.string().regex(/^T\d{4}(\.\d{3})?$/, 'must be a MITRE ATT&CK technique id such as T1078.004')).min(1),
    runbook: z.string().min(1),
    reference: z.string().url(),
    status: z.enum(['active', 'staged']).default('active'),
    pack: z.string().regex(RULE_ID, 'must be lowercase words joined by hyphens').default(CUSTOM_PACK),
    stratus: z.array(z.string().regex(STRATUS_ID, 'must be a Stratus Red Team technique id such as aws.persistence.iam-backdoor-user')).optional(),
    events: z.array(EventKeySchema).min(1),
    match: ExpressionSchema.optional(),
    predicate: PredicateRefSchema.optional(),
    dedup: z.string().min(1).default('{{actor.arn}}'),
    resources: z.array(ResourceSpec).max(32).optional(),
    threshold: ThresholdSchema.optional(),
    firstSeen: FirstSeenSchema.optional(),
    volume: VolumeSchema.optional(),
    tests: z
      .array(RuleTestSchema)
      .min(2)
      .refine((t) => t.some((c) => c.fires) && t.some((c) => !c.fires), { message: 'needs at least one case that fires and one that does not' }),
  })
  .strict()
  .refine((r) => r.match !== undefined || r.predicate !== undefined || r.events.every((e) => e.names), {
    message: 'a rule on a whole event source needs a match expression or a predicate',
  })
  .refine((r) => [r.threshold, r.firstSeen, r.volume].filter((g) => g !== undefined).length <= 1, { message: 'a rule has at most one of threshold, firstSeen and volume' });

export type RuleDefinition = z.infer<typeof RuleSchema>;
export type RuleTest = z.infer<typeof RuleTestSchema>;
export type ThresholdSpec = z.infer<typeof ThresholdSchema>;
export type FirstSeenSpec = z.infer<typeof FirstSeenSchema>;
export type VolumeSpec = z.infer<typeof VolumeSchema>;
