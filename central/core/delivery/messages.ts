/**
 * The words a human reads: an email (SNS subject and plain-text body) and a Slack Block Kit message.
 * Notices hold no secret by construction; what comes from events (titles, ARNs, descriptions) is
 * clipped to each channel's limits and, for Slack, escaped so it cannot mention people or hide links.
 */
import type { Notice } from './notice.js';

/** An email as SNS sends it. */
export interface EmailMessage {
  /** Printable ASCII, no line breaks, under 100 characters (SNS's limit). */
  readonly subject: string;
  readonly body: string;
}

/** A Slack incoming-webhook payload. */
export interface SlackMessage {
  /** Shown in notifications and where blocks cannot be. */
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
}

/** The Block Kit blocks the notifier uses. */
export type SlackBlock =
  | { readonly type: 'header'; readonly text: PlainText }
  | { readonly type: 'section'; readonly text: Mrkdwn }
  | { readonly type: 'section'; readonly fields: readonly Mrkdwn[] }
  | { readonly type: 'actions'; readonly elements: ReadonlyArray<{ readonly type: 'button'; readonly text: PlainText; readonly url: string }> }
  | { readonly type: 'context'; readonly elements: readonly Mrkdwn[] };

type PlainText = { readonly type: 'plain_text'; readonly text: string };
type Mrkdwn = { readonly type: 'mrkdwn'; readonly text: string };

// SNS: "less than 100 characters". Slack Block Kit: header 150, section text 3000, a field 2000,
// button text 75, button url 3000.
const SUBJECT_MAX = 99;
const HEADER_MAX = 150;
const SECTION_MAX = 3000;
const FIELD_MAX = 2000;
const URL_MAX = 3000;
const BODY_DESCRIPTION_MAX = 4000;
/** A correlation's accounts take at most this many Slack sections (about 150 named accounts). */
const ACCOUNT_SECTIONS_MAX = 4;
const ACCOUNT_LINE_MAX = 200;

/** The email of a notice. */
export function emailOf(notice: Notice): EmailMessage {
  const lines = [
    `${tag(notice)} ${notice.title}`,
    '',
    `What:      ${notice.title}`,
    `Severity:  ${notice.severity}`,
    ...(notice.accounts ? correlationLines(notice, notice.accounts) : [`Account:   ${accountLabel(notice)}`, `Region:    ${notice.region}`]),
    ...(notice.actor ? [`Actor:     ${notice.actor}`] : []),
    ...(notice.sourceIp ? [`Source IP: ${notice.sourceIp}`] : []),
    `When:      ${notice.observedAt}${notice.eventCount && notice.eventCount > 1 ? ` (${notice.eventCount} events)` : ''}`,
    `${ruleLabel(notice).padEnd(10)} ${notice.rule}`,
    ...(notice.resources.length ? [`Resources: ${notice.resources.join(', ')}`] : []),
    ...(notice.investigate ? [`Investigate: ${notice.investigate}`] : []),
    '',
    clip(notice.description, BODY_DESCRIPTION_MAX),
    '',
    `${notice.link.label}:`,
    notice.link.url,
    ...(notice.remediation ? ['', 'Runbook:', notice.remediation.text.trim(), ...(notice.remediation.url ? [`Reference: ${notice.remediation.url}`] : [])] : []),
    '',
    `Notice id: ${notice.id}`,
  ];
  return { subject: subjectOf(notice), body: lines.join('\n') + '\n' };
}

/** A correlation's every account, one a line, and its window, in place of one account and region. */
function correlationLines(notice: Notice, accounts: NonNullable<Notice['accounts']>): string[] {
  const labels = accounts.map((a) => labelOf(a.id, a.name));
  if (notice.moreAccounts) labels.push(`and ${notice.moreAccounts} more`);
  return [
    ...(labels.length ? labels.map((label, i) => `${i === 0 ? 'Accounts: ' : '          '} ${label}`) : ['Accounts:  (none listed)']),
    ...(notice.window ? [`Window:    ${notice.window.start} to ${notice.window.end}`] : []),
  ];
}

/** `[HIGH] <title> - <account name> (<id>) <region>`; the title gives way when it is too long. */
export function subjectOf(notice: Notice): string {
  const head = `${tag(notice)} `;
  // A title that already names the account id (most rule titles do) leaves the room to the title.
  const where = notice.accountName && notice.title.includes(notice.account) ? oneLine(notice.accountName) : accountLabel(notice);
  // A correlation lives in the home region of the central account: how many accounts it spans says more.
  const tail = notice.accounts ? ` - ${ascii(accountsSummary(notice))}` : ` - ${ascii(where)} ${ascii(notice.region)}`;
  const title = ascii(notice.title);
  const room = SUBJECT_MAX - head.length - tail.length;
  if (room >= 20) return head + clipAscii(title, room) + tail;
  return clipAscii(head + title + tail, SUBJECT_MAX);
}

