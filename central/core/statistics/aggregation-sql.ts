/**
 * The aggregation SQL of a statistics detector over the Glue tables (`vpc_flow_logs`, `waf_logs`),
 * written once for both engines: Athena runs it in AWS, DuckDB runs it in tests over the same files
 * to prove it gives the in-process accumulator's numbers. The few functions the two engines spell
 * differently come from a `SqlDialect`; every value (accounts, days, times, filter values, the
 * address pattern) is a bound parameter, never spliced into the text.
 *
 * One row per (account, region, window, key) with the metric (`value`), the records counted
 * (`volume`) and one record's context; at most `capacity` rows per window and scope, the heaviest,
 * as the in-process table keeps.
 */
import type { KeyAggregate, RecordContext } from './accumulator.js';
import { DISTINCT_CAP, tableCapacity } from './accumulator.js';
import { closedWindowOf, type ClosedWindow } from './closed-window.js';
import type { FieldFilter, RecordField, StatisticsDetector } from './definition.js';
import { PRIVATE_ADDRESS_PATTERN } from './fields.js';

/** What differs between Trino (Athena) and DuckDB in this SQL. */
export interface SqlDialect {
  readonly name: 'athena' | 'duckdb';
  /** A boolean: `text` matches the regular expression `pattern` (a bound parameter). */
  regexMatch(text: string, pattern: string): string;
  /** The value of the first HTTP header called `name` (lowercase) of a WAF request, or NULL. */
  header(name: string): string;
}

const headerFilter = (name: string) => `filter(httprequest.headers, h -> lower(h.name) = '${name}')`;

/** Athena engine version 3 (Trino). */
export const ATHENA_DIALECT: SqlDialect = {
  name: 'athena',
  regexMatch: (text, pattern) => `regexp_like(${text}, ${pattern})`,
  // A subscript past the end of an array is an error in Trino; element_at gives NULL.
  header: (name) => `element_at(${headerFilter(name)}, 1).value`,
};

/** DuckDB 1.5. */
export const DUCKDB_DIALECT: SqlDialect = {
  name: 'duckdb',
  regexMatch: (text, pattern) => `regexp_matches(${text}, ${pattern})`,
  header: (name) => `(${headerFilter(name)})[1].value`,
};

/** The SQL expression of each field, per table. Header names are fixed strings, never input. */
const FIELD_SQL: Readonly<Record<'flow' | 'waf', Readonly<Partial<Record<RecordField, (d: SqlDialect) => string>>>>> = {
  flow: {
    interface: () => 'interface_id', srcaddr: () => 'srcaddr', dstaddr: () => 'dstaddr', srcport: () => 'srcport', dstport: () => 'dstport',
    protocol: () => 'protocol', action: () => 'action', bytes: () => 'bytes', packets: () => 'packets',
  },
  waf: {
    webacl: () => 'webacl', clientip: () => 'httprequest.clientip', country: () => 'httprequest.country', uri: () => 'httprequest.uri',
    method: () => 'httprequest.httpmethod', action: () => 'action', rule: () => 'terminatingruleid', useragent: (d) => d.header('user-agent'), host: (d) => d.header('host'),
  },
};

/** The context columns a finding takes from one record of the key. */
const CONTEXT_SQL: Readonly<Record<'flow' | 'waf', Readonly<Partial<Record<keyof RecordContext, (d: SqlDialect) => string>>>>> = {
  flow: { interfaceId: () => 'interface_id', protocol: () => 'protocol', srcAddr: () => 'srcaddr', dstAddr: () => 'dstaddr', srcPort: () => 'srcport', dstPort: () => 'dstport' },
  waf: { webAclId: () => 'webaclid', clientIp: () => 'httprequest.clientip', uri: () => 'httprequest.uri', userAgent: (d) => d.header('user-agent'), country: () => 'httprequest.country' },
};

const TABLE = { flow: 'vpc_flow_logs', waf: 'waf_logs' } as const;
/** Seconds since the epoch of a record: a flow's start, a WAF request's timestamp in ms. */
const TIME_SQL = { flow: 'start', waf: 'CAST(floor(CAST("timestamp" AS DOUBLE) / 1000) AS BIGINT)' } as const;

/** The range a query reads: accounts (Athena requires them: `account` is an injected partition), days and times. */
export interface AggregationRange {
  readonly accounts: readonly string[];
  /** Window starts from (inclusive) and to (exclusive), seconds since the epoch. */
  readonly from: number;
  readonly to: number;
  /**
   * Web ACL names (the `webacl` folder of WAF logs). `webacl` is an injected partition of `waf_logs`
   * too, so Athena refuses a WAF query that does not name them; DuckDB reads every folder without.
   */
  readonly webAcls?: readonly string[];
}

/** A query and its positional parameters. */
export interface AggregationQuery {
  readonly sql: string;
  readonly parameters: ReadonlyArray<string | number>;
}

