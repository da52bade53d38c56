/**
 * Loads statistics detector files: parse within limits, validate, then check what the schema
 * cannot (every field exists in the detector's log source, the scope is part of the key, ids
 * unique and equal to file names). Texts in, detectors out: the caller reads the files.
 */
import { basename } from 'node:path';
import type { RuleProblem } from '../rules/load.js';
import { durationMs } from '../rules/schema.js';
import { issueProblem, lineOf, parseYaml } from '../rules/yaml-file.js';
import { DEFAULT_SETTINGS, FLOW_FIELDS, WAF_FIELDS, type FieldFilter, type Metric, type RecordField, type StatisticsDetector } from './definition.js';
import { StatisticsFileSchema, type StatisticsFile, type StatisticsTest } from './schema.js';

/** A detector file's name and text. */
export interface StatisticsSource {
  readonly file: string;
  readonly text: string;
}

/** A loaded detector with the tests of its file. */
export interface LoadedStatisticsDetector {
  readonly detector: StatisticsDetector;
  readonly tests: readonly StatisticsTest[];
}

/** What loaded and what did not. */
export interface LoadedStatistics {
  readonly detectors: LoadedStatisticsDetector[];
  readonly problems: RuleProblem[];
}

/** Loads the detectors; a broken file is a problem with its line, the others load. */
export function loadStatisticsDetectors(files: readonly StatisticsSource[]): LoadedStatistics {
  const detectors: LoadedStatisticsDetector[] = [];
  const problems: RuleProblem[] = [];
  const seen = new Map<string, string>();
  for (const { file, text } of files) {
    const yaml = parseYaml(file, text);
    if ('reason' in yaml) {
      problems.push(yaml);
      continue;
    }
    const parsed = StatisticsFileSchema.safeParse(yaml.value);
    if (!parsed.success) {
      problems.push(issueProblem(file, yaml, parsed.error.issues[0]!, '', '(detector)'));
      continue;
    }
    const at = (path: string[]) => lineOf(yaml.doc, yaml.counter, path);
    const data = parsed.data;
    const wrong = checkFields(data);
    if (wrong) {
      problems.push({ file, line: at([wrong.path]), reason: wrong.reason });
      continue;
    }
    const stem = basename(file).replace(/\.ya?ml$/, '');
    if (stem !== data.statistics) {
      problems.push({ file, line: at(['statistics']), reason: `the detector id "${data.statistics}" must be the file name ("${stem}")` });
      continue;
    }
    const other = seen.get(data.statistics);
    if (other) {
      problems.push({ file, line: at(['statistics']), reason: `duplicate statistics detector "${data.statistics}" (also in ${other})` });
      continue;
    }
    seen.set(data.statistics, file);
    detectors.push({ detector: compile(file, data), tests: data.tests });
  }
  return { detectors, problems };
}

function compile(file: string, f: StatisticsFile): StatisticsDetector {
  const metric: Metric =
    f.metric === 'count' ? { kind: 'count' } : 'sum' in f.metric ? { kind: 'sum', field: f.metric.sum } : 'distinct' in f.metric ? { kind: 'distinct', field: f.metric.distinct as RecordField } : { kind: 'ratio', when: f.metric.ratio as FieldFilter[] };
  return {
    id: f.statistics,
    file,
    title: f.title,
    description: f.description,
    source: f.source,
    metric,
    where: f.where as FieldFilter[],
    key: f.key as RecordField[],
    scope: f.scope as RecordField[],
    windowSeconds: durationMs(f.window) / 1000,
    graceSeconds: durationMs(f.grace) / 1000,
    settings: { ...DEFAULT_SETTINGS, ...f.settings },
    severity: f.severity,
    types: f.types,
    runbook: f.runbook,
    techniques: f.techniques,
    status: f.status,
  };
}

/** The first field that the detector's source does not have, or a scope outside the key. */
function checkFields(f: StatisticsFile): { path: string; reason: string } | undefined {
  const known: readonly string[] = f.source === 'flow' ? FLOW_FIELDS : WAF_FIELDS;
  const filters = [...f.where, ...(typeof f.metric === 'object' && 'ratio' in f.metric ? f.metric.ratio : [])];
  const used: Array<[string, string]> = [
    ...f.key.map((k) => ['key', k] as [string, string]),
    ...filters.map((w) => ['where', w.field] as [string, string]),
    ...(typeof f.metric === 'object' && 'distinct' in f.metric ? [['metric', f.metric.distinct] as [string, string]] : []),
  ];
  for (const [path, field] of used) if (!known.includes(field)) return { path, reason: `${f.source} records have no field "${field}" (they have: ${known.join(', ')})` };
  for (const s of f.scope) if (!f.key.includes(s)) return { path: 'scope', reason: `scope field "${s}" must also be a key field` };
  if (f.scope.length >= f.key.length) return { path: 'scope', reason: 'the scope must leave at least one key field to compare peers by' };
  const window = durationMs(f.window) / 1000;
  if (window < 60 || window > 86_400 || 86_400 % window !== 0) return { path: 'window', reason: 'the window must divide a day and be between 1m and 1d' };
  return undefined;
}