/** The Slack message of a notice. */
export function slackOf(notice: Notice): SlackMessage {
  const where: Mrkdwn[] = notice.accounts
    ? notice.window ? [mrkdwn(clipMrkdwn(`*Window*\n${escape(notice.window.start)} to ${escape(notice.window.end)}`, FIELD_MAX))] : []
    : [mrkdwn(clipMrkdwn(`*Account*\n${escape(accountLabel(notice))}`, FIELD_MAX)), mrkdwn(`*Region*\n${escape(notice.region)}`)];
  const fields: Mrkdwn[] = [
    mrkdwn(`*Severity*\n${escape(notice.severity)}`),
    ...where,
    ...(notice.actor ? [mrkdwn(clipMrkdwn(`*Actor*\n${code(notice.actor)}`, FIELD_MAX))] : []),
    ...(notice.sourceIp ? [mrkdwn(clipMrkdwn(`*Source IP*\n${code(notice.sourceIp)}`, FIELD_MAX))] : []),
  ];
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(`${tag(notice)} ${oneLine(notice.title)}`, HEADER_MAX) } },
    { type: 'section', fields },
    ...(notice.accounts ? accountSections(notice, notice.accounts) : []),
    { type: 'section', text: mrkdwn(clipMrkdwn(escape(notice.description), SECTION_MAX)) },
    ...(notice.investigate ? [{ type: 'section' as const, text: mrkdwn(clipMrkdwn(`*Investigate*\n${code(notice.investigate)}`, SECTION_MAX)) }] : []),
    ...(notice.link.url.length <= URL_MAX ? [{ type: 'actions' as const, elements: [{ type: 'button' as const, text: { type: 'plain_text' as const, text: notice.link.label }, url: notice.link.url }] }] : []),
    { type: 'context', elements: [mrkdwn(clipMrkdwn(`${ruleLabel(notice)} ${code(notice.rule)} · seen ${escape(notice.observedAt)}${notice.eventCount && notice.eventCount > 1 ? ` · ${notice.eventCount} events` : ''}`, SECTION_MAX))] },
  ];
  const place = notice.accounts ? accountsSummary(notice) : `${accountLabel(notice)} ${notice.region}`;
  return { text: clipMrkdwn(escape(`${tag(notice)} ${oneLine(notice.title)} - ${place}`), SECTION_MAX), blocks };
}

/**
 * A correlation's accounts, one a line, in as many sections as they need up to ACCOUNT_SECTIONS_MAX;
 * what does not fit is counted on the last line.
 */
function accountSections(notice: Notice, accounts: NonNullable<Notice['accounts']>): SlackBlock[] {
  const lines = accounts.map((a) => `• ${escape(clip(labelOf(a.id, a.name), ACCOUNT_LINE_MAX))}`);
  const texts: string[] = [];
  let current = `*Accounts (${accounts.length + (notice.moreAccounts ?? 0)})*`;
  let shown = 0;
  // Room is kept in every section for the line that counts the rest.
  const room = SECTION_MAX - 40;
  for (const line of lines) {
    if (current.length + 1 + line.length > room) {
      if (texts.length + 1 === ACCOUNT_SECTIONS_MAX) break;
      texts.push(current);
      current = line;
    } else current = `${current}\n${line}`;
    shown++;
  }
  const more = lines.length - shown + (notice.moreAccounts ?? 0);
  if (more > 0) current = `${current}\n…and ${more} more`;
  texts.push(current);
  return texts.map((text) => ({ type: 'section' as const, text: mrkdwn(text) }));
}

/** `3 accounts`, or the one account by name and id. */
function accountsSummary(notice: Notice): string {
  const accounts = notice.accounts ?? [];
  const total = accounts.length + (notice.moreAccounts ?? 0);
  return total === 1 && accounts[0] ? labelOf(accounts[0].id, accounts[0].name) : `${total} accounts`;
}

function tag(notice: Notice): string {
  return notice.status === 'archived' ? '[RESOLVED]' : `[${notice.severity}]`;
}

function accountLabel(notice: Notice): string {
  return labelOf(notice.account, notice.accountName);
}

function labelOf(id: string, name: string | undefined): string {
  return name ? `${oneLine(name)} (${id})` : id;
}

function ruleLabel(notice: Notice): string {
  return notice.source === 'guardduty' ? 'Type:' : notice.source === 'config' ? 'Config rule:' : 'Rule:';
}

function mrkdwn(text: string): Mrkdwn {
  return { type: 'mrkdwn', text };
}

/** Slack's three control characters; anything else is shown as written. */
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Inline code, so ARNs and addresses are not read as formatting. */
function code(text: string): string {
  return '`' + escape(oneLine(text).replace(/`/g, "'")) + '`';
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max - 1) + '…';
}

/** Clips escaped text without cutting an entity (`&amp;`) in half. */
function clipMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  return text.slice(0, max - 1).replace(/&[a-z]*$/, '') + '…';
}

/** Printable ASCII on one line: accents dropped, typographic marks made plain, the rest `?`. */
function ascii(text: string): string {
  return oneLine(text)
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]/g, '?');
}

function clipAscii(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max - 3).trimEnd() + '...';
}
