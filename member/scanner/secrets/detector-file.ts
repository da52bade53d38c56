/**
 * Secret detector files: one YAML file per detector under `rules/secrets/` (format in that folder's
 * README). Validated and compiled once at load; a broken file becomes a problem naming its file and
 * line, and the other detectors still load.
 */
import { basename } from 'node:path';
import { z } from 'zod';
import { lineOf, parseYaml } from '../../../central/core/rules/load.js';
import { SEVERITY_LABELS } from '../../../central/core/rules/schema.js';
import { isYamlFile } from '../../../central/local/rule-files.js';
import { readRuleFiles, type RuleText } from '../rule-files.js';
import type { MatchSeverity } from '../scan-match.js';
import { VALIDATORS, type SecretValidator } from './validators.js';

const ASFF_NAMESPACES = ['Software and Configuration Checks', 'TTPs', 'Effects', 'Unusual Behaviors', 'Sensitive Data Identifications'];

/** The shape of a detector file. */
export const DetectorFileSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lowercase words joined by hyphens'),
  title: z.string().min(1).max(120),
  description: z.string().max(1024).optional(),
  reference: z.string().optional(),
  severity: z.enum(SEVERITY_LABELS),
  findingType: z.string().refine((t) => {
    const parts = t.split('/');
    return parts.length === 3 && ASFF_NAMESPACES.includes(parts[0]!) && parts.every((p) => p.length > 0);
  }, `must be an ASFF namespace/category/classifier with a namespace among: ${ASFF_NAMESPACES.join(', ')}`),
  keywords: z.array(z.string().min(2).refine((k) => k === k.toLowerCase(), 'keywords are matched on lower-cased content, so must be lower case')).min(1).optional(),
  pattern: z.string().min(1),
  flags: z.string().regex(/^(?!.*(.).*\1)[imsu]*$/, 'may hold i, m, s and u (d and g are added)').optional(),
  secretGroup: z.number().int().min(0).max(20).default(0),
  minEntropy: z.number().min(0).max(8).optional(),
  validate: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
  requires: z.strictObject({ detector: z.string().min(1), within: z.number().int().min(1).max(65536) }).optional(),
  allow: z.array(z.string().min(1)).optional(),
  generic: z.boolean().default(false),
  tests: z.strictObject({ positive: z.array(z.string().min(1)).min(1), negative: z.array(z.string().min(1)).min(1) }),
});

/** A compiled detector, ready for `findSecrets`. */
export interface SecretDetector {
  readonly id: string;
  readonly file: string;
  readonly title: string;
  readonly severity: MatchSeverity;
  readonly findingType: string;
  /** Lower-case literals; the detector runs only on content holding one. Empty: it always runs. */
  readonly keywords: readonly string[];
  /** The pattern with the `d` and `g` flags, compiled once. */
  readonly regex: RegExp;
  readonly secretGroup: number;
  readonly minEntropy?: number;
  readonly validators: readonly SecretValidator[];
  /** Report only with a match of this detector within `within` bytes; the two are one match. */
  readonly requires?: { readonly detector: string; readonly within: number };
  /** Placeholders and examples, matched case-insensitively against the secret. */
  readonly allow: readonly RegExp[];
  /** Recognises secrets by their context (a key name) rather than their format: loses overlaps. */
  readonly generic: boolean;
  readonly tests: { readonly positive: readonly string[]; readonly negative: readonly string[] };
}

/** A detector file left out, and why. */
export interface DetectorProblem {
  readonly file: string;
  readonly line?: number;
  readonly message: string;
}

/** Parses and compiles detector files; each broken file is a problem and the rest still load. */
export function parseSecretDetectors(sources: ReadonlyArray<{ file: string; text: string }>): { detectors: SecretDetector[]; problems: DetectorProblem[] } {
  const problems: DetectorProblem[] = [];
  const compiled: Array<{ detector: SecretDetector; lineOf: (path: string[]) => number }> = [];
  for (const source of sources) {
    const result = compileFile(source.file, source.text);
    if ('message' in result) problems.push(result);
    else compiled.push(result);
  }
  // Ids and `requires` can only be checked once every file is in.
  const byId = new Map<string, SecretDetector>();
  const detectors: SecretDetector[] = [];
  for (const { detector, lineOf: line } of compiled) {
    const other = byId.get(detector.id);
    if (other) problems.push({ file: detector.file, line: line(['id']), message: `duplicate detector id "${detector.id}" (also in ${other.file})` });
    else byId.set(detector.id, detector);
  }
  for (const { detector, lineOf: line } of compiled) {
    if (byId.get(detector.id) !== detector) continue;
    const required = detector.requires && byId.get(detector.requires.detector);
    if (detector.requires && (!required || required.requires)) {
      const why = required ? 'which itself requires another detector' : 'no such detector is loaded';
      problems.push({ file: detector.file, line: line(['requires', 'detector']), message: `requires: unknown detector "${detector.requires.detector}" (${why})` });
      continue;
    }
    detectors.push(detector);
  }
  return { detectors, problems };
}

