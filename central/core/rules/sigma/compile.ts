/**
 * Sigma rules (SigmaHQ format, `logsource: {product: aws, service: cloudtrail}`) compiled into the
 * same CompiledRule the engine runs for native rules: level -> severity, ATT&CK tags -> MITRE ids
 * and ASFF types, detection + condition -> a matcher over the raw CloudTrail record, and index keys
 * derived from the eventSource/eventName the condition requires. Sigma's stable and test rules are
 * active; experimental ones are staged (recorded, not notified). Everything Skywatch cannot run is
 * a SigmaUnsupportedError naming the feature, so the loader reports it instead of dropping it.
 */
import { z } from 'zod';
import type { SecurityEvent } from '../../event.js';
import type { CompiledRule, EventKey } from '../rule.js';
import type { SeverityLabel } from '../schema.js';
import { compileTemplate } from '../template.js';
import { parseCondition, SigmaUnsupportedError, type ConditionNode } from './condition.js';
import { compileDetection, intersectKeys, unionKeys, type KeyConstraint, type RecordMatcher } from './detection.js';

/** Sigma levels (lower case) to ASFF severity labels. */
export const SIGMA_LEVELS: Readonly<Record<string, SeverityLabel>> = { informational: 'INFORMATIONAL', low: 'LOW', medium: 'MEDIUM', high: 'HIGH', critical: 'CRITICAL' };

/** ATT&CK tactics (Sigma tag form) to ASFF TTP categories. */
export const TACTIC_CATEGORIES: Readonly<Record<string, string>> = {
  'initial-access': 'Initial Access', execution: 'Execution', persistence: 'Persistence', 'privilege-escalation': 'Privilege Escalation',
  'defense-evasion': 'Defense Evasion', 'credential-access': 'Credential Access', discovery: 'Discovery', 'lateral-movement': 'Lateral Movement',
  collection: 'Collection', exfiltration: 'Data Exfiltration', 'command-and-control': 'Command and Control', impact: 'Effects',
  reconnaissance: 'Discovery', 'resource-development': 'Initial Access',
  // ATT&CK v18 split Defense Evasion into Stealth and Defense Impairment.
  stealth: 'Defense Evasion', 'defense-impairment': 'Defense Evasion',
};

/** The parts of a Sigma rule Skywatch reads; other keys are allowed and ignored. */
export const SigmaRuleSchema = z
  .object({
    title: z.string().min(1),
    id: z.string().optional(),
    name: z.string().optional(),
    status: z.string().optional(),
    description: z.string().optional(),
    references: z.array(z.string()).optional(),
    author: z.string().optional(),
    tags: z.array(z.string()).optional(),
    logsource: z.object({ product: z.string().optional(), service: z.string().optional(), category: z.string().optional() }).passthrough(),
    detection: z.record(z.string(), z.unknown()).refine((d) => 'condition' in d, { message: 'detection needs a condition' }),
    falsepositives: z.array(z.unknown()).optional(),
    level: z.string().optional(),
  })
  .passthrough();
export type SigmaRule = z.infer<typeof SigmaRuleSchema>;

/** True when a parsed YAML document is a Sigma rule rather than a Skywatch rule. */
export function isSigmaDocument(doc: unknown): boolean {
  return typeof doc === 'object' && doc !== null && 'detection' in doc && 'logsource' in doc;
}

/** `aws_cloudtrail_disable_logging.yml` -> `sigma-aws-cloudtrail-disable-logging`. */
export function sigmaRuleId(file: string): string {
  const base = file.split(/[\\/]/).pop()!.replace(/\.ya?ml$/i, '');
  return `sigma-${base.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '')}`;
}

/** The pack of SigmaHQ's rules shipped in `rules/sigma/`, off by default. */
export const SIGMA_PACK = 'sigma';

/**
 * Compiles a validated Sigma rule into `pack` (the loader passes `custom` for a team's own Sigma
 * rules, so they run by default); throws SigmaUnsupportedError for features Skywatch does not run.
 */
