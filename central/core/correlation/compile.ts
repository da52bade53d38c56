/**
 * A validated correlation file compiled into what the engine runs: the count it needs, how to tell
 * which `rules:` entry an observation matches, and how to group it. Valid Sigma that the engine
 * cannot run as events arrive is refused here with the reason (CorrelationRuleError, `unsupported`),
 * and so is a rule that could never fire or whose observations could never join (`invalid`).
 */
import { asffTypesOf, attackOfTags, SIGMA_LEVELS } from '../rules/sigma/compile.js';
import { durationMs, type SeverityLabel } from '../rules/schema.js';
import { starPattern } from '../wildcard.js';
import { combinations, valuesOf, type Aliases } from './fields.js';
import type { Observation } from './observation.js';
import type { CorrelationFile, CorrelationType } from './schema.js';

/**
 * The largest count a condition may ask for: a group keeps at most this many observations by
 * default (CorrelationEngine's maxPerGroup), so a larger event count could never be reached.
 */
export const MAX_CONDITION_COUNT = 500;

/** A test case of a correlation rule, as plain data for the correlation test runner. */
export interface CorrelationTest {
  readonly name: string;
  /** Records (CloudTrail, GuardDuty, ...) fed to the detectors in this order. */
  readonly events: ReadonlyArray<Readonly<Record<string, unknown>>>;
  readonly expect: {
    /** How many correlation findings the events must give. */
    readonly findings: number;
    /** The accounts the findings must name, sorted or not. */
    readonly accounts?: readonly string[];
    /** Other correlation rules these events rightly fire too. */
    readonly alsoFires?: readonly string[];
  };
}

/** A correlation rule ready to run. */
export interface CompiledCorrelation {
  readonly id: string;
  readonly file: string;
  readonly title: string;
  readonly description: string;
  /** Sigma's `name`, unique among correlation rules. */
  readonly name?: string;
  readonly type: CorrelationType;
  /** `rules:` in order: exact observation names or `*` patterns. */
  readonly refs: readonly string[];
  readonly groupBy: readonly string[];
  readonly timespanMs: number;
  /** gte, or gt + 1 (the larger when both are given); for temporal types by default refs.length. */
  readonly minimum: number;
  /** value_count: the field whose distinct values are counted (an alias or a field name). */
  readonly field?: string;
  readonly aliases: Aliases;
  readonly severity: SeverityLabel;
  readonly status: 'active' | 'staged';
  /** ASFF finding types: `skywatch.types`, else derived from the ATT&CK tactics in `tags`. */
  readonly types: readonly string[];
  /** ATT&CK technique ids from `tags` (`T1078.004`). */
  readonly mitre: readonly string[];
  /** ATT&CK tactics from `tags`, in tag form (`lateral-movement`). */
  readonly tactics: readonly string[];
  /** Numbered steps: `skywatch.runbook`, else generic steps naming the false positives and references. */
  readonly runbook: string;
  /** The first http(s) address among `references`. */
  readonly reference?: string;
  readonly falsePositives: readonly string[];
  readonly tests: readonly CorrelationTest[];
  /** The index of the first `refs` entry an observation matches, or -1. */
  refOf(observation: Pick<Observation, 'names'>): number;
  /**
   * The observation's group keys: one per combination of its group-by values (aliases applied), at
   * most MAX_GROUPS_PER_OBSERVATION; [] when it matches no ref, a group-by value is missing, or (for
   * value_count) it has no value of `field`: such an observation does not join the rule.
   */
  groupsOf(observation: Observation): ReadonlyArray<Readonly<Record<string, string>>>;
}

/** A rule the engine cannot run, with where in the file (a key path) and why. */
export class CorrelationRuleError extends Error {
  override readonly name = 'CorrelationRuleError';
  constructor(
    message: string,
    readonly at: readonly string[],
    readonly kind: 'invalid' | 'unsupported',
  ) {
    super(message);
  }
}

const UPPER_BOUNDS = ['lt', 'lte', 'eq'] as const;

