/**
 * Notices of correlation findings: the email and Slack message name every account and the window,
 * and a correlation pages again only when its severity rises or it reaches another account.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { correlationCandidate } from '../../central/core/correlation/finding.js';
import type { CorrelationMatch } from '../../central/core/correlation/engine.js';
import { emailOf, slackOf, subjectOf } from '../../central/core/delivery/messages.js';
import { noticeOfFinding, type Notice } from '../../central/core/delivery/notice.js';
import { deliverNotice, markKey, NotifyPolicy, type DeliveryMark, type NoticeChannel } from '../../central/core/delivery/notify-policy.js';
import { buildFinding, type AsffFinding } from '../../central/core/findings/asff.js';
import { FindingLedger } from '../../central/core/findings/ledger.js';
import { MemoryStateStore } from '../../central/core/state/memory-store.js';
import { DATA, DEV, directory, HOME, observation, PROD, rule, threeAccountMatch } from '../correlation/samples.js';
import { ManualClock } from '../support/detector.js';
import { payloadProblem } from '../support/slack-receiver.js';
import { snsPublishLimits } from '../support/sns-fake.js';

const MINUTE = 60_000;
const ORG = '210987654321';

/** A channel that records the versions it sent. */
class RecordingChannel implements NoticeChannel {
  readonly sent: string[] = [];
  constructor(readonly name: string) {}
  async send(notice: Notice): Promise<'sent'> {
    this.sent.push(notice.version);
    return 'sent';
  }
}

let clock: ManualClock;
let ledger: FindingLedger;
let state: MemoryStateStore;
let email: RecordingChannel;
let slack: RecordingChannel;

beforeEach(() => {
  clock = new ManualClock();
  ledger = new FindingLedger(new MemoryStateStore(), clock);
  state = new MemoryStateStore();
  email = new RecordingChannel('email');
  slack = new RecordingChannel('slack');
});

/** The finding version the detector writes for this state of the window (the ledger dates it). */
async function version(match: CorrelationMatch): Promise<AsffFinding> {
  const candidate = correlationCandidate(match, HOME, directory);
  const recorded = await ledger.record(candidate.id, candidate.evidence, candidate.severity);
  if (!recorded) throw new Error('nothing new in this state of the window');
  await ledger.commit(candidate.id, recorded.fresh);
  return buildFinding(candidate.draft(), recorded.entry);
}

const noticeOf = (finding: AsffFinding) => noticeOfFinding(finding, directory, HOME.region);
const deliver = (notice: Notice, cooldownMinutes = 60) =>
  deliverNotice(new NotifyPolicy({ state, clock, minimumSeverity: 'HIGH', cooldownMinutes }), notice, [email, slack], { deadline: new Date(clock.now().getTime() + 30_000) });

/** The sample match (or `base`) with `extra` observations added. */
const withMore = (extra: ReturnType<typeof observation>[], base = threeAccountMatch()) => {
  const observations = [...base.observations, ...extra];
  return { ...base, observations, accounts: [...new Set(observations.map((o) => o.account))].sort() };
};

describe('the notice of a correlation finding', () => {
  it('lists every account, named where the directory knows it, and the window', async () => {
    const notice = noticeOf(await version(threeAccountMatch()));
    expect(notice).toMatchObject({
      source: 'correlation',
      account: HOME.account,
      accountName: 'security',
      region: HOME.region,
      accounts: [{ id: PROD, name: 'prod-payments' }, { id: DEV, name: 'dev-sandbox' }, { id: DATA }],
      window: { start: '2026-11-21T11:00:00Z', end: '2026-11-21T12:00:00Z' },
      sourceIp: '203.0.113.7',
      rule: 'iam-changes-from-one-address-across-accounts',
      eventCount: 4,
      link: { label: 'Open in Security Hub' },
    });
    expect(notice).not.toHaveProperty('moreAccounts');
  });

  it('counts the accounts its product field had no room for', async () => {
    const finding = await version(threeAccountMatch());
    expect(noticeOf({ ...finding, ProductFields: { ...finding.ProductFields, 'skywatch/AccountCount': '200' } }).moreAccounts).toBe(197);
  });
});

