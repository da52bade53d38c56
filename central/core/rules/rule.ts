/** A rule compiled for matching: expressions, templates and predicates resolved once. */
import type { SecurityEvent } from '../event.js';
import { compileExpression, ExpressionError, type Matcher } from './expression.js';
import { compilePredicate } from './predicates/index.js';
import { behaviourField, isBehaviourField } from '../behaviour/behaviour-view.js';
import { principalOf } from '../behaviour/principal.js';
import type { AsnLookup } from '../ioc/asn-ranges.js';
import { DEFAULT_SETTINGS, type DetectorSettings } from '../statistics/definition.js';
import { durationMs, type BehaviourScope, type FirstSeenSpec, type PredicateRef, type RuleDefinition, type RuleTest, type SeverityLabel, type VolumeSpec } from './schema.js';
import { compileTemplate, type Template } from './template.js';

/** The (eventSource, eventName) pairs a rule listens to; `*` means any. */
export interface EventKey {
  readonly source: string;
  readonly name: string;
}

/** A threshold with its templates compiled. */
export interface CompiledThreshold {
  readonly count: number;
  readonly windowMs: number;
  readonly by: Template;
  readonly distinct?: Template;
}

/** A first-seen clause compiled: the key and value to read, and how long to learn and remember. */
export interface CompiledFirstSeen {
  /** The key of an event's history. */
  key(event: SecurityEvent): string;
  /** How the key was given, for findings: a scope, or `custom` for a key template. */
  readonly scope: BehaviourScope | 'custom';
  /** The value an event stands for, or undefined when a field of `of` has none (the event teaches nothing). */
  value(event: SecurityEvent, asn: AsnLookup | undefined): string | undefined;
  /** What the value is, for findings: the fields of `of` joined, or `value`. */
  readonly valueName: string;
  /** Whether the value comes from `of` (a missing field skips the event) or a `value` template (rendered `unknown`). */
  readonly tuple: boolean;
  readonly learningMs: number;
  /** Infinity when values are never forgotten. */
  readonly forgetMs: number;
  readonly learnFirst: boolean;
  readonly includeServiceCalls: boolean;
  /** The value reads the source address's ASN, so the detector needs the ASN data. */
  readonly readsNetwork: boolean;
}

/** A volume clause compiled: whose provisioning, judged with which statistics settings. */
export interface CompiledVolume {
  readonly per: VolumeSpec['per'];
  readonly settings: DetectorSettings;
  readonly includeServiceCalls: boolean;
}

/** A rule ready to run. */
export interface CompiledRule {
  readonly id: string;
  readonly file: string;
  /** The file format the rule came from. */
  readonly format: 'skywatch' | 'sigma';
  /** Other names correlation rules may refer to it by: a Sigma rule's own `id` and `name`. */
  readonly aliases?: readonly string[];
  readonly status: 'active' | 'staged';
  /** The pack the rule belongs to; a deployment enables or disables whole packs. */
  readonly pack: string;
  /** Stratus Red Team techniques the rule detects. */
  readonly stratus: readonly string[];
  readonly types: readonly string[];
  readonly mitre: readonly string[];
  /** Numbered steps; may hold `{{path}}` placeholders, rendered per finding. */
  readonly runbook: Template;
  readonly reference: string;
  readonly keys: readonly EventKey[];
  readonly title: Template;
  readonly description: Template;
  readonly dedup: Template;
  readonly resources: ReadonlyArray<{ readonly type: string; readonly id: Template }>;
  readonly tests: readonly RuleTest[];
  /** The severity without event-dependent overrides, for listings. */
  readonly defaultSeverity: SeverityLabel;
  /** Fire only past a count of matching events in a window (see gates.ts). */
  readonly threshold?: CompiledThreshold;
  /** Fire only the first time a value is seen for a key (see gates.ts). */
  readonly firstSeen?: CompiledFirstSeen;
  /** Fire only when a key's hourly provisioning stands out from its baseline (see volume-gate.ts). */
  readonly volume?: CompiledVolume;
  matches(event: SecurityEvent): boolean;
  severity(event: SecurityEvent): SeverityLabel;
}

