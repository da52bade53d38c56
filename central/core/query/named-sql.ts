/**
 * Named parameters in an investigation's SQL: `:actor`, `:from_day`, `:accounts`. They are found in
 * code only (not in literals, quoted identifiers or comments) and replaced by positional `?`
 * placeholders, one per value; the values travel beside the SQL, as every engine binds them.
 */
import type { SqlQuery } from '../ports.js';
import { skipQuotedOrComment } from './parameters.js';

/** One `:name` in the SQL. */
export interface NamedSite {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

const IDENT = /[A-Za-z0-9_]/;
const NAME_AT = /:([a-z][a-z0-9_]*)/y;

/** Every `:name` in the code of `sql`, in order; `::` (a cast) and `a:b` inside words are not names. */
export function namedSites(sql: string): NamedSite[] {
  const sites: NamedSite[] = [];
  for (let i = 0; i < sql.length; i++) {
    const skipped = skipQuotedOrComment(sql, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    if (sql[i] !== ':' || sql[i + 1] === ':' || (i > 0 && (sql[i - 1] === ':' || IDENT.test(sql[i - 1]!)))) continue;
    NAME_AT.lastIndex = i;
    const m = NAME_AT.exec(sql);
    if (!m) continue;
    sites.push({ name: m[1]!, start: i, end: i + m[0].length });
    i += m[0].length - 1;
  }
  return sites;
}

/** The positional SQL and its values: each `:name` becomes as many `?` as `values(name)` has entries. */
export function positional(sql: string, values: (name: string) => readonly (string | number)[]): SqlQuery {
  const parameters: (string | number)[] = [];
  let out = '';
  let at = 0;
  for (const site of namedSites(sql)) {
    const bound = values(site.name);
    if (bound.length === 0) throw new RangeError(`parameter :${site.name} has no value`);
    out += sql.slice(at, site.start) + bound.map(() => '?').join(', ');
    parameters.push(...bound);
    at = site.end;
  }
  return { sql: out + sql.slice(at), parameters };
}
