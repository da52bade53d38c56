/**
 * Binding an investigation: its parameters checked against their types (a bad value is refused
 * before anything runs, naming the parameter), the time range and accounts turned into the common
 * parameters, and the SQL made positional. Values are only ever bound, never spliced.
 */
import type { SqlQuery } from '../ports.js';
import type { QueryEngineName } from './errors.js';
import { COMMON_PARAMETERS, type Investigation, type InvestigationParameter, type ParameterType } from './investigation.js';
import { positional } from './named-sql.js';

/** A value the caller gave (a parameter, a time, an account) that the investigation cannot take. */
export class InvestigationInputError extends Error {
  override readonly name = 'InvestigationInputError';
  /** The input at fault: a parameter name, `from`, `to` or `accounts`. */
  constructor(readonly input: string, readonly reason: string) {
    super(`${input}: ${reason}`);
  }
}

/** What to run an investigation over. */
export interface InvestigationRequest {
  /** Parameter values as text (from `--param k=v`), by name. */
  readonly parameters: Readonly<Record<string, string>>;
  readonly from: Date;
  /** Exclusive. */
  readonly to: Date;
  readonly accounts: readonly string[];
}

/** A bound investigation: the statement to run and what its parameters came to. */
export interface BoundInvestigation {
  readonly query: SqlQuery;
  readonly values: Readonly<Record<string, string | number>>;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^(?=.*:)[0-9a-fA-F:.]{2,45}$/;
const CHECKS: Readonly<Record<ParameterType, { test: (v: string) => boolean; wanted: string }>> = {
  string: { test: (v) => v.length <= 512 && !/[\u0000-\u001f]/.test(v), wanted: 'text of at most 512 characters without control characters' },
  principal: { test: (v) => v.length > 0 && v.length <= 512 && !/[\u0000-\u001f]/.test(v), wanted: 'an ARN, a principal id or a user name' },
  ip: { test: (v) => IPV4.test(v) || (IPV6.test(v) && v.split('::').length <= 2), wanted: 'an IPv4 or IPv6 address' },
  'access-key': { test: (v) => /^[A-Z0-9]{16,128}$/.test(v), wanted: 'an access key id such as AKIAIOSFODNN7EXAMPLE' },
  account: { test: (v) => /^\d{12}$/.test(v), wanted: 'a 12-digit account id' },
  integer: { test: (v) => /^-?\d{1,15}$/.test(v), wanted: 'a whole number' },
  region: { test: (v) => /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/.test(v) || v === 'cloudfront', wanted: 'an AWS region such as eu-west-1' },
};

/** The value of one parameter, checked against its type. */
export function parameterValue(parameter: InvestigationParameter, text: string): string | number {
  const check = CHECKS[parameter.type];
  if (!check.test(text)) throw new InvestigationInputError(parameter.name, `expected ${check.wanted} (type ${parameter.type}), got ${JSON.stringify(text)}`);
  return parameter.type === 'integer' ? Number(text) : text;
}

const pad = (n: number) => String(n).padStart(2, '0');
const dayOf = (t: number, sep: string) => {
  const d = new Date(t);
  return [d.getUTCFullYear(), pad(d.getUTCMonth() + 1), pad(d.getUTCDate())].join(sep);
};
const isoSeconds = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
// Logs are filed under the day they were delivered, up to about 15 minutes after the event: the last
// day partition read is the one an hour past the end.
const LATE_DELIVERY_MS = 3_600_000;

/** The common parameters' values for a time range and accounts. */
export function commonValues(from: Date, to: Date, accounts: readonly string[]): Record<keyof typeof COMMON_PARAMETERS, readonly (string | number)[]> {
  const f = from.getTime();
  const t = to.getTime();
  return {
    accounts,
    from_day: [dayOf(f, '/')],
    to_day: [dayOf(t + LATE_DELIVERY_MS, '/')],
    from_date: [dayOf(f, '-')],
    to_date: [dayOf(t + LATE_DELIVERY_MS, '-')],
    from_time: [isoSeconds(f)],
    to_time: [isoSeconds(t)],
    from_epoch: [Math.floor(f / 1000)],
    to_epoch: [Math.ceil(t / 1000)],
    from_ms: [f],
    to_ms: [t],
  };
}

/** The investigation's parameter values: those given, checked against their types, and the defaults. */
export function resolveParameters(investigation: Investigation, given: Readonly<Record<string, string>>): Record<string, string | number> {
  const declared = new Map(investigation.parameters.map((p) => [p.name, p]));
  for (const name of Object.keys(given)) {
    if (!declared.has(name)) {
      const known = investigation.parameters.map((p) => p.name);
      throw new InvestigationInputError(name, `unknown parameter of ${investigation.name} (${known.length ? `it takes ${known.join(', ')}` : 'it takes none'})`);
    }
  }
  const values: Record<string, string | number> = {};
  for (const p of investigation.parameters) {
    const text = given[p.name];
    if (text !== undefined) values[p.name] = parameterValue(p, text);
    else if (p.default !== undefined) values[p.name] = p.default;
    else throw new InvestigationInputError(p.name, `required by ${investigation.name}: ${p.description}`);
  }
  return values;
}

/** Checks the request and binds the investigation's SQL. */
export function bindInvestigation(investigation: Investigation, request: InvestigationRequest): BoundInvestigation {
  const values = resolveParameters(investigation, request.parameters);
  const from = request.from.getTime();
  const to = request.to.getTime();
  if (!Number.isFinite(from)) throw new InvestigationInputError('from', 'not a time');
  if (!Number.isFinite(to)) throw new InvestigationInputError('to', 'not a time');
  if (to <= from) throw new InvestigationInputError('to', `must be after from (${request.from.toISOString()})`);
  if (request.accounts.length === 0) throw new InvestigationInputError('accounts', 'at least one account is needed (every query reads named account partitions)');
  for (const a of request.accounts) if (!/^\d{12}$/.test(a)) throw new InvestigationInputError('accounts', `expected 12-digit account ids, got ${JSON.stringify(a)}`);
  const common = commonValues(request.from, request.to, [...new Set(request.accounts)]);
  const query = positional(investigation.sql, (name) => (name in common ? common[name as keyof typeof common] : name in values ? [values[name]!] : []));
  return { query, values };
}

/**
 * The time range when the caller gives none: in AWS the investigation's window up to now, since every
 * day scanned is paid for; on a laptop everything in the folders.
 */
export function defaultRange(investigation: Investigation, engine: QueryEngineName, now: Date): { from: Date; to: Date } {
  if (engine === 'duckdb') return { from: new Date('2000-01-01T00:00:00Z'), to: new Date('2100-01-01T00:00:00Z') };
  return { from: new Date(now.getTime() - investigation.windowMs), to: now };
}

/** A time option: ISO 8601 (a day alone is midnight UTC), or a duration before `now` such as `24h` or `7d`. */
export function parseTime(input: 'from' | 'to', text: string, now: Date): Date {
  const relative = /^(\d+)([hd])$/.exec(text);
  if (relative) return new Date(now.getTime() - Number(relative[1]) * (relative[2] === 'h' ? 3_600_000 : 86_400_000));
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text;
  const t = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(iso) ? Date.parse(iso) : Number.NaN;
  if (!Number.isFinite(t)) throw new InvestigationInputError(input, `expected an ISO 8601 time (2026-11-11T03:00:00Z), a day (2026-11-11) or a duration before now (24h, 7d), got ${JSON.stringify(text)}`);
  return new Date(t);
}
