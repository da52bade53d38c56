/**
 * The finding of a correlation match: one per correlation rule, group and window, written where the
 * Security Hub administrator sees every account (the central account, home region), naming each
 * account involved and what happened in it. Pure: the detector's ledger dates it and counts each
 * base observation once, so a finding is updated only when a new observation joined the window.
 */
import { compareTimes } from '../decode/event-time.js';
import { MAX_RELATED_FINDINGS, type AsffFinding, type CorrelationFindingDraft } from '../findings/asff.js';
import { findingId } from '../findings/finding-id.js';
import type { Evidence } from '../findings/ledger.js';
import { SEVERITY_LABELS, severityRank, type SeverityLabel } from '../rules/schema.js';
import type { AccountDirectory } from '../suppressions/match.js';
import type { CompiledCorrelation } from './compile.js';
import type { CorrelationMatch } from './engine.js';
import type { StoredObservation } from './observation.js';

/** Where correlation findings live: the central account (Security Hub administrator) and the home region. */
export interface HomePlace {
  readonly account: string;
  readonly region: string;
}

/** A correlation finding before the ledger dates it: what the detector's `persist` takes. */
export interface CorrelationCandidate {
  readonly id: string;
  /** One per observation, by its id (`<event id>#<detector>`), so each is counted once. */
  readonly evidence: readonly Evidence[];
  readonly severity: SeverityLabel;
  readonly draft: () => CorrelationFindingDraft;
}

/** Whether a finding joins several accounts (it names its correlation rule). */
export function isCorrelationFinding(finding: Pick<AsffFinding, 'ProductFields'>): boolean {
  return finding.ProductFields['skywatch/CorrelationRule'] !== undefined;
}

/** `skywatch/EventKind` of a correlation finding (not a signal kind: it is imported into Security Hub). */
export const CORRELATION_EVENT_KIND = 'correlation';

/** Accounts from which a correlation that does not count accounts is wide spread. */
export const WIDE_SPREAD_ACCOUNTS = 5;

const TITLE_MAX = 256;
const DESCRIPTION_MAX = 1024;
const PRODUCT_FIELD_MAX = 2048;
const RESOURCES_MAX = 32;
/** Group-by values named one by one in ProductFields, so a finding stays within ASFF's 50 pairs. */
const GROUP_FIELDS_MAX = 10;
const SUMMARY_MAX = 160;
const GROUP_VALUE_MAX = 128;
const NAME_MAX = 50;
const FALLBACK_TYPE = 'Unusual Behaviors/User';
const IAM_ROLE = /^arn:aws[\w-]*:iam::\d{12}:role\//;
const IAM_USER = /^arn:aws[\w-]*:iam::\d{12}:user\//;

/**
 * The finding Id: from the rule, the group's values in the rule's group-by order and the window's
 * start, in the home place. The same window of the same group is always the same finding, however
 * often and whenever it is evaluated; another window or group is another finding.
 */
export function correlationFindingId(match: Pick<CorrelationMatch, 'rule' | 'group' | 'windowStart'>, home: HomePlace): string {
  const key = JSON.stringify([...match.rule.groupBy.map((name) => match.group[name] ?? ''), instant(match.windowStart)]);
  return findingId(`correlation/${match.rule.id}`, home.account, home.region, key);
}

/**
 * How many distinct accounts make a match wide spread. A rule that counts accounts (`value_count`
 * over `account`) fires at `minimum` of them, so twice that is wide (never less than 2); any other
 * rule's `minimum` counts events or rules, not accounts, so WIDE_SPREAD_ACCOUNTS is.
 */
export function wideSpreadAccounts(rule: Pick<CompiledCorrelation, 'type' | 'field' | 'minimum'>): number {
  return rule.type === 'value_count' && rule.field === 'account' ? Math.max(2, 2 * rule.minimum) : WIDE_SPREAD_ACCOUNTS;
}

/** The rule's severity, one step higher when the match is wide spread (see wideSpreadAccounts), at most CRITICAL. */
export function correlationSeverity(rule: Pick<CompiledCorrelation, 'severity' | 'type' | 'field' | 'minimum'>, accounts: number): SeverityLabel {
  if (accounts < wideSpreadAccounts(rule)) return rule.severity;
  return SEVERITY_LABELS[Math.min(severityRank(rule.severity) + 1, SEVERITY_LABELS.length - 1)]!;
}

