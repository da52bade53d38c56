/** Loads suppression files: validated like rules, each problem with its file and line. */
import { LineCounter, parseDocument } from 'yaml';
import { lineOf, type RuleProblem, type RuleSource } from '../rules/load.js';
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
    const counter = new LineCounter();
    const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
    if (doc.errors.length > 0) {
      const e = doc.errors[0]!;
      problems.push({ file, line: counter.linePos(e.pos[0]).line, reason: `invalid YAML: ${e.message.split('\n')[0]}`, kind: 'invalid' });
      continue;
    }
    const parsed = SuppressionsFileSchema.safeParse(doc.toJS() ?? { suppressions: [] });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = issue.path.map(String);
        problems.push({ file, line: lineOf(doc, counter, path), reason: `${path.join('.') || '(file)'}: ${issue.message}`, kind: 'invalid' });
      }
      continue;
    }
    for (const s of parsed.data.suppressions) {
      if (tests.has(s.id)) {
        problems.push({ file, line: 1, reason: `duplicate suppression id "${s.id}"`, kind: 'invalid' });
        continue;
      }
      suppressions.push(compileSuppression(s, file));
      tests.set(s.id, s.tests ?? []);
    }
  }
  return { suppressions, tests, problems };
}
