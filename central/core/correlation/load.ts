/**
 * Loads correlation rule files: parse the YAML within limits, validate, compile, then check the
 * rules against each other (unique ids and names, no correlation of correlations). A file that
 * cannot load is a problem with its file, line and reason, `invalid` when it is broken and
 * `unsupported` when it is valid Sigma the engine does not run; the other files still load. Texts
 * in, rules out: the caller reads the files.
 */
import { isMap, isScalar, LineCounter, parseAllDocuments } from 'yaml';
import type { RuleProblem } from '../rules/load.js';
import { isSigmaDocument } from '../rules/sigma/compile.js';
import { issueProblem, lineOf, parseYaml, SEVERAL_DOCUMENTS, type ParsedYaml } from '../rules/yaml-file.js';
import { compileCorrelation, CorrelationRuleError, type CompiledCorrelation } from './compile.js';
import { AGGREGATE_TYPES, CorrelationFileSchema, UUID } from './schema.js';

/** One correlation rule file's name and text. */
export interface CorrelationSource {
  readonly file: string;
  readonly text: string;
}

/** The rules that loaded and the problems of those that did not. */
export interface LoadedCorrelations {
  readonly rules: CompiledCorrelation[];
  readonly problems: RuleProblem[];
}

/**
 * Loads correlation rules. Of two files with one id (or one `name`), the first in source order
 * loads and the next is a problem naming both. A `rules:` entry naming a correlation rule (its id
 * or name, exactly) is a chain, which is not supported: the engine correlates detectors'
 * observations, and a correlation's matches are none. A `*` pattern can only ever match
 * observations, so it is never taken for a chain.
 */
export function loadCorrelationRules(files: readonly CorrelationSource[]): LoadedCorrelations {
  const problems: RuleProblem[] = [];
  const loaded: Array<{ rule: CompiledCorrelation; yaml: ParsedYaml }> = [];
  const byId = new Map<string, CompiledCorrelation>();
  const byName = new Map<string, CompiledCorrelation>();
  for (const source of files) {
    const result = loadOne(source);
    if ('reason' in result) {
      problems.push(result);
      continue;
    }
    const { rule, yaml } = result;
    const sameId = byId.get(rule.id) ?? byName.get(rule.id);
    const sameName = rule.name === undefined ? undefined : (byName.get(rule.name) ?? byId.get(rule.name));
    if (sameId || sameName) {
      const [what, value, other] = sameId ? ['id', rule.id, sameId] : ['name', rule.name!, sameName!];
      problems.push({ file: rule.file, line: lineOf(yaml.doc, yaml.counter, [what]), reason: `duplicate correlation rule ${what} "${value}" (also in ${other.file})`, kind: 'invalid' });
      continue;
    }
    byId.set(rule.id, rule);
    if (rule.name !== undefined) byName.set(rule.name, rule);
    loaded.push(result);
  }
  const rules: CompiledCorrelation[] = [];
  for (const { rule, yaml } of loaded) {
    const chained = rule.refs.findIndex((ref) => byId.has(ref) || byName.has(ref));
    if (chained < 0) {
      rules.push(rule);
      continue;
    }
    const target = byId.get(rule.refs[chained]!) ?? byName.get(rule.refs[chained]!)!;
    problems.push({
      file: rule.file,
      line: lineOf(yaml.doc, yaml.counter, ['correlation', 'rules', String(chained)]),
      reason: `rules: "${rule.refs[chained]}" is the correlation rule in ${target.file}: correlations of correlations are not supported (list the rules it correlates instead)`,
      kind: 'unsupported',
    });
  }
  return { rules, problems };
}

function loadOne({ file, text }: CorrelationSource): { rule: CompiledCorrelation; yaml: ParsedYaml } | RuleProblem {
  const yaml = parseYaml(file, text);
  if ('reason' in yaml) return yaml.reason.endsWith(SEVERAL_DOCUMENTS) ? severalDocuments(file, text, yaml) : { ...yaml, kind: 'invalid' };
  const js = yaml.value;
  if (isSigmaDocument(js)) {
    return { file, line: 1, reason: 'a Sigma detection rule, not a correlation rule: put it in the Sigma rules folder and list its id or name in a correlation rule', kind: 'unsupported' };
  }
  const type = (js as { correlation?: { type?: unknown } } | null)?.correlation?.type;
  if (typeof type === 'string' && (AGGREGATE_TYPES as readonly string[]).includes(type)) {
    return { file, line: lineOf(yaml.doc, yaml.counter, ['correlation', 'type']), reason: `correlation type ${type} (a Sigma 2.x extension aggregating a field's values) is not supported: use event_count, value_count, temporal or temporal_ordered`, kind: 'unsupported' };
  }
  const parsed = CorrelationFileSchema.safeParse(js);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const problem = issueProblem(file, yaml, issue, '', '(correlation rule)');
    // An unknown key is reported on its map; its own line is the one to fix.
    const unknown = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
    return { ...problem, ...(unknown !== undefined && { line: lineOf(yaml.doc, yaml.counter, [...issue.path.map(String), unknown]) }), kind: 'invalid' };
  }
  const { id } = parsed.data;
  const base = file.split(/[\\/]/).pop();
  if (!UUID.test(id) && base !== `${id}.yaml` && base !== `${id}.yml`) {
    return { file, line: lineOf(yaml.doc, yaml.counter, ['id']), reason: `file name must be ${id}.yaml to match the rule id`, kind: 'invalid' };
  }
  try {
    return { rule: compileCorrelation(parsed.data, file), yaml };
  } catch (err) {
    if (!(err instanceof CorrelationRuleError)) throw err;
    return { file, line: lineOf(yaml.doc, yaml.counter, err.at), reason: err.message, kind: err.kind };
  }
}

/**
 * A file of several documents, as SigmaHQ writes a correlation with the rules it correlates. Here
 * each rule has its own file: detection rules run from the Sigma rules folder, and a second
 * correlation would be a chain. The problem names what the extra documents are and where they start.
 * parseYaml has already bounded the file's size and nesting; only top-level keys are read here, so
 * no alias is expanded.
 */
function severalDocuments(file: string, text: string, problem: RuleProblem): RuleProblem {
  const counter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: counter, uniqueKeys: false });
  if (!Array.isArray(docs)) return { ...problem, kind: 'invalid' };
  const extra = docs.slice(1).map((doc) => {
    const keys = isMap(doc.contents) ? doc.contents.items.map((p) => (isScalar(p.key) ? String(p.key.value) : '')) : [];
    const start = doc.contents?.range?.[0] ?? doc.range[0];
    const kind = keys.includes('detection') ? 'detection' : keys.includes('correlation') ? 'correlation' : 'other';
    return { line: counter.linePos(start).line, kind };
  });
  const lines = (kind: string) => extra.filter((d) => d.kind === kind).map((d) => d.line);
  const parts = [
    lines('detection').length && `detection rules (line ${lines('detection').join(', ')}) belong in the Sigma rules folder, one file each, referred to here by id or name`,
    lines('correlation').length && `further correlation rules (line ${lines('correlation').join(', ')}) would be correlations of correlations, which are not supported`,
    lines('other').length && `the other documents (line ${lines('other').join(', ')}) are neither`,
  ].filter((p): p is string => typeof p === 'string');
  return { file, line: extra[0]?.line ?? problem.line, reason: `a correlation rule file holds one rule and no other YAML document: ${parts.join('; ')}`, kind: 'unsupported' };
}