/** The persist candidate of a match. `directory` names accounts in the title and description. */
export function correlationCandidate(match: CorrelationMatch, home: HomePlace, directory?: AccountDirectory): CorrelationCandidate {
  const id = correlationFindingId(match, home);
  const observations = [...match.observations].sort((a, b) => compareTimes(a.time, b.time) || compare(a.id, b.id));
  const accounts = [...new Set([...match.accounts, ...observations.map((o) => o.account)])].sort();
  return {
    id,
    evidence: observations.map((o) => ({ id: o.id, time: o.time })),
    severity: correlationSeverity(match.rule, accounts.length),
    draft: () => draftOf(id, match, observations, accounts, home, directory),
  };
}

function draftOf(id: string, match: CorrelationMatch, observations: readonly StoredObservation[], accounts: readonly string[], home: HomePlace, directory?: AccountDirectory): CorrelationFindingDraft {
  const { rule } = match;
  const label = (account: string) => accountLabel(account, directory);
  const related = relatedFindings(observations);
  const runbook = rule.runbook.trim();
  return {
    id,
    generatorId: `skywatch/correlation/${rule.id}`,
    ruleId: rule.id,
    status: rule.status,
    title: titleOf(rule, accounts.map(label)),
    description: describe(match, observations, accounts, label),
    types: rule.types.length ? rule.types : [FALLBACK_TYPE],
    mitre: rule.mitre,
    ...(runbook && { remediation: { text: runbook, ...(rule.reference && { url: rule.reference }) } }),
    resources: resourcesOf(match, accounts.length ? accounts : [home.account]),
    correlation: { place: { account: home.account, region: home.region }, relatedFindings: related.kept },
    fields: fieldsOf(match, observations, accounts, related.omitted),
  };
}

/** `prod-payments (111122223333)` when the directory knows the account's name, else its id. */
function accountLabel(account: string, directory: AccountDirectory | undefined): string {
  const name = directory?.describe(account)?.name?.replace(/\s+/g, ' ').trim();
  return name ? `${clip(name, NAME_MAX)} (${account})` : account;
}

/**
 * `<rule title>: prod-payments (111122223333), 444455556666`. When it is too long the rule's title
 * gives way first (down to 80 characters), then accounts are left out from the end, counted
 * (`and 4 more`).
 */
function titleOf(rule: CompiledCorrelation, labels: readonly string[]): string {
  const list = labels.join(', ');
  const full = `${oneLine(rule.title)}: ${list}`;
  if (full.length <= TITLE_MAX) return full;
  const head = `${clip(oneLine(rule.title), Math.max(80, TITLE_MAX - 2 - list.length))}: `;
  return head + listWithin(labels, TITLE_MAX - head.length);
}

/**
 * What happened, account by account: an opening sentence (rule, counts, window, group), then each
 * account in the order it became active with its observations in time order, then the rule's own
 * description if room is left. Every account gets a fair share of the 1024 characters, so a busy
 * account cannot push a quiet one out; when even one line per account does not fit, the accounts are
 * listed instead.
 */
