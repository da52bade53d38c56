/**
 * Loads rule files: parse YAML keeping positions, validate against the schema, compile. A broken
 * file is reported with its path, line and reason; the other rules still load.
 */
import { ExpressionError } from './expression.js';
import { compileRule, type CompiledRule } from './rule.js';
import { CUSTOM_PACK, RuleSchema } from './schema.js';
import { SigmaUnsupportedError } from './sigma/condition.js';
import { compileSigmaRule, isSigmaDocument, SIGMA_PACK, SigmaRuleSchema } from './sigma/compile.js';
import { issueProblem, lineOf, parseYaml, SEVERAL_DOCUMENTS, type ParsedYaml } from './yaml-file.js';

export { issueProblem, lineOf, parseYaml, YAML_LIMITS, type ParsedYaml } from './yaml-file.js';
import { loadCorrelationRules } from '../correlation/load.js';
import type { CompiledCorrelation } from '../correlation/compile.js';

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
  /** User rules that replaced built-in rules of the same id: notices, not problems. */
  readonly overrides: RuleOverride[];
  /** Correlation rules found among the files (a `correlation:` section), loaded by their own loader. */
  readonly correlations: CompiledCorrelation[];
}

/**
 * Where a rule file comes from. `builtin`: the rules Skywatch ships (`rules/cloudtrail`,
 * `rules/sigma`). `user`: a team's own (`rules/custom`, `--rules DIR`), which replace built-in rules
 * of the same id and whose Sigma rules run in the `custom` pack rather than the off-by-default `sigma`.
 */
export type RuleOrigin = 'builtin' | 'user';

/** One rule file's name and text; the caller reads them, keeping this module free of I/O. */
export interface RuleSource {
  readonly file: string;
  readonly text: string;
  /** Default `builtin`. */
  readonly origin?: RuleOrigin;
}

/** A user rule file that took the place of the built-in rule with its id. */
export interface RuleOverride {
  readonly id: string;
  /** The user's file, which loaded. */
  readonly file: string;
  /** The built-in file, which did not. */
  readonly replaces: string;
}

/**
 * Parses, validates and compiles rule files; misnamed files are problems too. A user rule replaces
 * the built-in rule of its id whatever the order of the sources; two files of one origin with the
 * same id are a duplicate: the first in source order loads, the next is a problem naming both.
 */
export function loadRules(sources: readonly RuleSource[]): LoadedRules {
  const problems: RuleProblem[] = [];
  const loaded: Array<{ rule: CompiledRule; origin: RuleOrigin }> = [];
  const first: Record<RuleOrigin, Map<string, CompiledRule>> = { builtin: new Map(), user: new Map() };
  const correlationFiles: RuleSource[] = [];
  for (const source of sources) {
    const result = loadRule(source);
    if (result === CORRELATION) {
      correlationFiles.push(source);
      continue;
    }
    if ('reason' in result) {
      problems.push(result);
      continue;
    }
    const origin = source.origin ?? 'builtin';
    const other = first[origin].get(result.id);
    if (other) {
      problems.push({ file: source.file, line: 1, reason: `duplicate rule id "${result.id}" (also in ${other.file})` });
      continue;
    }
    first[origin].set(result.id, result);
    loaded.push({ rule: result, origin });
  }
  const overrides: RuleOverride[] = [];
  const rules: CompiledRule[] = [];
  for (const { rule, origin } of loaded) {
    const user = origin === 'builtin' ? first.user.get(rule.id) : undefined;
    if (user) overrides.push({ id: rule.id, file: user.file, replaces: rule.file });
    else rules.push(rule);
  }
  const correlations = loadCorrelationRules(correlationFiles);
  return { rules, problems: [...problems, ...correlations.problems], overrides, correlations: correlations.rules };
}

/** Marks a file that is a correlation rule (or a Sigma file of several documents holding one). */
const CORRELATION = Symbol('correlation');

function loadRule({ file, text, origin = 'builtin' }: RuleSource): CompiledRule | RuleProblem | typeof CORRELATION {
  const yaml = parseYaml(file, text);
  if ('reason' in yaml) return yaml.reason === SEVERAL_DOCUMENTS && /^correlation:/m.test(text) ? CORRELATION : yaml;
  const { doc, counter: lineCounter } = yaml;
  const js = yaml.value;
  if (js !== null && typeof js === 'object' && 'correlation' in js) return CORRELATION;
  if (isSigmaDocument(js)) return loadSigmaRule(file, js, yaml, origin === 'user' ? CUSTOM_PACK : SIGMA_PACK);
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
    const at = err instanceof ExpressionError ? [...err.at] : ['match'];
    return { file, line: lineOf(doc, lineCounter, at), reason: (err as Error).message };
  }
}

function loadSigmaRule(file: string, js: unknown, yaml: ParsedYaml, pack: string): CompiledRule | RuleProblem {
  const { doc, counter } = yaml;
  const parsed = SigmaRuleSchema.safeParse(js);
  if (!parsed.success) return { ...issueProblem(file, yaml, parsed.error.issues[0]!, 'Sigma '), kind: 'invalid' };
  try {
    return compileSigmaRule(parsed.data, file, pack);
  } catch (err) {
    const unsupported = err instanceof SigmaUnsupportedError;
    return { file, line: lineOf(doc, counter, ['detection']), reason: `${unsupported ? 'unsupported Sigma feature' : 'invalid Sigma rule'}: ${(err as Error).message}`, kind: unsupported ? 'unsupported' : 'invalid' };
  }
}
