/**
 * Loads rule files: parse YAML keeping positions, validate against the schema, compile. A broken
 * file is reported with its path, line and reason; the other rules still load.
 */
import { LineCounter, parseDocument, isMap, isNode, isScalar, isSeq, type Document } from 'yaml';
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

function loadRule({ file, text }: RuleSource): CompiledRule | RuleProblem {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    return { file, line: lineCounter.linePos(e.pos[0]).line, reason: `invalid YAML: ${e.message.split('\n')[0]}` };
  }
  const js: unknown = doc.toJS();
  if (isSigmaDocument(js)) return loadSigmaRule(file, js, doc, lineCounter);
  const parsed = RuleSchema.safeParse(js);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map(String);
    return { file, line: lineOf(doc, lineCounter, path), reason: `${path.join('.') || '(rule)'}: ${issue.message}` };
  }
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

function loadSigmaRule(file: string, js: unknown, doc: Document, counter: LineCounter): CompiledRule | RuleProblem {
  const parsed = SigmaRuleSchema.safeParse(js);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map(String);
    return { file, line: lineOf(doc, counter, path), reason: `Sigma ${path.join('.') || '(rule)'}: ${issue.message}`, kind: 'invalid' };
  }
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
