/**
 * From a finding to investigations: which ones its fields can fill (the actor, the access key, the
 * address, the account), over a window around it, and the one timeline their rows make together.
 * Also the hint a finding carries (`skywatch/Investigate`) naming the investigation to run for it.
 */
import type { AsffFinding } from '../findings/asff.js';
import type { QueryValue } from '../ports.js';
import { InvestigationInputError, parameterValue } from './bind.js';
import type { Investigation, PivotField } from './investigation.js';

/** One investigation to run for a finding, with the parameters its fields gave. */
export interface PlannedInvestigation {
  readonly investigation: Investigation;
  readonly parameters: Readonly<Record<string, string>>;
}

/** The value of a pivot field in a finding, when it has one. */
export function pivotValue(finding: AsffFinding, field: PivotField): string | undefined {
  if (field === 'AwsAccountId') return finding.AwsAccountId;
  const value = finding.ProductFields?.[field];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * The investigations a finding can fill: each has a pivot, and every parameter without a default
 * gets a valid value from the finding (a service name in `skywatch/SourceIp` is no address).
 */
export function planInvestigations(finding: AsffFinding, investigations: readonly Investigation[]): PlannedInvestigation[] {
  const planned: PlannedInvestigation[] = [];
  for (const investigation of investigations) {
    const pivots = Object.entries(investigation.pivot);
    if (pivots.length === 0) continue;
    const parameters: Record<string, string> = {};
    for (const [name, fields] of pivots) {
      const declared = investigation.parameters.find((p) => p.name === name)!;
      const value = fields.map((f) => pivotValue(finding, f)).find((v) => v !== undefined && valid(declared, v));
      if (value !== undefined) parameters[name] = value;
    }
    const missing = investigation.parameters.some((p) => p.default === undefined && parameters[p.name] === undefined);
    if (!missing && Object.keys(parameters).length > 0) planned.push({ investigation, parameters });
  }
  return planned;
}

function valid(parameter: Investigation['parameters'][number], value: string): boolean {
  try {
    parameterValue(parameter, value);
    return true;
  } catch (error) {
    if (error instanceof InvestigationInputError) return false;
    throw error;
  }
}

/** The window around a finding: `hours` before its first event to `hours` after its last. */
export function windowAround(finding: AsffFinding, hours: number): { from: Date; to: Date } {
  const first = Date.parse(finding.FirstObservedAt ?? finding.CreatedAt);
  const last = Date.parse(finding.LastObservedAt ?? finding.UpdatedAt);
  const margin = hours * 3_600_000;
  return { from: new Date(first - margin), to: new Date(last + margin + 1000) };
}

/** The investigation a finding names in `skywatch/Investigate`: the principal first, then its key, then its address. */
export function investigateHint(fields: { readonly actorArn?: string; readonly accessKeyId?: string; readonly sourceIp?: string }): string | undefined {
  if (fields.actorArn) return `actor-activity actor=${fields.actorArn}`;
  if (fields.accessKeyId) return `access-key-activity key=${fields.accessKeyId}`;
  if (fields.sourceIp && /^[0-9a-fA-F.:]+$/.test(fields.sourceIp) && /[.:]/.test(fields.sourceIp)) return `ip-activity ip=${fields.sourceIp}`;
  return undefined;
}

/** The command that runs a finding's `skywatch/Investigate` hint: `skywatch query run NAME --param k=v`. */
export function investigateCommandLine(hint: string): string {
  const [name, ...params] = hint.split(' ').filter(Boolean);
  return ['skywatch query run', name, ...params.map((p) => `--param ${p}`)].join(' ');
}

/** One line of a cross-account timeline. */
export interface TimelineEntry {
  /** ISO 8601. */
  readonly time: string;
  readonly account: string;
  readonly region: string;
  /** The investigations that returned this row. */
  readonly investigations: string[];
  /** The row's other columns, as returned. */
  readonly row: Readonly<Record<string, QueryValue>>;
}

/** A row's time as ISO 8601: ISO text as it is, numbers (or digits) as seconds or milliseconds since the epoch. */
export function rowTime(value: QueryValue): string | undefined {
  if (value === null || value === undefined || typeof value === 'boolean') return undefined;
  const text = String(value);
  if (/^\d{9,14}$/.test(text)) {
    const n = Number(text);
    return new Date(n < 1e11 ? n * 1000 : n).toISOString();
  }
  // A SQL timestamp as text ('2026-11-11 03:12:07', Athena adds '.000') is UTC, as the logs are.
  const sqlTimestamp = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/.test(text) ? `${text.replace(' ', 'T')}Z` : text;
  const t = Date.parse(sqlTimestamp);
  return Number.isFinite(t) ? new Date(t).toISOString() : undefined;
}

/**
 * The rows of several investigations as one timeline in time order. A row two investigations both
 * return (the same `event_id`, or the same cells) is one entry naming both.
 */
export function mergeTimeline(results: ReadonlyArray<{ readonly investigation: Investigation; readonly rows: readonly Record<string, QueryValue>[] }>): TimelineEntry[] {
  const byKey = new Map<string, TimelineEntry>();
  for (const { investigation, rows } of results) {
    for (const row of rows) {
      const time = rowTime(row[investigation.timeColumn] ?? null);
      if (!time) continue;
      const key = typeof row.event_id === 'string' && row.event_id ? `event:${row.event_id}` : `row:${JSON.stringify(row)}`;
      const known = byKey.get(key);
      if (known) {
        if (!known.investigations.includes(investigation.name)) known.investigations.push(investigation.name);
        continue;
      }
      byKey.set(key, { time, account: String(row.account ?? ''), region: String(row.region ?? ''), investigations: [investigation.name], row });
    }
  }
  return [...byKey.values()].sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.account.localeCompare(b.account)));
}