describe('the messages of a correlation finding', () => {
  let notice: Notice;
  beforeEach(async () => {
    notice = noticeOf(await version(threeAccountMatch()));
  });

  it('email every account on a line of its own and the window, instead of one account and region', () => {
    const { subject, body } = emailOf(notice);
    expect(subject).toBe('[HIGH] IAM changes from one address in several accounts: prod-payments (11112222333... - 3 accounts');
    expect(body.split('\n').slice(2, 10)).toEqual([
      `What:      ${notice.title}`,
      'Severity:  HIGH',
      'Accounts:  prod-payments (111122223333)',
      '           dev-sandbox (444455556666)',
      '           777788889999',
      'Window:    2026-11-21T11:00:00Z to 2026-11-21T12:00:00Z',
      'Source IP: 203.0.113.7',
      'When:      2026-11-21T11:15:30Z (4 events)',
    ]);
    expect(body).not.toContain('Account:   ');
    expect(body).not.toContain('Region:    ');
    expect(snsPublishLimits({ TopicArn: `arn:aws:sns:eu-west-1:${HOME.account}:skywatch-findings`, Subject: subject, Message: body })).toEqual([]);
  });

  it('name the one account in the subject when there is one, and count the accounts left out', () => {
    expect(subjectOf({ ...notice, title: 'IAM changes', accounts: [{ id: PROD, name: 'prod-payments' }] })).toBe('[HIGH] IAM changes - prod-payments (111122223333)');
    const { body } = emailOf({ ...notice, moreAccounts: 2 });
    expect(body).toContain('           777788889999\n           and 2 more\nWindow:');
  });

  it('post every account and the window to Slack', () => {
    const message = slackOf(notice);
    expect(message.text).toBe(`[HIGH] ${notice.title} - 3 accounts`);
    expect(message.blocks[1]).toEqual({
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: '*Severity*\nHIGH' },
        { type: 'mrkdwn', text: '*Window*\n2026-11-21T11:00:00Z to 2026-11-21T12:00:00Z' },
        { type: 'mrkdwn', text: '*Source IP*\n`203.0.113.7`' },
      ],
    });
    expect(message.blocks[2]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '*Accounts (3)*\n• prod-payments (111122223333)\n• dev-sandbox (444455556666)\n• 777788889999' } });
    expect(message.blocks[3]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: notice.description } });
    expect(payloadProblem(message)).toBeUndefined();
  });

  it('spread many accounts over several Slack sections within Block Kit\'s limits, counting what does not fit', () => {
    const accounts = Array.from({ length: 400 }, (_, i) => ({ id: String(100_000_000_000 + i), name: `workload-${'x'.repeat(30)}-${i}` }));
    const message = slackOf({ ...notice, accounts });
    const sections = message.blocks.filter((b): b is { type: 'section'; text: { type: 'mrkdwn'; text: string } } => b.type === 'section' && 'text' in b && b.text.text.includes('• '));
    expect(sections).toHaveLength(4);
    expect(sections[0]!.text.text.startsWith('*Accounts (400)*\n• workload-')).toBe(true);
    const listed = sections.flatMap((s) => s.text.text.split('\n').filter((l) => l.startsWith('• ')));
    expect(listed[0]).toBe(`• workload-${'x'.repeat(30)}-0 (100000000000)`);
    expect(sections[3]!.text.text.endsWith(`\n…and ${400 - listed.length} more`)).toBe(true);
    expect(payloadProblem(message)).toBeUndefined();
  });
});

