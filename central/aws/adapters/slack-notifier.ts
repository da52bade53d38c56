/**
 * The Slack channel: a Block Kit message through an incoming webhook (`@slack/webhook`). A 429 waits
 * as long as Slack's Retry-After says, a 5xx or a network error backs off and tries again, both
 * bounded by attempts and by the caller's deadline: a wait that would outlive it fails at once so the
 * stream retries the record later.
 *
 * The webhook URL is the secret. `@slack/webhook` keeps response headers to itself, so Retry-After is
 * read through the `fetch` it is given; its errors (a network error can quote the URL) never escape:
 * they become a SlackDeliveryError holding only a status and a short code.
 */
import { IncomingWebhook, IncomingWebhookHTTPError, IncomingWebhookRequestError, type FetchFunction } from '@slack/webhook';
import { slackOf } from '../../core/delivery/messages.js';
import type { Notice } from '../../core/delivery/notice.js';
import type { NoticeChannel, SendOptions } from '../../core/delivery/notify-policy.js';
import type { Clock } from '../../core/ports.js';
import type { WebhookSource } from './secret-webhook.js';

/** Why Slack did not take a message: an HTTP status and Slack's error code, nothing else. */
export class SlackDeliveryError extends Error {
  override readonly name = 'SlackDeliveryError';
  constructor(
    /** The HTTP status, when Slack answered. */
    readonly status: number | undefined,
    /** Slack's error (`rate_limited`, `no_service`...) or the network error's code. */
    readonly code: string,
    readonly attempts: number,
    detail = '',
  ) {
    super(`slack webhook ${status ? `answered ${status}` : 'unreachable'} (${code}) after ${attempts} attempt${attempts === 1 ? '' : 's'}${detail ? `; ${detail}` : ''}`);
  }
}

/** The Slack channel's wiring. */
export interface SlackChannelOptions {
  readonly webhook: WebhookSource;
  readonly clock: Clock;
  /** Waits between attempts; injectable so tests never sleep. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Posts per notice, first included. @default 5 */
  readonly maxAttempts?: number;
  /** First backoff after a 5xx or a network error, doubling after each. @default 500 */
  readonly backoffMs?: number;
  /** One request's time limit. @default 10 seconds */
  readonly timeoutMs?: number;
  /** The HTTP client under `@slack/webhook`. @default globalThis.fetch */
  readonly fetch?: FetchFunction;
}

/** A failed post, classified. */
interface Failure {
  readonly status?: number;
  readonly code: string;
  readonly transient: boolean;
  readonly retryAfterMs?: number;
}

const SLACK_CODE = /^[a-z0-9_]{1,64}$/;
const NETWORK_CODE = /^[A-Za-z0-9_]{1,64}$/;
// Slack answers these when a webhook was revoked or its channel removed: the URL may have changed.
const GONE = new Set([403, 404, 410]);

/** Posts notices to Slack. */
export class SlackChannel implements NoticeChannel {
  readonly name = 'slack';

  constructor(private readonly options: SlackChannelOptions) {}

  async send(notice: Notice, { deadline }: SendOptions): Promise<'sent' | 'skipped'> {
    const { webhook, clock, maxAttempts = 5, backoffMs = 500, timeoutMs = 10_000, sleep = defaultSleep } = this.options;
    const url = await webhook.url();
    if (url === undefined) return 'skipped';
    const message = slackOf(notice);
    for (let attempt = 1; ; attempt++) {
      const failure = await this.post(url, message, timeoutMs);
      if (!failure) return 'sent';
      if (failure.status !== undefined && GONE.has(failure.status)) webhook.forget();
      if (!failure.transient || attempt >= maxAttempts) throw new SlackDeliveryError(failure.status, failure.code, attempt);
      const wait = failure.retryAfterMs ?? backoffMs * 2 ** (attempt - 1);
      // The retry must also have time to run; otherwise fail now and let the stream come back later.
      if (clock.now().getTime() + wait + timeoutMs > deadline.getTime()) {
        throw new SlackDeliveryError(failure.status, failure.code, attempt, `a retry in ${Math.ceil(wait / 1000)} s would pass the deadline`);
      }
      await sleep(wait);
    }
  }

  /** One post; undefined when Slack took it. */
  private async post(url: string, message: ReturnType<typeof slackOf>, timeoutMs: number): Promise<Failure | undefined> {
    const base = this.options.fetch ?? (globalThis.fetch as unknown as FetchFunction);
    let retryAfter: string | null = null;
    const fetch: FetchFunction = async (input, init) => {
      const response = await base(input, init);
      retryAfter = response.headers.get('retry-after');
      return response;
    };
    try {
      await new IncomingWebhook(url, { fetch, timeout: timeoutMs }).send({ text: message.text, blocks: [...message.blocks] });
      return undefined;
    } catch (error) {
      return classify(error, retryAfter, this.options.clock);
    }
  }
}

function classify(error: unknown, retryAfter: string | null, clock: Clock): Failure {
  if (error instanceof IncomingWebhookHTTPError) {
    const status = error.statusCode;
    const body = typeof error.body === 'string' ? error.body.trim() : '';
    const code = SLACK_CODE.test(body) ? body : status === 429 ? 'rate_limited' : 'http_error';
    if (status === 429) {
      const wait = retryAfterMs(retryAfter, clock);
      return { status, code, transient: true, ...(wait !== undefined && { retryAfterMs: wait }) };
    }
    return { status, code, transient: status >= 500 };
  }
  if (error instanceof IncomingWebhookRequestError) return { code: networkCode(error.original), transient: true };
  // Anything else came from our side of the call: not worth a retry, and not worth quoting.
  return { code: error instanceof Error && NETWORK_CODE.test(error.name) ? error.name : 'unexpected_error', transient: false };
}

/** The network error's code (ECONNREFUSED, UND_ERR_CONNECT_TIMEOUT, TimeoutError...), never its message. */
function networkCode(error: Error): string {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODE.test(code)) return code;
    if (e.name !== 'Error' && e.name !== 'TypeError' && NETWORK_CODE.test(e.name)) return e.name;
  }
  return 'network_error';
}

/** Retry-After in delta-seconds or as an HTTP date (RFC 9110). */
function retryAfterMs(value: string | null, clock: Clock): number | undefined {
  if (!value) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - clock.now().getTime());
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