function describe(match: CorrelationMatch, observations: readonly StoredObservation[], accounts: readonly string[], label: (account: string) => string): string {
  const { rule } = match;
  const group = rule.groupBy.filter((name) => match.group[name] !== undefined).map((name) => `${name} ${clip(match.group[name]!, GROUP_VALUE_MAX)}`);
  const where = accounts.length === 1 ? 'in 1 account' : `in ${accounts.length} accounts`;
  const intro = clip(
    `Correlation ${rule.id} (${rule.type}) matched ${count(observations.length, 'observation')} ${where} between ${match.windowStart} and ${match.windowEnd}${group.length ? ` for ${group.join(', ')}` : ''}.`,
    DESCRIPTION_MAX / 2,
  );
  const sameDay = match.windowStart.slice(0, 10) === match.windowEnd.slice(0, 10);
  const when = (time: string) => (sameDay ? time.slice(11, 19) : time.replace(/\.\d+/, ''));
  const byAccount = new Map<string, string[]>();
  for (const o of observations) {
    const line = `${when(o.time)} ${clip(oneLine(o.summary) || o.label, SUMMARY_MAX)}`;
    const lines = byAccount.get(o.account);
    if (lines) lines.push(line);
    else byAccount.set(o.account, [line]);
  }
  // Accounts with no observation here (the engine listed them) still appear, last.
  for (const account of accounts) if (!byAccount.has(account)) byAccount.set(account, []);
  const room = DESCRIPTION_MAX - intro.length - 1;
  const sections = [...byAccount].map(([account, lines]) => ({ label: label(account), lines }));
  // Each section's share (its separating space included) starts at its shortest form, so every account fits.
  const floors = sections.map((s) => minimalSection(s.label, s.lines).length + 1);
  const floor = floors.reduce((a, b) => a + b, 0);
  const wants = sections.map((s, i) => Math.max(section(s.label, s.lines, Infinity).length + 1 - floors[i]!, 0));
  const body =
    floor <= room
      ? fairShares(wants, room - floor).map((extra, i) => section(sections[i]!.label, sections[i]!.lines, floors[i]! + extra - 1)).join(' ')
      : `Accounts, in the order they became active: ${listWithin(sections.map((s) => s.label), room - 46)}.`;
  const text = `${intro} ${body}`;
  const about = oneLine(rule.description);
  // The rule's description only when enough of it fits to be worth reading.
  return about && DESCRIPTION_MAX - text.length > 60 ? clip(`${text} ${about}`, DESCRIPTION_MAX) : text;
}

/** `label: line; line (+2 more).` within `max` characters, always with the label. */
function section(label: string, lines: readonly string[], max: number): string {
  const head = `${label}: `;
  let out = '';
  for (let i = 0; i < lines.length; i++) {
    const more = i + 1 < lines.length ? ` (+${lines.length - i - 1} more)` : '';
    const next = out ? `${out}; ${lines[i]}` : lines[i]!;
    if (head.length + next.length + more.length + 1 > max) {
      if (out) return `${head}${out} (+${lines.length - i} more).`;
      break;
    }
    out = next;
  }
  if (out) return `${head}${out}.`;
  // Not even the first line fits whole: as much of it as fits, else how many there were.
  const rest = max - head.length - 1 - (lines.length > 1 ? ` (+${lines.length - 1} more)`.length : 0);
  if (lines.length && rest >= 24) return `${head}${clip(lines[0]!, rest)}${lines.length > 1 ? ` (+${lines.length - 1} more)` : ''}.`;
  return minimalSection(label, lines);
}

function minimalSection(label: string, lines: readonly string[]): string {
  return `${label}: ${count(lines.length, 'observation')}.`;
}

/**
 * Splits `room` between wants: whoever wants less than an equal share gets what it wants, the rest
 * share what is left equally (water filling).
 */
function fairShares(wants: readonly number[], room: number): number[] {
  const shares = new Array<number>(wants.length).fill(0);
  const order = wants.map((want, i) => ({ want, i })).sort((a, b) => a.want - b.want);
  let left = room;
  for (let k = 0; k < order.length; k++) {
    const equal = Math.floor(left / (order.length - k));
    const share = Math.min(order[k]!.want, equal);
    shares[order[k]!.i] = share;
    left -= share;
  }
  return shares;
}

/** `a, b, c` or `a, b and 3 more`, within `max` characters (the first item clipped if it alone is too long). */
function listWithin(items: readonly string[], max: number): string {
  if (items.length === 0) return '';
  const more = (n: number) => (n > 0 ? ` and ${n} more` : '');
  let length = 0;
  let fits = 0;
  for (let k = 1; k <= items.length; k++) {
    length += (k > 1 ? 2 : 0) + items[k - 1]!.length;
    if (length + more(items.length - k).length > max) break;
    fits = k;
  }
  if (fits === 0) return clip(items[0]!, Math.max(1, max - more(items.length - 1).length)) + more(items.length - 1);
  return items.slice(0, fits).join(', ') + more(items.length - fits);
}

/**
 * The group's principal, key or address first (what the accounts have in common), then one
 * `AwsAccount` per account (`AWS::::Account:<id>`, as Security Hub's own account-level findings name
 * them), within ASFF's 32 resources. The full account list is in `skywatch/Accounts`.
 */