/** Every `*.yaml`/`*.yml` below `dir`, sorted, named relative to `dir`'s parent (`secrets/jwt.yaml`). */
export function readSecretDetectorFiles(dir: string): RuleText[] {
  return readRuleFiles(dir, isYamlFile);
}

/** Reads the detector files below `dir` and parses them like `parseSecretDetectors`. */
export function loadSecretDetectors(dir: string): { detectors: SecretDetector[]; problems: DetectorProblem[] } {
  return parseSecretDetectors(readSecretDetectorFiles(dir));
}

function compileFile(file: string, text: string): { detector: SecretDetector; lineOf: (path: string[]) => number } | DetectorProblem {
  const yaml = parseYaml(file, text);
  if ('reason' in yaml) return { file, line: yaml.line, message: yaml.reason };
  const line = (path: readonly PropertyKey[]) => lineOf(yaml.doc, yaml.counter, path.map(String));
  let js: unknown;
  try {
    js = yaml.doc.toJS();
  } catch (err) {
    // `yaml` refuses to expand an alias bomb (maxAliasCount): one bad file, not a scanner that cannot start.
    return { file, message: `invalid YAML: ${(err as Error).message}` };
  }
  const parsed = DetectorFileSchema.safeParse(js);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.code === 'unrecognized_keys') return { file, line: line([...issue.path, issue.keys[0]!]), message: `unknown key "${issue.keys.join('", "')}"` };
    return { file, line: line(issue.path), message: `${issue.path.map(String).join('.') || '(detector)'}: ${issue.message}` };
  }
  const spec = parsed.data;
  const problem = (path: PropertyKey[], message: string): DetectorProblem => ({ file, line: line(path), message });
  if (basename(file) !== `${spec.id}.yaml` && basename(file) !== `${spec.id}.yml`) return problem(['id'], `file name must be ${spec.id}.yaml to match the detector id`);
  const unbounded = unboundedQuantifier(spec.pattern);
  if (unbounded) return problem(['pattern'], `pattern: unbounded quantifier "${unbounded}"; bound it (e.g. {0,64}) so a large object cannot make the regex run away`);
  const regex = compileRegex(spec.pattern, `${spec.flags ?? ''}dg`);
  if (typeof regex === 'string') return problem(['pattern'], `pattern: ${regex}`);
  const groups = new RegExp(`${spec.pattern}|`, spec.flags).exec('')!.length - 1;
  if (spec.secretGroup > groups) return problem(['secretGroup'], `secretGroup: the pattern has ${groups} capture group(s), not ${spec.secretGroup}`);
  if (regex.test('')) return problem(['pattern'], 'pattern: matches the empty string');
  const allow: RegExp[] = [];
  for (const [i, source] of (spec.allow ?? []).entries()) {
    const compiled = compileRegex(source, 'i');
    if (typeof compiled === 'string') return problem(['allow', i], `allow.${i}: ${compiled}`);
    allow.push(compiled);
  }
  const names = spec.validate === undefined ? [] : typeof spec.validate === 'string' ? [spec.validate] : spec.validate;
  const validators: SecretValidator[] = [];
  for (const [i, name] of names.entries()) {
    const validator = Object.hasOwn(VALIDATORS, name) ? VALIDATORS[name] : undefined;
    if (!validator) return problem(typeof spec.validate === 'string' ? ['validate'] : ['validate', i], `validate: unknown validator "${name}" (known: ${Object.keys(VALIDATORS).join(', ')})`);
    validators.push(validator);
  }
  const detector: SecretDetector = {
    id: spec.id, file, title: spec.title, severity: spec.severity, findingType: spec.findingType,
    keywords: spec.keywords ?? [], regex, secretGroup: spec.secretGroup, validators, allow, generic: spec.generic, tests: spec.tests,
    ...(spec.minEntropy !== undefined && { minEntropy: spec.minEntropy }),
    ...(spec.requires && { requires: spec.requires }),
  };
  return { detector, lineOf: line };
}

function compileRegex(source: string, flags: string): RegExp | string {
  try {
    return new RegExp(source, flags);
  } catch (err) {
    return (err as Error).message;
  }
}

/** The first `*`, `+` or `{n,}` outside a character class: quantifiers must be bounded. */
export function unboundedQuantifier(source: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '*' || c === '+') return c;
    else if (c === '{') {
      const open = /^\{\d+,\}/.exec(source.slice(i, i + 12));
      if (open) return open[0];
    }
  }
  return undefined;
}
