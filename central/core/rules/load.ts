/**
 * Loads rule files: parse YAML keeping positions, validate against the schema, compile. A broken
 * file is reported with its path, line and reason; the other rules still load.
 */
import { compileRule, type CompiledRule } from './rule.js';
import { RuleSchema } from './schema.js';
import { SigmaUnsupportedError } from './sigma/condition.js';
import { compileSigmaRule, isSigmaDocument, SigmaRuleSchema } from './sigma/compile.js';
import { issueProblem, lineOf, parseYaml, type ParsedYaml } from './yaml-file.js';

export { issueProblem, lineOf, parseYaml, YAML_LIMITS, type ParsedYaml } from './yaml-file.js';

/** A rule file that could not be loaded. */
export interface RuleProblem {
  readonly file: string;
  /** 0 when the problem is the whole file or folder (unreadable, too large). */
  readonly line: number;
  readonly reason: string;
  /** `unsupported`: a valid Sigma rule using a feature Skywatch does not run; `invalid`: a broken file. */
  readonly kind?: 'invalid' | 'unsupported';
}

/** Where a problem is, for messages: `file:line`, or the file alone when it is about the whole file. */
export function problemLocation(p: Pick<RuleProblem, 'file' | 'line'>): string {
  return p.line > 0 ? `${p.file}:${p.line}` : p.file;
}

/** The outcome of loading a set of rule files. */
export interface LoadedRules {
  readonly rules: CompiledRule[];
  readonly problems: RuleProblem[];
}

/** One rule file's name and text; the caller reads them, keeping this module free of I/O. */
export interface RuleSource {
  readonly file: string;
  readonly text: string;
}

/** Parses, validates and compiles rule files; duplicates and misnamed files are problems too. */
export function loadRules(sources: readonly RuleSource[]): LoadedRules {
  const rules: CompiledRule[] = [];
  const problems: RuleProblem[] = [];
  const seen = new Map<string, string>();
  for (const source of sources) {
    const result = loadRule(source);
    if ('reason' in result) {
      problems.push(result);
      continue;
    }
    const other = seen.get(result.id);
    if (other) {
      problems.push({ file: source.file, line: 1, reason: `duplicate rule id "${result.id}" (also in ${other})` });
      continue;
    }
    seen.set(result.id, source.file);
    rules.push(result);
  }
  return { rules, problems };
}

function loadRule({ file, text }: RuleSource): CompiledRule | RuleProblem {
  const yaml = parseYaml(file, text);
  if ('reason' in yaml) return yaml;
  const { doc, counter: lineCounter } = yaml;
  const js = yaml.value;
  if (isSigmaDocument(js)) return loadSigmaRule(file, js, yaml);
  const parsed = RuleSchema.safeParse(js);
  if (!parsed.success) return issueProblem(file, yaml, parsed.error.issues[0]!);
  const expected = `${parsed.data.id}.yaml`;
  const base = file.split(/[\\/]/).pop();
  if (base !== expected && base !== `${parsed.data.id}.yml`) {
    return { file, line: lineOf(doc, lineCounter, ['id']), reason: `file name must be ${expected} to match the rule id` };
  }
  try {
    return compileRule(parsed.data, file);
  } catch (err) {
    return { file, line: lineOf(doc, lineCounter, ['match']), reason: (err as Error).message };
  }
}

function loadSigmaRule(file: string, js: unknown, yaml: ParsedYaml): CompiledRule | RuleProblem {
  const { doc, counter } = yaml;
  const parsed = SigmaRuleSchema.safeParse(js);
  if (!parsed.success) return { ...issueProblem(file, yaml, parsed.error.issues[0]!, 'Sigma '), kind: 'invalid' };
  try {
    return compileSigmaRule(parsed.data, file);
  } catch (err) {
    const unsupported = err instanceof SigmaUnsupportedError;
    return { file, line: lineOf(doc, counter, ['detection']), reason: `${unsupported ? 'unsupported Sigma feature' : 'invalid Sigma rule'}: ${(err as Error).message}`, kind: unsupported ? 'unsupported' : 'invalid' };
  }
}