function resourcesOf(match: CorrelationMatch, accounts: readonly string[]): Array<{ type: string; id: string }> {
  const seen = new Set<string>();
  const out: Array<{ type: string; id: string }> = [];
  const add = (type: string, id: string) => {
    if (!id || seen.has(`${type}\u0000${id}`)) return;
    seen.add(`${type}\u0000${id}`);
    out.push({ type, id });
  };
  for (const name of match.rule.groupBy) {
    const value = match.group[name];
    if (value === undefined) continue;
    if (name === 'actor.accessKeyId') add('AwsIamAccessKey', value);
    else if (name === 'actor.arn' || name === 'actor.roleArn') add(IAM_ROLE.test(value) ? 'AwsIamRole' : IAM_USER.test(value) ? 'AwsIamUser' : 'Other', value);
    else if (name === 'sourceIp' || name === 'actor.principalId' || name === 'actor.name') add('Other', value);
  }
  const principals = out.splice(0, RESOURCES_MAX - 1);
  return [...principals, ...accounts.slice(0, RESOURCES_MAX - principals.length).map((a) => ({ type: 'AwsAccount', id: `AWS::::Account:${a}` }))];
}

/**
 * The base findings, each once, in the order they were last seen; only the last MAX_RELATED_FINDINGS
 * fit (the Security Hub API model's limit), the older ones are counted as omitted.
 */
function relatedFindings(observations: readonly StoredObservation[]): { kept: Array<{ productArn: string; id: string }>; omitted: number } {
  const latest = new Map<string, { productArn: string; id: string }>();
  for (const o of observations) {
    if (!o.finding) continue;
    const key = `${o.finding.productArn}\u0000${o.finding.id}`;
    latest.delete(key);
    latest.set(key, { productArn: o.finding.productArn, id: o.finding.id });
  }
  const all = [...latest.values()];
  const kept = all.slice(-MAX_RELATED_FINDINGS);
  return { kept, omitted: all.length - kept.length };
}

function fieldsOf(match: CorrelationMatch, observations: readonly StoredObservation[], accounts: readonly string[], omitted: number): Record<string, string> {
  const { rule, group } = match;
  const fields: Record<string, string> = {
    'skywatch/CorrelationRule': rule.id,
    ...(rule.name && { 'skywatch/CorrelationName': rule.name }),
    'skywatch/CorrelationType': rule.type,
    'skywatch/Accounts': joinWithin(accounts, PRODUCT_FIELD_MAX),
    'skywatch/AccountCount': String(accounts.length),
    'skywatch/Window': `${match.windowStart}/${match.windowEnd}`,
    'skywatch/BaseRules': joinWithin([...new Set(observations.map((o) => o.label))], PRODUCT_FIELD_MAX),
  };
  if (rule.tactics.length) fields['skywatch/MitreTactics'] = rule.tactics.join(',');
  if (omitted > 0) fields['skywatch/RelatedFindingsOmitted'] = String(omitted);
  if (rule.groupBy.length) fields['skywatch/GroupBy'] = rule.groupBy.join(',');
  // The names notices and other findings already use for the caller, so they read the same.
  if (group['actor.arn']) fields['skywatch/ActorArn'] = group['actor.arn'];
  if (group['actor.accessKeyId']) fields['skywatch/AccessKeyId'] = group['actor.accessKeyId'];
  if (group.sourceIp) fields['skywatch/SourceIp'] = group.sourceIp;
  for (const name of rule.groupBy.slice(0, GROUP_FIELDS_MAX)) {
    if (group[name] !== undefined) fields[`skywatch/Group/${name}`.slice(0, 128)] = group[name];
  }
  if (rule.falsePositives.length) fields['skywatch/FalsePositives'] = rule.falsePositives.join('; ');
  return fields;
}

/** Comma-joins as many items as fit in `max` characters, in order. */
function joinWithin(items: readonly string[], max: number): string {
  let out = '';
  for (const item of items) {
    if (out.length + (out ? 1 : 0) + item.length > max) break;
    out = out ? `${out},${item}` : item;
  }
  return out;
}

/** An RFC 3339 time as one canonical instant, so `…:00Z` and `…:00.000Z` name the same window. */
function instant(time: string): string {
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? time : new Date(ms).toISOString();
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max - 1) + '…';
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