export function compileSigmaRule(rule: SigmaRule, file: string, pack: string = SIGMA_PACK): CompiledRule {
  const { product, service } = rule.logsource;
  if (product?.toLowerCase() !== 'aws' || service?.toLowerCase() !== 'cloudtrail') {
    throw new SigmaUnsupportedError(`logsource ${JSON.stringify(rule.logsource)} (only product: aws, service: cloudtrail)`);
  }
  if ('timeframe' in rule.detection) throw new SigmaUnsupportedError('timeframe (a correlation over time)');
  if (rule.correlation !== undefined) throw new SigmaUnsupportedError('a correlation rule');
  const conditions = Array.isArray(rule.detection.condition) ? rule.detection.condition.map(String) : [String(rule.detection.condition)];
  const names = Object.keys(rule.detection).filter((k) => k !== 'condition' && k !== 'timeframe');
  const detections = new Map(names.map((n) => [n, compileDetection(n, rule.detection[n])]));
  // Several conditions in a list are alternatives.
  const trees = conditions.map((c) => parseCondition(c, names));
  const matchers = trees.map((t) => toMatcher(t, detections));
  const keys = toEventKeys(unionKeys(trees.map((t) => constraintOf(t, detections))));

  const id = sigmaRuleId(file);
  const severity = SIGMA_LEVELS[(rule.level ?? 'medium').toLowerCase()] ?? 'MEDIUM';
  const { mitre, tactics } = attackOfTags(rule.tags ?? []);
  const types = asffTypesOf(tactics, 'Sigma-', rule.title);
  const reference = (rule.references ?? []).find((r) => /^https?:\/\//.test(r)) ?? 'https://github.com/SigmaHQ/sigma';
  const attribution = `Sigma rule ${rule.id ?? id}${rule.author ? ` by ${rule.author}` : ''} (Detection Rule License 1.1).`;
  const description = `${(rule.description ?? rule.title).trim()} ${attribution}`.slice(0, 1024);
  const falsePositives = (rule.falsepositives ?? []).map(String).filter((f) => f && f.toLowerCase() !== 'unknown');
  const runbook = [
    `1. Review the event: who ({{actor.arn}}), from where ({{sourceIp}}, {{userAgent}}), on what.`,
    `2. Decide whether it was expected${falsePositives.length ? `; known false positives: ${falsePositives.join('; ')}` : ''}.`,
    `3. References: ${(rule.references ?? [reference]).join(' ')}`,
  ].join('\n');
  const status = ['stable', 'test'].includes((rule.status ?? 'test').toLowerCase()) ? 'active' : 'staged';
  const dedup = '{{actor.arn}}';
  const matches = (event: SecurityEvent) => event.kind === 'cloudtrail' && matchers.some((m) => m(event.raw));
  return {
    id, file, status, pack, stratus: [], types, mitre, keys, tests: [],
    format: 'sigma',
    // Correlation rules refer to Sigma rules by their own id or name (Sigma correlation specification).
    aliases: [rule.id, rule.name].filter((a): a is string => typeof a === 'string' && a !== ''),
    title: compileTemplate(rule.title.replace(/\{\{|\}\}/g, '')),
    description: compileTemplate(description.replace(/\{\{|\}\}/g, '')),
    runbook: compileTemplate(runbook),
    reference,
    dedup: compileTemplate(dedup),
    resources: [],
    matches,
    defaultSeverity: severity,
    severity: () => severity,
  };
}

/** The ATT&CK technique ids (`T1078.004`) and tactics (tag form: `lateral-movement`) in Sigma tags, each once. */
export function attackOfTags(tags: readonly string[]): { mitre: string[]; tactics: string[] } {
  const mitre = tags.map((t) => /^attack\.(t\d{4}(?:\.\d{3})?)$/i.exec(t)?.[1]?.toUpperCase()).filter((t): t is string => !!t);
  const tactics = tags.map((t) => t.toLowerCase().replace(/^attack\./, '')).filter((t) => Object.hasOwn(TACTIC_CATEGORIES, t));
  return { mitre: [...new Set(mitre)], tactics: [...new Set(tactics)] };
}

/**
 * ASFF types for a rule of these tactics (tag form): one `TTPs/<category>/<classifier>` per category
 * (impact is `Effects/Data Destruction`), or `Unusual Behaviors/User` when no tactic is known. The
 * classifier is the prefix and the title, keeping only characters ASFF types take, at most 80 of them.
 */
export function asffTypesOf(tactics: readonly string[], prefix: string, title: string): string[] {
  const classifier = `${prefix}${title.replace(/[^A-Za-z0-9 ._-]/g, '').slice(0, 80)}`;
  const categories = [...new Set(tactics.filter((t) => Object.hasOwn(TACTIC_CATEGORIES, t)).map((t) => TACTIC_CATEGORIES[t]!))];
  if (categories.length === 0) return [`Unusual Behaviors/User/${classifier}`];
  return categories.map((c) => (c === 'Effects' ? `Effects/Data Destruction/${classifier}` : `TTPs/${c}/${classifier}`));
}

function toMatcher(node: ConditionNode, detections: Map<string, { match: RecordMatcher }>): RecordMatcher {
  switch (node.op) {
    case 'ref':
      return detections.get(node.name)!.match;
    case 'not': {
      const inner = toMatcher(node.part, detections);
      return (r) => !inner(r);
    }
    case 'and': {
      const parts = node.parts.map((p) => toMatcher(p, detections));
      return (r) => parts.every((p) => p(r));
    }
    case 'or': {
      const parts = node.parts.map((p) => toMatcher(p, detections));
      return (r) => parts.some((p) => p(r));
    }
  }
}

/** What the condition requires of eventSource/eventName; a negation requires nothing. */
function constraintOf(node: ConditionNode, detections: Map<string, { keys: KeyConstraint }>): KeyConstraint {
  switch (node.op) {
    case 'ref':
      return detections.get(node.name)!.keys;
    case 'not':
      return {};
    case 'and':
      return intersectKeys(node.parts.map((p) => constraintOf(p, detections)));
    case 'or':
      return unionKeys(node.parts.map((p) => constraintOf(p, detections)));
  }
}

function toEventKeys(k: KeyConstraint): EventKey[] {
  const sources = k.sources ? [...k.sources] : ['*'];
  const names = k.names ? [...k.names] : ['*'];
  return sources.flatMap((source) => names.map((name) => ({ source, name })));
}
