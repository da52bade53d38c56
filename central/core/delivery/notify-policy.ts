/**
 * Whether and where a notice goes. Only active notices at or above the minimum severity page; a
 * recurring one stays quiet for a cooldown unless its severity went up. What was sent is marked per
 * channel in the StateStore (`notified/<id>`), so a retry after "email sent, Slack failed" only
 * retries Slack, and a stream record that repeats a version already sent (the publisher counting an
 * attempt on the outbox item) pages nobody.
 *
 * A closed coverage gap (its finding ARCHIVED) is told as a resolution, once, and only to whoever was
 * told it opened: a blind spot that paged should say when it is gone; other archived findings are
 * housekeeping and stay quiet.
 *
 * A correlation finding has no cooldown: it pages again only when its severity went up or it spread
 * to an account it had not been told about, however long ago it paged. A window filling with more of
 * the same (new evidence in the same accounts) is already told.
 */
import type { Clock, StateStore } from '../ports.js';
import { severityRank, type SeverityLabel } from '../rules/schema.js';
import type { Notice } from './notice.js';

/** One way of telling a human: email through SNS, a Slack channel. */
export interface NoticeChannel {
  /** Stable name, kept in delivery marks (`email`, `slack`). */
  readonly name: string;
  /** Sends the notice; 'skipped' when the channel is not configured. Throws when sending failed. */
  send(notice: Notice, options: SendOptions): Promise<'sent' | 'skipped'>;
}

/** Limits a send must respect. */
export interface SendOptions {
  /** Retries and waits must be over by then (the invocation's remaining time). */
  readonly deadline: Date;
}

/** What was last sent for a notice id, stored under `notified/<id>`. */
export interface DeliveryMark {
  /** When the current cooldown window opened: the last time this notice paged. */
  readonly since: string;
  /** The severity that opened it; a higher one pages again inside the window. */
  readonly severity: SeverityLabel;
  /** The notice version these channels have. */
  readonly noticeVersion: string;
  readonly channels: readonly string[];
  /** A correlation's accounts told so far, every page together: only another one pages again. */
  readonly accounts?: readonly string[];
  /** The window was opened by a resolution (a closed coverage gap). */
  readonly resolved?: boolean;
}

/** The policy's answer for one notice. */
export type NotifyDecision =
  | { readonly notify: false; readonly reason: string }
  | {
      readonly notify: true;
      /**
       * new: first page of a window; escalated: severity went up; retry: channels a previous attempt
       * missed; resolved: a gap closed; spread: a correlation reached an account not told before.
       */
      readonly kind: 'new' | 'escalated' | 'retry' | 'resolved' | 'spread';
      readonly channels: readonly string[];
      /** The window the delivery belongs to. */
      readonly since: string;
    };

/** The policy's settings. */
export interface NotifyPolicyOptions {
  readonly state: StateStore;
  readonly clock: Clock;
  readonly minimumSeverity: SeverityLabel;
  /** How long a recurring notice stays quiet after it paged (env NOTIFY_COOLDOWN_MINUTES, default 60). */
  readonly cooldownMinutes: number;
}

/** Raised when a mark cannot be written because other writers keep changing it. */
export class DeliveryMarkContentionError extends Error {
  override readonly name = 'DeliveryMarkContentionError';
  constructor(readonly noticeId: string) {
    super(`could not record the delivery of ${noticeId}`);
  }
}

/** The default cooldown, in minutes. */
export const DEFAULT_COOLDOWN_MINUTES = 60;
const MARK_ATTEMPTS = 5;

/** Decides on notices and records their deliveries. */
export class NotifyPolicy {
  constructor(private readonly options: NotifyPolicyOptions) {}