/** The SQL aggregating one detector's windows over the range. */
export function aggregationSql(detector: StatisticsDetector, range: AggregationRange, dialect: SqlDialect): AggregationQuery {
  if (range.accounts.length === 0) throw new Error('an aggregation query needs at least one account (account is an injected partition)');
  if (range.webAcls?.length === 0 && detector.source === 'waf') throw new Error('a WAF aggregation query given web ACLs needs at least one (webacl is an injected partition)');
  const params: Array<string | number> = [];
  const bind = (v: string | number) => {
    params.push(v);
    return '?';
  };
  const src = detector.source;
  const field = (f: RecordField) => {
    const sql = FIELD_SQL[src][f];
    if (!sql) throw new Error(`no SQL for field ${f} of ${src} records`);
    return sql(dialect);
  };
  const filter = (f: FieldFilter): string => {
    const expr = field(f.field);
    if ('equals' in f) return `${expr} = ${bind(f.equals)}`;
    if ('in' in f) return `${expr} IN (${f.in.map(bind).join(', ')})`;
    if ('notIn' in f) return `${expr} NOT IN (${f.notIn.map(bind).join(', ')})`;
    const isPrivate = dialect.regexMatch(expr, bind(PRIVATE_ADDRESS_PATTERN));
    return f.address === 'private' ? isPrivate : `NOT ${isPrivate}`;
  };
  const w = detector.windowSeconds;
  const time = TIME_SQL[src];
  const keys = detector.key.map((f, i) => `${field(f)} AS k${i}`);
  const m = detector.metric;
  const value =
    m.kind === 'count' ? 'count(*)'
    : m.kind === 'sum' ? `sum(${field(m.field)})`
    : m.kind === 'distinct' ? `least(count(DISTINCT ${field(m.field)}), ${DISTINCT_CAP})`
    : `CAST(sum(CASE WHEN ${m.when.map(filter).join(' AND ')} THEN 1 ELSE 0 END) AS DOUBLE) / count(*)`;
  const context = Object.entries(CONTEXT_SQL[src]).map(([name, sql]) => `arbitrary(${sql!(dialect)}) AS ctx_${name}`);
  // Parameters are positional: the SELECT list's (ratio filters) come before the WHERE clause's.
  const selectParams = params.splice(0);
  const where = [
    `account IN (${range.accounts.map(bind).join(', ')})`,
    ...(src === 'waf' && range.webAcls ? [`webacl IN (${range.webAcls.map(bind).join(', ')})`] : []),
    `day BETWEEN ${bind(day(range.from))} AND ${bind(day(range.to - 1))}`,
    `${time} >= ${bind(range.from)}`,
    `${time} < ${bind(range.to)}`,
    ...detector.key.map((f) => `${field(f)} IS NOT NULL`),
    ...(m.kind === 'sum' || m.kind === 'distinct' ? [`${field(m.field)} IS NOT NULL`] : []),
    ...detector.where.map(filter),
  ];
  const whereParams = params.splice(0);
  const groupBy = ['account', 'region', 'window_start', ...detector.key.map((_, i) => `k${i}`)];
  const scope = ['account', 'region', 'window_start', ...detector.scope.map((f) => `k${detector.key.indexOf(f)}`)];
  const capacity = tableCapacity(detector.settings.topK);
  const sql = [
    'SELECT * FROM (',
    `  SELECT *, row_number() OVER (PARTITION BY ${scope.join(', ')} ORDER BY value DESC, ${groupBy.slice(3).join(', ')}) AS rank_in_scope FROM (`,
    `    SELECT account, region, CAST(floor(CAST(${time} AS DOUBLE) / ${w}) AS BIGINT) * ${w} AS window_start, ${keys.join(', ')},`,
    `      ${value} AS value, count(*) AS volume, ${context.join(', ')}`,
    `    FROM ${TABLE[src]}`,
    `    WHERE ${where.join('\n      AND ')}`,
    `    GROUP BY ${groupBy.map((_, i) => i + 1).join(', ')}`,
    '  ) AS aggregated',
    `) AS ranked WHERE rank_in_scope <= ${capacity}`,
    `ORDER BY account, region, window_start, value DESC`,
  ].join('\n');
  // SELECT-list parameters (in a ratio's CASE) come first in the text, then the WHERE clause's.
  return { sql, parameters: [...selectParams, ...whereParams] };
}

/** Turns result rows back into closed windows (every row a key, the engine picks the judged ones), by window. */
export function aggregatesFromRows(detector: StatisticsDetector, rows: ReadonlyArray<Record<string, unknown>>): Map<string, ClosedWindow> {
  const windows = new Map<string, { account: string; region: string; windowStart: number; keys: KeyAggregate[] }>();
  for (const row of rows) {
    const account = String(row.account);
    const region = String(row.region);
    const windowStart = Number(row.window_start);
    const id = `${account}/${region}/${windowStart}`;
    let w = windows.get(id);
    if (!w) windows.set(id, (w = { account, region, windowStart, keys: [] }));
    const context: Record<string, string | number> = {};
    for (const name of Object.keys(CONTEXT_SQL[detector.source])) {
      const v = row[`ctx_${name}`];
      if (v !== null && v !== undefined) context[name] = typeof v === 'number' || typeof v === 'bigint' ? Number(v) : String(v);
    }
    w.keys.push({
      key: [account, region, ...detector.key.map((_, i) => String(row[`k${i}`]))],
      value: Number(row.value),
      volume: Number(row.volume),
      estimated: false,
      context: context as RecordContext,
    });
  }
  // Rows come heaviest first per scope: the engine picks the judged ones and peers sum them all.
  return new Map([...windows].map(([id, w]) => [id, closedWindowOf(detector, w, w.keys)]));
}

/** `yyyy/MM/dd` of a time in seconds: the `day` partition's format. */
function day(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 10).replace(/-/g, '/');
}