describe('when a correlation finding pages again', () => {
  const later = (n: number, account: string, minute: number) => observation(account, 'iam-user-created', `2026-11-21T11:${minute}:00Z`, `IAM user extra-${n} created`, 100 + n);

  it('not when the cooldown has passed and nothing but evidence in the same accounts was added', async () => {
    expect((await deliver(noticeOf(await version(threeAccountMatch())))).decision).toMatchObject({ notify: true, kind: 'new' });
    clock.advance(5 * MINUTE);
    expect((await deliver(noticeOf(await version(withMore([later(1, PROD, 30)]))))).decision).toEqual({ notify: false, reason: 'no new account' });
    // Long after the cooldown, still the same accounts: nothing to tell (a rule finding would page again here).
    clock.advance(120 * MINUTE);
    expect((await deliver(noticeOf(await version(withMore([later(1, PROD, 30), later(2, DEV, 40)]))))).decision).toEqual({ notify: false, reason: 'no new account' });
    expect([email.sent.length, slack.sent.length]).toEqual([1, 1]);
  });

  it('when it reaches another account, even within the cooldown, and then not again for that account', async () => {
    // Fires at 3 accounts, wide spread (a severity step) only at 6: a fourth account alone is the news.
    const base = threeAccountMatch({ rule: { ...rule, minimum: 3 } });
    await deliver(noticeOf(await version(base)));
    clock.advance(2 * MINUTE);
    const spreadTo = noticeOf(await version(withMore([later(1, ORG, 30)], base)));
    expect(spreadTo.severity).toBe('HIGH');
    expect(spreadTo.accounts!.map((a) => a.id)).toEqual([PROD, DEV, DATA, ORG].sort());
    expect((await deliver(spreadTo)).decision).toMatchObject({ notify: true, kind: 'spread', channels: ['email', 'slack'] });
    expect((await state.get<DeliveryMark>(markKey(spreadTo.id)))?.value.accounts).toEqual([PROD, ORG, DEV, DATA].sort());
    clock.advance(2 * MINUTE);
    expect((await deliver(noticeOf(await version(withMore([later(1, ORG, 30), later(2, ORG, 31)], base))))).decision).toEqual({ notify: false, reason: 'no new account' });
    expect(email.sent).toHaveLength(2);
  });

  it('when its severity rises, even within the cooldown', async () => {
    await deliver(noticeOf(await version(threeAccountMatch())));
    clock.advance(2 * MINUTE);
    // A fourth account makes it wide spread (twice the rule's minimum of 2): CRITICAL.
    const critical = noticeOf(await version(withMore([later(1, ORG, 30)])));
    expect(critical.severity).toBe('CRITICAL');
    expect((await deliver(critical)).decision).toMatchObject({ notify: true, kind: 'escalated' });
    // The same severity again, by itself, is not news.
    clock.advance(2 * MINUTE);
    const same = noticeOf(await version(withMore([later(1, ORG, 30), later(2, PROD, 31)])));
    expect((await deliver(same)).decision).toEqual({ notify: false, reason: 'no new account' });
  });

  it('remembers every account told across pages, so one that came and went does not page twice', async () => {
    const first = noticeOf(await version(threeAccountMatch()));
    await deliver(first);
    clock.advance(MINUTE);
    // A later version that lists fewer accounts (the engine's state was trimmed) is quiet and forgets none.
    const fewer = { ...first, version: clock.now().toISOString(), accounts: first.accounts!.slice(0, 1) };
    expect((await deliver(fewer)).decision).toEqual({ notify: false, reason: 'no new account' });
    clock.advance(MINUTE);
    expect((await deliver({ ...first, version: clock.now().toISOString() })).decision).toEqual({ notify: false, reason: 'no new account' });
  });

  it('still retries a channel that failed, and stays quiet for staged or low findings', async () => {
    const notice = noticeOf(await version(threeAccountMatch()));
    await deliverNotice(new NotifyPolicy({ state, clock, minimumSeverity: 'HIGH', cooldownMinutes: 60 }), notice, [email], { deadline: new Date(clock.now().getTime() + 30_000) });
    expect((await deliver(notice)).decision).toMatchObject({ notify: true, kind: 'retry', channels: ['slack'] });
    expect((await deliver({ ...notice, id: 'other', status: 'staged' })).decision).toEqual({ notify: false, reason: 'staged rule' });
    expect((await deliver({ ...notice, id: 'other', severity: 'MEDIUM' })).decision).toEqual({ notify: false, reason: 'below minimum severity' });
  });
});