  /** Whether to send `notice`, and on which of `channels`. */
  async decide(notice: Notice, channels: readonly string[]): Promise<NotifyDecision> {
    const quiet = (reason: string): NotifyDecision => ({ notify: false, reason });
    if (notice.status === 'staged') return quiet('staged rule');
    if (notice.status === 'suppressed') return quiet('suppressed');
    if (notice.status === 'not-notable') return quiet('not notable');
    const closing = notice.status === 'archived' && notice.source === 'coverage';
    if (notice.status === 'archived' && !closing) return quiet('archived');
    if (!closing && severityRank(notice.severity) < severityRank(this.options.minimumSeverity)) return quiet('below minimum severity');

    const mark = (await this.options.state.get<DeliveryMark>(markKey(notice.id)))?.value;
    const now = this.options.clock.now();
    if (mark && mark.noticeVersion === notice.version) {
      const missing = channels.filter((c) => !mark.channels.includes(c));
      return missing.length ? { notify: true, kind: 'retry', channels: missing, since: mark.since } : quiet('already notified');
    }
    if (mark && isOlder(notice.version, mark.noticeVersion)) return quiet('older version');
    const fresh = (kind: 'new' | 'escalated' | 'resolved' | 'spread'): NotifyDecision => ({ notify: true, kind, channels, since: now.toISOString() });
    if (closing) return mark && !mark.resolved ? fresh('resolved') : quiet(mark ? 'already resolved' : 'opening was not notified');
    // A notice that resolved earlier and came back is news, whatever the window.
    if (!mark || mark.resolved) return fresh('new');
    if (notice.source === 'correlation') {
      if (severityRank(notice.severity) > severityRank(mark.severity)) return fresh('escalated');
      const told = new Set(mark.accounts ?? []);
      return accountIds(notice).some((id) => !told.has(id)) ? fresh('spread') : quiet('no new account');
    }
    const windowEnds = Date.parse(mark.since) + this.options.cooldownMinutes * 60_000;
    if (now.getTime() >= windowEnds) return fresh('new');
    return severityRank(notice.severity) > severityRank(mark.severity) ? fresh('escalated') : quiet('cooldown');
  }

  /** Records that `channel` has this version of the notice. */
  async delivered(notice: Notice, decision: Extract<NotifyDecision, { notify: true }>, channel: string): Promise<void> {
    const { state } = this.options;
    const key = markKey(notice.id);
    for (let attempt = 0; attempt < MARK_ATTEMPTS; attempt++) {
      const current = await state.get<DeliveryMark>(key);
      const same = current?.value.noticeVersion === notice.version;
      const next: DeliveryMark = same
        ? { ...current!.value, channels: [...new Set([...current!.value.channels, channel])] }
        : {
            since: decision.since,
            severity: notice.severity,
            noticeVersion: notice.version,
            channels: [channel],
            ...(decision.kind === 'resolved' && { resolved: true }),
            ...(notice.accounts && { accounts: [...new Set([...(current?.value.accounts ?? []), ...accountIds(notice)])].sort() }),
          };
      if (await state.put(key, next, current?.version)) return;
    }
    throw new DeliveryMarkContentionError(notice.id);
  }
}

/** The account ids a correlation notice names. */
function accountIds(notice: Notice): string[] {
  return (notice.accounts ?? []).map((a) => a.id);
}

/** The StateStore key of a notice's delivery mark. */
export function markKey(noticeId: string): string {
  return `notified/${noticeId}`;
}

/** What one delivery did. */
export interface DeliveryOutcome {
  readonly decision: NotifyDecision;
  readonly sent: readonly string[];
  readonly skipped: readonly string[];
}

/** Thrown when some channel failed; the channels that worked are marked and will not send again. */
export class NoticeDeliveryError extends Error {
  override readonly name = 'NoticeDeliveryError';
  constructor(
    readonly noticeId: string,
    readonly sent: readonly string[],
    readonly failures: ReadonlyArray<{ readonly channel: string; readonly reason: string }>,
  ) {
    super(`notice ${noticeId} failed on ${failures.map((f) => `${f.channel} (${f.reason})`).join(', ')}`);
  }
}

/**
 * Decides, then sends on every channel the decision names. Channels are independent: one failing does
 * not stop the others, each success is marked at once, and the failures are thrown together.
 */
export async function deliverNotice(policy: NotifyPolicy, notice: Notice, channels: readonly NoticeChannel[], options: SendOptions): Promise<DeliveryOutcome> {
  const decision = await policy.decide(notice, channels.map((c) => c.name));
  if (!decision.notify) return { decision, sent: [], skipped: [] };
  const sent: string[] = [];
  const skipped: string[] = [];
  const failures: Array<{ channel: string; reason: string }> = [];
  for (const channel of channels.filter((c) => decision.channels.includes(c.name))) {
    try {
      if ((await channel.send(notice, options)) === 'skipped') {
        skipped.push(channel.name);
        continue;
      }
    } catch (error) {
      failures.push({ channel: channel.name, reason: reasonOf(error) });
      continue;
    }
    sent.push(channel.name);
    await policy.delivered(notice, decision, channel.name);
  }
  if (failures.length) throw new NoticeDeliveryError(notice.id, sent, failures);
  return { decision, sent, skipped };
}

function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.message.startsWith(error.name) ? error.message : `${error.name}: ${error.message}`;
}

/** True when version `a` is earlier than `b` (RFC 3339 times, compared as instants when both parse). */
function isOlder(a: string, b: string): boolean {
  const [ta, tb] = [Date.parse(a), Date.parse(b)];
  return Number.isNaN(ta) || Number.isNaN(tb) ? a < b : ta < tb;
}
