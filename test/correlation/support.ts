/** Builders for correlation tests: observations as detectors would emit them, rules from YAML text. */
import { expect } from 'vitest';
import type { CompiledCorrelation } from '../../central/core/correlation/compile.js';
import type { CorrelationMatch } from '../../central/core/correlation/engine.js';
import { loadCorrelationRules } from '../../central/core/correlation/load.js';
import type { Observation } from '../../central/core/correlation/observation.js';

/** One observation; `label` doubles as its only name unless `names` is given. */
export function observation(o: Partial<Observation> & Pick<Observation, 'time' | 'label'> & { eventId?: string }): Observation {
  const eventId = o.eventId ?? `evt-${o.label}-${o.time}-${o.account ?? '111122223333'}`;
  const account = o.account ?? '111122223333';
  const region = o.region ?? 'us-east-1';
  return {
    id: o.id ?? `${eventId}#${o.label}`,
    eventId,
    time: o.time,
    account,
    region,
    label: o.label,
    names: o.names ?? [o.label],
    severity: o.severity ?? 'MEDIUM',
    fields: { account: [account], region: [region], ...o.fields },
    summary: o.summary ?? `${o.label} in ${account}`,
    ...(o.finding && { finding: o.finding }),
  };
}

/** Compiles one correlation rule from YAML, failing the test on any problem. */
export function ruleOf(text: string, file?: string): CompiledCorrelation {
  const id = /^id: (\S+)/m.exec(text)?.[1] ?? 'rule';
  const { rules, problems } = loadCorrelationRules([{ file: file ?? `rules/correlation/${id}.yaml`, text }]);
  expect(problems).toEqual([]);
  return rules[0]!;
}

/** A match as comparable data: its identity and its content's ids. */
export function summary(m: CorrelationMatch): { rule: string; group: Record<string, string>; window: string; ids: string[]; accounts: readonly string[] } {
  return { rule: m.rule.id, group: { ...m.group }, window: `${m.windowStart}/${m.windowEnd}`, ids: m.observations.map((o) => o.id), accounts: m.accounts };
}

/** The identity of a match, for keeping the last content reported for each. */
export function identity(m: CorrelationMatch): string {
  return JSON.stringify([m.rule.id, m.rule.groupBy.map((n) => m.group[n]), m.windowStart]);
}

/** The last content reported for each match identity across many observe calls, sorted by identity. */
export function finalMatches(reports: ReadonlyArray<readonly CorrelationMatch[]>): Array<ReturnType<typeof summary>> {
  const last = new Map<string, CorrelationMatch>();
  for (const report of reports) for (const m of report) last.set(identity(m), m);
  return [...last.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, m]) => summary(m));
}

/** `2026-03-02T13:05:00Z` from `13:05` (or `13:05:30`), on one fixed day. */
export function at(clock: string, day = '2026-03-02'): string {
  return `${day}T${clock.length === 5 ? `${clock}:00` : clock}Z`;
}