/** Compiles a validated definition; throws (with the part at fault) for what the schema cannot check. */
export function compileRule(def: RuleDefinition, file: string): CompiledRule {
  const match = def.match ? compileExpression(def.match) : undefined;
  const predicate = def.predicate === undefined ? undefined : rulePredicate(def.predicate);
  const severity = compileSeverity(def);
  const keys = def.events.flatMap((e) => (e.names ?? ['*']).map((name) => ({ source: e.source, name })));
  return {
    id: def.id,
    file,
    format: 'skywatch',
    status: def.status,
    pack: def.pack,
    stratus: def.stratus ?? [],
    types: def.types,
    mitre: def.mitre,
    runbook: compileTemplate(def.runbook),
    reference: def.reference,
    keys,
    title: compileTemplate(def.title),
    description: compileTemplate(def.description),
    dedup: compileTemplate(def.dedup),
    resources: (def.resources ?? []).map((r) => ({ type: r.type, id: compileTemplate(r.id) })),
    tests: def.tests,
    defaultSeverity: typeof def.severity === 'string' ? def.severity : def.severity.default,
    threshold: def.threshold && {
      count: def.threshold.count,
      windowMs: durationMs(def.threshold.window),
      by: compileTemplate(def.threshold.by),
      distinct: def.threshold.distinct === undefined ? undefined : compileTemplate(def.threshold.distinct),
    },
    firstSeen: def.firstSeen && compileFirstSeen(def.firstSeen),
    volume: def.volume && compileVolume(def.volume),
    matches: (event) => (match === undefined || match(event)) && (predicate === undefined || predicate(event)),
    severity,
  };
}

function rulePredicate(ref: PredicateRef): (e: SecurityEvent) => boolean {
  try {
    return compilePredicate(ref);
  } catch (err) {
    throw new ExpressionError((err as Error).message, ['predicate'], { cause: err });
  }
}

function compileSeverity(def: RuleDefinition): (e: SecurityEvent) => SeverityLabel {
  const spec = def.severity;
  if (typeof spec === 'string') return () => spec;
  const branches = spec.when.map((w, i) => ({ match: compileExpression(w.match, ['severity', 'when', String(i), 'match']) as Matcher, severity: w.severity }));
  return (e) => branches.find((b) => b.match(e))?.severity ?? spec.default;
}

/** The key of each scope: a principal's history is its own within the account it acts in. */
const SCOPE_KEYS: Readonly<Record<BehaviourScope, (event: SecurityEvent) => string>> = {
  principal: (e) => `${e.account}/${principalOf(e) ?? 'unknown'}`,
  account: (e) => e.account,
  organization: () => 'organization',
};

/** Reads one field of `of`: a behaviour field, or a path of the event ('' when it has no value). */
function partReader(path: string): (event: SecurityEvent, asn: AsnLookup | undefined) => string {
  if (isBehaviourField(path)) return (event, asn) => behaviourField(event, path, asn) ?? '';
  const template = compileTemplate(`{{${path}}}`);
  return (event) => template.render(event, '');
}

function compileFirstSeen(spec: FirstSeenSpec): CompiledFirstSeen {
  const keyTemplate = spec.key === undefined ? undefined : compileTemplate(spec.key);
  const parts = (spec.of ?? []).map(partReader);
  const valueTemplate = spec.value === undefined ? undefined : compileTemplate(spec.value);
  return {
    key: keyTemplate ? (event) => keyTemplate.render(event, '') : SCOPE_KEYS[spec.per!],
    scope: spec.per ?? 'custom',
    value: valueTemplate
      ? (event) => valueTemplate.render(event, 'unknown')
      : (event, asn) => {
          const values = parts.map((read) => read(event, asn));
          return values.includes('') ? undefined : values.join(' / ');
        },
    valueName: spec.of ? spec.of.join(' / ') : 'value',
    tuple: spec.of !== undefined,
    learningMs: spec.learning === undefined ? 0 : durationMs(spec.learning),
    forgetMs: spec.forget === undefined ? Number.POSITIVE_INFINITY : durationMs(spec.forget),
    learnFirst: spec.learnFirst,
    includeServiceCalls: spec.includeServiceCalls,
    readsNetwork: (spec.of ?? []).some((p) => p.startsWith('network.')),
  };
}

function compileVolume(spec: VolumeSpec): CompiledVolume {
  return {
    per: spec.per,
    settings: { ...DEFAULT_SETTINGS, trainDays: durationMs(spec.learning) / 86_400_000, minVolume: spec.minUnits, sigma: spec.sigma },
    includeServiceCalls: spec.includeServiceCalls,
  };
}
