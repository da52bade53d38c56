/**
 * The detector's cold-start check of its rules and suppressions. A broken rule or suppression fails
 * the cold start with its file and line, not one event at 3 a.m.; a Sigma rule using a feature
 * Skywatch does not run, and a custom rule replacing a built-in one, are logged and do not.
 */
import { problemLocation, type LoadedRules, type RuleProblem } from '../../core/rules/load.js';

/** What the check writes to: the Lambda's structured logger. */
export interface RuleCheckLog {
  info(message: string, data?: Record<string, unknown>): void;
}

/** Throws when a rule or suppression file is broken; logs the notices. */
export function checkLoadedRules(rules: Pick<LoadedRules, 'problems' | 'overrides'>, suppressions: { readonly problems: readonly RuleProblem[] }, log: RuleCheckLog): void {
  for (const p of rules.problems.filter((p) => p.kind === 'unsupported')) log.info('rule not loaded', { rule: problemLocation(p), reason: p.reason });
  for (const o of rules.overrides) log.info('rule overridden', { rule: o.id, file: o.file, replaces: o.replaces });
  const broken = [...rules.problems.filter((p) => p.kind !== 'unsupported'), ...suppressions.problems];
  if (broken.length) throw new Error(`rules failed to load: ${broken.map((p) => `${problemLocation(p)}: ${p.reason}`).join('; ')}`);
}
