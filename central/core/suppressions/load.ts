/**
 * Loads suppression files: validated like rules, each problem with its file and line. Entries are
 * validated one by one, so a bad entry is left out (and reported once) while the rest of its file
 * still applies: one typo must not re-enable every accepted exception in the file.
 */
import { issueProblem, lineOf, parseYaml, type ParsedYaml, type RuleProblem, type RuleSource } from '../rules/load.js';
import { compileSuppression, type CompiledSuppression } from './match.js';
import { SuppressionSchema, SuppressionsFileSchema, type SuppressionTest } from './schema.js';

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
    parsed.data.suppressions.forEach((entry, i) => {
      const valid = SuppressionSchema.safeParse(entry);
      if (!valid.success) {
        problems.push(entryProblem(file, yaml, i, valid.error.issues));
        return;
      }
      const s = valid.data;
      if (tests.has(s.id)) {
        problems.push({ file, line: lineOf(yaml.doc, yaml.counter, ['suppressions', String(i), 'id']), reason: `duplicate suppression id "${s.id}"` });
        return;
      }
      suppressions.push(compileSuppression(s, file));
      tests.set(s.id, s.tests ?? []);
    });
  }
  return { suppressions, tests, problems };
}

type Issue = { readonly path: readonly PropertyKey[]; readonly message: string; readonly code?: string; readonly keys?: readonly string[] };

/** One problem for a bad entry, at the line of its first issue, naming every issue. */
function entryProblem(file: string, yaml: ParsedYaml, index: number, issues: readonly Issue[]): RuleProblem {
  const at = (issue: Issue) => ['suppressions', index, ...issue.path];
  // An unknown key is reported at that key's line rather than its entry's.
  const first = issues[0]!;
  const linePath = first.code === 'unrecognized_keys' && first.keys?.[0] ? [...at(first), first.keys[0]] : at(first);
  return { file, line: lineOf(yaml.doc, yaml.counter, linePath.map(String)), reason: issues.map((issue) => `${at(issue).map(String).join('.')}: ${issue.message}`).join('; ') };
}