/** Compiles a validated file; throws CorrelationRuleError for what cannot run. */
export function compileCorrelation(def: CorrelationFile, file: string): CompiledCorrelation {
  const { correlation } = def;
  const refs = correlation.rules;
  const groupBy = correlation['group-by'];
  const aliases = correlation.aliases;
  const field = fieldOf(def);
  const minimum = minimumOf(def);
  checkAliases(def, field);

  const { mitre, tactics } = attackOfTags(def.tags);
  const falsePositives = (typeof def.falsepositives === 'string' ? [def.falsepositives] : (def.falsepositives ?? []))
    .map((f) => f.trim())
    .filter((f) => f !== '' && f.toLowerCase() !== 'unknown');
  const reference = def.references.find((r) => /^https?:\/\//.test(r));
  const description = (def.description ?? def.title).trim();
  const runbook = def.skywatch?.runbook?.trim() ?? defaultRunbook(falsePositives, def.references);

  const matchers = refs.map((ref) => (ref.includes('*') ? starPattern(ref) : { test: (name: string) => name === ref }));
  const refOf = (observation: Pick<Observation, 'names'>) => matchers.findIndex((m) => observation.names.some((n) => m.test(n)));

  return {
    id: def.id,
    file,
    title: def.title,
    description,
    ...(def.name !== undefined && { name: def.name }),
    type: correlation.type,
    refs,
    groupBy,
    timespanMs: durationMs(correlation.timespan),
    minimum,
    ...(field !== undefined && { field }),
    aliases,
    severity: SIGMA_LEVELS[def.level]!,
    status: def.status === 'stable' || def.status === 'test' ? 'active' : 'staged',
    types: def.skywatch?.types ?? asffTypesOf(tactics, 'Correlation-', def.title),
    mitre,
    tactics,
    runbook,
    ...(reference !== undefined && { reference }),
    falsePositives,
    tests: def.skywatch?.tests ?? [],
    refOf,
    groupsOf(observation) {
      const ref = refOf(observation);
      if (ref < 0) return [];
      const entry = refs[ref]!;
      if (field !== undefined && valuesOf(observation, field, entry, aliases).length === 0) return [];
      return combinations(groupBy, groupBy.map((name) => valuesOf(observation, name, entry, aliases)));
    },
  };
}

/** value_count's one field; other types have none. */
function fieldOf({ correlation }: CorrelationFile): string | undefined {
  const at = ['correlation', 'condition', 'field'];
  const given = correlation.condition?.field;
  if (correlation.type !== 'value_count') {
    if (given !== undefined) throw new CorrelationRuleError(`condition.field is only for value_count (this rule is ${correlation.type})`, at, 'invalid');
    return undefined;
  }
  if (given === undefined) throw new CorrelationRuleError('value_count needs condition.field: the field whose distinct values are counted', ['correlation', 'condition'], 'invalid');
  const fields = typeof given === 'string' ? [given] : given;
  if (fields.length > 1) throw new CorrelationRuleError(`condition.field lists ${fields.length} fields: counting distinct combinations of several fields is not supported (count one field)`, at, 'unsupported');
  return fields[0]!;
}

/**
 * The count the condition needs. Only lower bounds can be decided as events arrive: a count that
 * has reached 3 stays reached, while "fewer than 3" or "exactly 3" can be undone by the next event,
 * which would need the window to close before anything could be said.
 */
function minimumOf({ correlation }: CorrelationFile): number {
  const { type, condition, rules } = correlation;
  const temporal = type === 'temporal' || type === 'temporal_ordered';
  for (const bound of UPPER_BOUNDS) {
    if (condition?.[bound] === undefined) continue;
    throw new CorrelationRuleError(
      `condition ${bound}: ${condition[bound]} is ${bound === 'eq' ? 'an exact count' : 'an upper bound'}: Skywatch evaluates correlations as events arrive, so it can tell when a count reaches a lower bound but never that it stays below one; only gt and gte are supported`,
      ['correlation', 'condition', bound],
      'unsupported',
    );
  }
  const { gt, gte } = condition ?? {};
  if (gt === undefined && gte === undefined) {
    if (temporal) return rules.length;
    throw new CorrelationRuleError(`${type} needs a condition with gt or gte (the count that fires)`, ['correlation', condition ? 'condition' : 'type'], 'invalid');
  }
  const minimum = Math.max(gte ?? 0, gt === undefined ? 0 : gt + 1);
  const at = ['correlation', 'condition', gte !== undefined ? 'gte' : 'gt'];
  if (minimum < 1) throw new CorrelationRuleError('the condition always holds (a count of at least 0): use gte: 1 to fire on every observation', at, 'invalid');
  if (temporal && minimum > rules.length) throw new CorrelationRuleError(`the condition needs ${minimum} distinct rules but rules: lists ${rules.length}, so it can never hold`, at, 'invalid');
  if (minimum > MAX_CONDITION_COUNT) throw new CorrelationRuleError(`the condition needs ${minimum}: a group keeps at most ${MAX_CONDITION_COUNT} observations, so at most ${MAX_CONDITION_COUNT} can be asked for`, at, 'invalid');
  return minimum;
}

/**
 * An alias maps `rules:` entries to fields. An entry it does not know is a typo; an alias used in
 * group-by or as the counted field that lacks an entry would leave that rule's observations
 * without a value, so they could never join: both are errors rather than silent non-matches.
 */
function checkAliases({ correlation }: CorrelationFile, field: string | undefined): void {
  const used = new Set([...correlation['group-by'], ...(field === undefined ? [] : [field])]);
  for (const [alias, byRule] of Object.entries(correlation.aliases)) {
    for (const entry of Object.keys(byRule)) {
      if (!correlation.rules.includes(entry)) throw new CorrelationRuleError(`alias ${alias} names "${entry}", which is not an entry of rules:`, ['correlation', 'aliases', alias, entry], 'invalid');
    }
    if (!used.has(alias)) continue;
    const missing = correlation.rules.find((entry) => !Object.hasOwn(byRule, entry));
    if (missing !== undefined) throw new CorrelationRuleError(`alias ${alias} has no field for rules: entry "${missing}", so its observations could never join`, ['correlation', 'aliases', alias], 'invalid');
  }
}

function defaultRunbook(falsePositives: readonly string[], references: readonly string[]): string {
  return [
    '1. Review the correlated observations: which detectors fired, in which accounts and regions, in what order.',
    '2. Check whether one actor explains them all (the shared group-by values): the same key, role or address.',
    `3. Decide whether it was expected${falsePositives.length ? `; known false positives: ${falsePositives.join('; ')}` : ' (a deployment, a migration, an audit)'}.`,
    ...(references.length ? [`4. References: ${references.join(' ')}`] : []),
  ].join('\n');
}
