/**
 * Loads investigation files: parse within limits, validate, then check what the schema cannot: the
 * name is the file's, the SQL is one SELECT whose every `:name` is declared or common, every table
 * it reads is constrained to the accounts asked for and to a day range (Athena refuses a query
 * without an account partition, and would otherwise scan every day). Texts in, investigations out.
 */
import { basename } from 'node:path';
import type { RuleProblem } from '../rules/load.js';
import { issueProblem, lineOf, parseYaml } from '../rules/yaml-file.js';
import { COMMON_PARAMETERS, InvestigationFileSchema, windowMs, type Investigation, type InvestigationFile } from './investigation.js';
import { namedSites } from './named-sql.js';
import { countPlaceholders, skipQuotedOrComment } from './parameters.js';

/** An investigation file's name and text. */
export interface InvestigationSource {
  readonly file: string;
  readonly text: string;
}

/** What loaded and what did not. */
export interface LoadedInvestigations {
  readonly investigations: Investigation[];
  readonly problems: RuleProblem[];
}

/** Loads the files; a broken one is a problem naming its file and line, the others load. */
export function loadInvestigations(sources: readonly InvestigationSource[]): LoadedInvestigations {
  const investigations: Investigation[] = [];
  const problems: RuleProblem[] = [];
  const seen = new Map<string, string>();
  for (const { file, text } of sources) {
    const yaml = parseYaml(file, text);
    if ('reason' in yaml) {
      problems.push(yaml);
      continue;
    }
    const parsed = InvestigationFileSchema.safeParse(yaml.value);
    if (!parsed.success) {
      problems.push(issueProblem(file, yaml, parsed.error.issues[0]!, '', '(investigation)'));
      continue;
    }
    const at = (path: string[]) => lineOf(yaml.doc, yaml.counter, path);
    const data = parsed.data;
    const stem = basename(file).replace(/\.ya?ml$/, '');
    const wrong = stem !== data.query ? { path: ['query'], reason: `the investigation name "${data.query}" must be the file name ("${stem}")` } : sqlProblem(data);
    if (wrong) {
      problems.push({ file, line: at(wrong.path), reason: wrong.reason });
      continue;
    }
    const other = seen.get(data.query);
    if (other) {
      problems.push({ file, line: at(['query']), reason: `duplicate investigation "${data.query}" (also in ${other})` });
      continue;
    }
    seen.set(data.query, file);
    investigations.push(compile(file, data));
  }
  return { investigations, problems };
}

function compile(file: string, f: InvestigationFile): Investigation {
  return {
    name: f.query,
    file,
    title: f.title,
    description: f.description.trim(),
    tables: f.tables,
    parameters: Object.entries(f.parameters).map(([name, p]) => ({ name, type: p.type, description: p.description, ...(p.default !== undefined && { default: p.default }) })),
    pivot: f.pivot,
    windowMs: windowMs(f.window),
    timeColumn: f.time,
    sql: f.sql.trim(),
  };
}

/** The SQL's code with literals and comments blanked out, so words and `;` are found in code only. */
function codeOf(sql: string): string {
  let out = '';
  for (let i = 0; i < sql.length; i++) {
    const end = skipQuotedOrComment(sql, i);
    if (end === i) out += sql[i];
    else {
      out += ' '.repeat(Math.min(end, sql.length - 1) - i + 1);
      i = end;
    }
  }
  return out;
}

const word = (code: string, w: string) => new RegExp(`(^|[^A-Za-z0-9_"])${w}([^A-Za-z0-9_"]|$)`, 'i').test(code);

/** The first thing wrong with the SQL, and where in the file to point. */
function sqlProblem(f: InvestigationFile): { path: string[]; reason: string } | undefined {
  const sql = ['sql'];
  const code = codeOf(f.sql).trim();
  if (!/^(SELECT|WITH)\s/i.test(code)) return { path: sql, reason: 'the SQL must be one SELECT (or WITH ... SELECT) statement' };
  if (code.replace(/;\s*$/, '').includes(';')) return { path: sql, reason: 'the SQL must be one statement (no ";" between statements)' };
  if (countPlaceholders(f.sql) > 0) return { path: sql, reason: 'write parameters as :name, not ?' };
  const sites = namedSites(f.sql);
  const used = new Set(sites.map((s) => s.name));
  for (const name of used) {
    if (!(name in COMMON_PARAMETERS) && !(name in f.parameters)) return { path: sql, reason: `:${name} is neither a declared parameter nor a common one (${Object.keys(COMMON_PARAMETERS).join(', ')})` };
  }
  for (const name of Object.keys(f.parameters)) {
    if (name in COMMON_PARAMETERS) return { path: ['parameters', name], reason: `"${name}" is a common parameter and cannot be declared` };
    if (!used.has(name)) return { path: ['parameters', name], reason: `parameter "${name}" is declared but the SQL never uses :${name}` };
  }
  for (const table of f.tables) if (!word(code, table)) return { path: ['tables'], reason: `the SQL does not read the table "${table}" it declares` };
  const accountFilters = (code.match(/\baccount\s+IN\s*\(\s*:accounts\s*\)/gi) ?? []).length;
  if (accountFilters < f.tables.length) return { path: sql, reason: `every table read must be constrained with "account IN (:accounts)" (found ${accountFilters} for ${f.tables.length} tables): Athena reads account partitions only when named` };
  const logTables = f.tables.filter((t) => t !== 'findings').length;
  const dayFilters = sites.filter((s) => s.name === 'from_day').length;
  if (dayFilters < logTables) return { path: sql, reason: `every log table read must be constrained with "day BETWEEN :from_day AND :to_day" (found ${dayFilters} for ${logTables} tables)` };
  if (f.tables.includes('findings') && !used.has('from_date')) return { path: sql, reason: 'the findings table must be constrained with "day >= :from_date"' };
  for (const name of Object.keys(f.pivot)) if (!(name in f.parameters)) return { path: ['pivot', name], reason: `pivot names "${name}", which is not a declared parameter` };
  if (!word(code, f.time)) return { path: ['time'], reason: `the SQL has no column "${f.time}" to order a timeline by` };
  return undefined;
}
