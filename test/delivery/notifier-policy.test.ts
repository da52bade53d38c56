import { beforeEach, describe, expect, it } from 'vitest';
import { noticeOfFinding, type Notice } from '../../central/core/delivery/notice.js';
import { deliverNotice, markKey, NoticeDeliveryError, NotifyPolicy, type DeliveryMark, type NoticeChannel } from '../../central/core/delivery/notify-policy.js';
import type { SeverityLabel } from '../../central/core/rules/schema.js';
import { MemoryStateStore } from '../../central/core/state/memory-store.js';
import { ManualClock } from '../support/detector.js';
import { directory, rootFinding } from './notifier-samples.js';

/** A channel that records what it was asked to send and can be told to fail. */
class RecordingChannel implements NoticeChannel {
  readonly sent: Array<{ id: string; version: string; severity: SeverityLabel }> = [];
  failures = 0;
  configured = true;
  constructor(readonly name: string) {}
  async send(notice: Notice): Promise<'sent' | 'skipped'> {
    if (!this.configured) return 'skipped';
    if (this.failures > 0) {
      this.failures--;
      throw new Error(`${this.name} is down`);
    }
    this.sent.push({ id: notice.id, version: notice.version, severity: notice.severity });
    return 'sent';
  }
}

const MINUTE = 60_000;
let base: Notice;
let state: MemoryStateStore;
let clock: ManualClock;
let email: RecordingChannel;
let slack: RecordingChannel;

const policyAt = (minimumSeverity: SeverityLabel = 'HIGH', cooldownMinutes = 60) => new NotifyPolicy({ state, clock, minimumSeverity, cooldownMinutes });
const deadline = () => new Date(clock.now().getTime() + 30_000);
const deliver = (notice: Notice, policy = policyAt()) => deliverNotice(policy, notice, [email, slack], { deadline: deadline() });
/** The same notice, as a later version (UpdatedAt = now). */
const later = (overrides: Partial<Notice> = {}): Notice => ({ ...base, version: clock.now().toISOString(), ...overrides });

beforeEach(async () => {
  base = noticeOfFinding(await rootFinding(), directory);
  state = new MemoryStateStore();
  clock = new ManualClock();
  email = new RecordingChannel('email');
  slack = new RecordingChannel('slack');
});

describe('the severity threshold', () => {
  it('notifies a finding at the minimum severity on every channel and marks both', async () => {
    const outcome = await deliver(base);
    expect(outcome).toEqual({ decision: { notify: true, kind: 'new', channels: ['email', 'slack'], since: '2026-11-21T12:00:00.000Z' }, sent: ['email', 'slack'], skipped: [] });
    expect(email.sent).toEqual([{ id: base.id, version: base.version, severity: 'HIGH' }]);
    expect(slack.sent).toEqual([{ id: base.id, version: base.version, severity: 'HIGH' }]);
    expect((await state.get<DeliveryMark>(markKey(base.id)))?.value).toEqual({ since: '2026-11-21T12:00:00.000Z', severity: 'HIGH', noticeVersion: base.version, channels: ['email', 'slack'] });
  });

  it('keeps a finding below the minimum severity quiet, and notifies it when the minimum is lower', async () => {
    const medium = { ...base, severity: 'MEDIUM' as const };
    expect((await deliver(medium)).decision).toEqual({ notify: false, reason: 'below minimum severity' });
    expect(email.sent).toEqual([]);
    expect((await deliver(medium, policyAt('MEDIUM'))).sent).toEqual(['email', 'slack']);
  });
});

describe('findings that never page', () => {
  it.each([
    ['suppressed', 'suppressed'],
    ['staged', 'staged rule'],
    ['archived', 'archived'],
    ['not-notable', 'not notable'],
  ] as const)('keeps a %s notice quiet', async (status, reason) => {
    const outcome = await deliver({ ...base, status, severity: 'CRITICAL' });
    expect(outcome.decision).toEqual({ notify: false, reason });
    expect([email.sent, slack.sent]).toEqual([[], []]);
    expect(await state.get(markKey(base.id))).toBeUndefined();
  });
});

