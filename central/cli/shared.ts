/** What the commands share: loading rules with reporting, state folder resolution, severity labels. */
import { InvalidArgumentError } from 'commander';
import { resolve } from 'node:path';
import type { RuleSource } from '../core/rules/load.js';
import type { CompiledRule } from '../core/rules/rule.js';
import { SEVERITY_LABELS } from '../core/rules/schema.js';
import { loadRuleFolders } from '../local/rule-files.js';

/** The default state folder, relative to the working directory. */
export const DEFAULT_STATE_DIR = '.skywatch';

/** Loads built-in and extra rules, printing each broken rule file to stderr. */
export function loadRulesReporting(extra: readonly string[]): { rules: CompiledRule[]; sources: RuleSource[]; problems: number } {
  const { rules, sources, problems } = loadRuleFolders(extra.map((d) => resolve(d)));
  for (const p of problems) process.stderr.write(`skywatch: rule error: ${p.file}:${p.line}: ${p.reason}\n`);
  return { rules, sources, problems: problems.length };
}

/** Parses a severity option, case-insensitively. */
export function parseSeverity(value: string): string {
  const label = value.toUpperCase();
  if (!(SEVERITY_LABELS as readonly string[]).includes(label)) throw new InvalidArgumentError(`unknown severity "${value}" (one of ${SEVERITY_LABELS.join(', ')})`);
  return label;
}

/** Collects a repeatable option into a list. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Parses a whole number option greater than zero. */
export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`expected a whole number greater than 0, got "${value}"`);
  return n;
}
