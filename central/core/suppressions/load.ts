/** Loads suppression files: validated like rules, each problem with its file and line. */
import { issueProblem, parseYaml, type RuleProblem, type RuleSource } from '../rules/load.js';
import { compileSuppression, type CompiledSuppression } from './match.js';
import { SuppressionsFileSchema, type SuppressionTest } from './schema.js';

export interface LoadedSuppressions {
  readonly suppressions: CompiledSuppression[];
  /** Each suppression's test cases, by suppression id. */
  readonly tests: Map<string, SuppressionTest[]>;
  readonly problems: RuleProblem[];
}

export function loadSuppressions(sources: readonly RuleSource[]): LoadedSuppressions {
  const suppressions: CompiledSuppression[] = [];
  const tests = new Map<string, SuppressionTest[]>();
  const problems: RuleProblem[] = [];
  for (const { file, text } of sources) {
    const yaml = parseYaml(file, text);
    if ('reason' in yaml) {
      problems.push(yaml);
      continue;
    }
    const parsed = SuppressionsFileSchema.safeParse(yaml.value ?? { suppressions: [] });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(issueProblem(file, yaml, issue, '', '(file)'));
      continue;
    }
    for (const s of parsed.data.suppressions) {
      if (tests.has(s.id)) {
        problems.push({ file, line: 1, reason: `duplicate suppression id "${s.id}"` });
        continue;
      }
      suppressions.push(compileSuppression(s, file));
      tests.set(s.id, s.tests ?? []);
    }
  }
  return { suppressions, tests, problems };
}