describe('the cooldown', () => {
  it('does not page again for a recurring finding within the window, and does after it', async () => {
    await deliver(base);
    clock.advance(10 * MINUTE);
    expect((await deliver(later())).decision).toEqual({ notify: false, reason: 'cooldown' });
    clock.advance(49 * MINUTE);
    expect((await deliver(later())).decision).toEqual({ notify: false, reason: 'cooldown' });
    clock.advance(1 * MINUTE);
    const after = later();
    expect((await deliver(after)).decision).toMatchObject({ notify: true, kind: 'new', since: '2026-11-21T13:00:00.000Z' });
    expect(email.sent.map((s) => s.version)).toEqual([base.version, after.version]);
  });

  it('pages again within the window when the severity goes up, and the new window holds the higher severity', async () => {
    await deliver(base);
    clock.advance(5 * MINUTE);
    const critical = later({ severity: 'CRITICAL' });
    expect((await deliver(critical)).decision).toMatchObject({ notify: true, kind: 'escalated' });
    clock.advance(5 * MINUTE);
    expect((await deliver(later({ severity: 'CRITICAL' }))).decision).toEqual({ notify: false, reason: 'cooldown' });
    expect(slack.sent.map((s) => s.severity)).toEqual(['HIGH', 'CRITICAL']);
  });

  it('reads the window length from its setting', async () => {
    const policy = policyAt('HIGH', 5);
    await deliver(base, policy);
    clock.advance(5 * MINUTE);
    expect((await deliver(later(), policy)).sent).toEqual(['email', 'slack']);
  });

  it('ignores a version older than the one already notified', async () => {
    const newer = { ...base, version: '2026-11-21T12:30:00.000Z' };
    await deliver(newer);
    clock.advance(120 * MINUTE);
    expect((await deliver(base)).decision).toEqual({ notify: false, reason: 'older version' });
  });
});

describe('delivery marks', () => {
  it('retries only the channel that failed: the email is not sent twice', async () => {
    slack.failures = 1;
    const failed = await deliver(base).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(NoticeDeliveryError);
    expect(failed).toMatchObject({ noticeId: base.id, sent: ['email'], failures: [{ channel: 'slack', reason: 'Error: slack is down' }] });
    const retry = await deliver(base);
    expect(retry).toMatchObject({ decision: { notify: true, kind: 'retry', channels: ['slack'] }, sent: ['slack'] });
    expect(email.sent).toHaveLength(1);
    expect(slack.sent).toHaveLength(1);
  });

  it('pages nobody when the same version comes again (the publisher counting an attempt on the outbox item)', async () => {
    await deliver(base);
    clock.advance(90 * MINUTE);
    expect((await deliver(base)).decision).toEqual({ notify: false, reason: 'already notified' });
    expect([email.sent.length, slack.sent.length]).toEqual([1, 1]);
  });

  it('leaves an unconfigured channel unmarked, so it is tried when a retry comes', async () => {
    slack.configured = false;
    expect(await deliver(base)).toMatchObject({ sent: ['email'], skipped: ['slack'] });
    expect((await state.get<DeliveryMark>(markKey(base.id)))?.value.channels).toEqual(['email']);
  });
});

describe('coverage gaps', () => {
  const gap = (): Notice => ({ ...base, id: 'skywatch/coverage/123456789012/security-hub-off', source: 'coverage', rule: 'coverage/security-hub-off' });

  it('tells the close of a gap whose opening paged, once', async () => {
    await deliver(gap());
    clock.advance(20 * MINUTE);
    const closed = { ...gap(), status: 'archived' as const, version: clock.now().toISOString() };
    expect((await deliver(closed)).decision).toMatchObject({ notify: true, kind: 'resolved' });
    clock.advance(1 * MINUTE);
    expect((await deliver({ ...closed, version: clock.now().toISOString() })).decision).toEqual({ notify: false, reason: 'already resolved' });
    expect(email.sent).toHaveLength(2);
  });

  it('keeps the close of a gap nobody was told about quiet', async () => {
    expect((await deliver({ ...gap(), status: 'archived' })).decision).toEqual({ notify: false, reason: 'opening was not notified' });
  });

  it('pages again when a resolved gap opens again, cooldown or not', async () => {
    await deliver(gap());
    clock.advance(MINUTE);
    await deliver({ ...gap(), status: 'archived', version: clock.now().toISOString() });
    clock.advance(MINUTE);
    expect((await deliver({ ...gap(), version: clock.now().toISOString() })).decision).toMatchObject({ notify: true, kind: 'new' });
  });
});
