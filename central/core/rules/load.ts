/**
 * Loads rule files: parse YAML keeping positions, validate against the schema, compile. A broken
 * file is reported with its path, line and reason; the other rules still load.
 */
import { LineCounter, parseDocument, isMap, isNode, isScalar, isSeq, type Document } from 'yaml';
import { ExpressionError } from './expression.js';
import { compileRule, type CompiledRule } from './rule.js';
import { RuleSchema } from './schema.js';
import { SigmaUnsupportedError } from './sigma/condition.js';
import { compileSigmaRule, isSigmaDocument, SigmaRuleSchema } from './sigma/compile.js';

/** A rule file that could not be loaded. */
export interface RuleProblem {
  readonly file: string;
  readonly line: number;
  readonly reason: string;
  /** `unsupported`: a valid Sigma rule using a feature Skywatch does not run; `invalid`: a broken file. */
  readonly kind?: 'invalid' | 'unsupported';
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

/** A YAML file parsed with positions, so later problems can name their line. */
export interface ParsedYaml {
  readonly doc: Document;
  readonly counter: LineCounter;
}

/** Parses YAML keeping positions; a syntax error is a problem at its line. */
export function parseYaml(file: string, text: string): ParsedYaml | RuleProblem {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length === 0) return { doc, counter };
  const e = doc.errors[0]!;
  return { file, line: counter.linePos(e.pos[0]).line, reason: `invalid YAML: ${e.message.split('\n')[0]}` };
}

/** A schema issue as a problem at the line of the key it is about. */
export function issueProblem(
  file: string,
  { doc, counter }: ParsedYaml,
  issue: { readonly path: readonly PropertyKey[]; readonly message: string },
  prefix = '',
  whole = '(rule)',
): RuleProblem {
  const path = issue.path.map(String);
  return { file, line: lineOf(doc, counter, path), reason: `${prefix}${path.join('.') || whole}: ${issue.message}` };
}

function loadRule({ file, text }: RuleSource): CompiledRule | RuleProblem {
  const yaml = parseYaml(file, text);
  if ('reason' in yaml) return yaml;
  const { doc, counter: lineCounter } = yaml;
  const js: unknown = doc.toJS();
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
    const at = err instanceof ExpressionError ? [...err.at] : ['match'];
    return { file, line: lineOf(doc, lineCounter, at), reason: (err as Error).message };
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

/** The line of the deepest key or item along `path` that exists in the document. */
export function lineOf(doc: Document, counter: LineCounter, path: string[]): number {
  let node: unknown = doc.contents;
  let offset = isNode(node) && node.range ? node.range[0] : 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
      if (!pair) break;
      if (isNode(pair.key) && pair.key.range) offset = pair.key.range[0];
      node = pair.value;
    } else if (isSeq(node) && /^\d+$/.test(segment)) {
      node = node.items[Number(segment)];
      if (!isNode(node) || !node.range) break;
      offset = node.range[0];
    } else break;
  }
  return counter.linePos(offset).line;
}
