/**
 * The Slack channel against a real HTTP server answering like a Slack incoming webhook, with the URL
 * read from a (stubbed, model-validated) Secrets Manager. Through every fault, the URL must not
 * appear in a console line or in an error we let escape.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SecretWebhook, webhookUrlOf } from '../../central/aws/adapters/secret-webhook.js';
import { SlackChannel, SlackDeliveryError } from '../../central/aws/adapters/slack-notifier.js';
import { slackOf } from '../../central/core/delivery/messages.js';
import { noticeOfFinding, type Notice } from '../../central/core/delivery/notice.js';
import { ManualClock } from '../support/detector.js';
import { startSlackReceiver, type SlackReceiver } from '../support/slack-receiver.js';
import { fakeSecret, type SecretFake } from '../support/sns-fake.js';
import { directory, rootFinding } from '../delivery/notifier-samples.js';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:222222222222:secret:skywatch/slack-webhook-AbCdEf';
const PLACEHOLDER = 'j8#Qv2!mZr^Lx5@Tn0&Wb7*Kd3$Hs9Pf';

let receiver: SlackReceiver;
let notice: Notice;
const lines: string[] = [];
const secrets: string[] = [];

beforeAll(async () => {
  receiver = await startSlackReceiver();
  secrets.push(receiver.url, new URL(receiver.url).pathname);
  notice = noticeOfFinding(await rootFinding(), directory, 'us-east-1');
  for (const method of ['log', 'error', 'warn', 'info', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')));
  }
});

afterAll(async () => {
  vi.restoreAllMocks();
  await receiver.close();
  // Every console line of every fault above, checked for the secret at the end.
  for (const secret of secrets) expect(lines.filter((l) => l.includes(secret))).toEqual([]);
});

let clock: ManualClock;
let waits: Array<{ ms: number; requestsSoFar: number }>;
let secret: SecretFake;
let client: SecretsManagerClient;

beforeEach(() => {
  clock = new ManualClock();
  waits = [];
  receiver.reset();
  client = new SecretsManagerClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' } });
  secret = fakeSecret(SECRET_ARN, receiver.url, client);
});

afterEach(() => {
  expect(secret.invalid).toEqual([]);
  secret.restore();
});

/** A sleep that records when it was asked to wait (how many requests the receiver had by then) and moves the clock. */
const sleep = async (ms: number) => {
  waits.push({ ms, requestsSoFar: receiver.requests.length });
  clock.advance(ms);
};

const channel = (options: { maxAttempts?: number } = {}) => new SlackChannel({ webhook: new SecretWebhook({ client, secretArn: SECRET_ARN, clock }), clock, sleep, timeoutMs: 5_000, ...options });
const inSeconds = (s: number) => ({ deadline: new Date(clock.now().getTime() + s * 1000) });

/** The error a send rejected with, checked for the secret in every form it could be printed. */
async function failureOf(send: Promise<unknown>): Promise<SlackDeliveryError> {
  const error = await send.then(
    () => expect.unreachable('the send should have failed'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SlackDeliveryError);
  const printed = [String(error), (error as Error).stack ?? '', JSON.stringify(error), JSON.stringify((error as Error).cause ?? null)];
  for (const s of secrets) expect(printed.filter((p) => p.includes(s))).toEqual([]);
  return error as SlackDeliveryError;
}

describe('posting to Slack', () => {
  it('posts the Block Kit message, which the receiver accepts', async () => {
    expect(await channel().send(notice, inSeconds(30))).toBe('sent');
    expect(receiver.accepted).toEqual([slackOf(notice)]);
  });

  it('honours Retry-After on a 429: the retry reaches Slack only after the wait', async () => {
    receiver.rateLimit(2, 7);
    expect(await channel().send(notice, inSeconds(40))).toBe('sent');
    expect(receiver.requests.map((r) => r.status)).toEqual([429, 429, 200]);
    expect(waits).toEqual([
      { ms: 7_000, requestsSoFar: 1 },
      { ms: 7_000, requestsSoFar: 2 },
    ]);
    expect(receiver.accepted).toHaveLength(1);
  });

  it('fails at once when Retry-After is longer than the time left, so the stream retries later', async () => {
    receiver.rateLimit(1, 120);
    const error = await failureOf(channel().send(notice, inSeconds(40)));
    expect([error.status, error.code, error.attempts]).toEqual([429, 'rate_limited', 1]);
    expect(error.message).toBe('slack webhook answered 429 (rate_limited) after 1 attempt; a retry in 120 s would pass the deadline');
    expect(waits).toEqual([]);
  });

  it('retries a 5xx with a doubling backoff', async () => {
    receiver.fail(3, 500);
    expect(await channel().send(notice, inSeconds(30))).toBe('sent');
    expect(receiver.requests.map((r) => r.status)).toEqual([500, 500, 500, 200]);
    expect(waits.map((w) => w.ms)).toEqual([500, 1_000, 2_000]);
  });

  it('gives up after its attempts when Slack keeps failing', async () => {
    receiver.fail(10, 503);
    const error = await failureOf(channel({ maxAttempts: 3 }).send(notice, inSeconds(60)));
    expect([error.status, error.code, error.attempts]).toEqual([503, 'server_error', 3]);
    expect(receiver.requests).toHaveLength(3);
  });

  it('does not retry a refused payload', async () => {
    receiver.fail(1, 400);
    const error = await failureOf(channel().send(notice, inSeconds(30)));
    expect([error.status, error.code, error.attempts]).toEqual([400, 'invalid_payload', 1]);
    expect(waits).toEqual([]);
  });

  it('reads the secret again after Slack says the webhook is gone', async () => {
    const revoked = receiver.url.replace(/[0-9a-f]{24}$/, '0'.repeat(24));
    secrets.push(revoked);
    secret.set(revoked);
    const slack = channel();
    const error = await failureOf(slack.send(notice, inSeconds(30)));
    expect([error.status, error.code]).toEqual([404, 'no_service']);
    secret.set(receiver.url);
    expect(await slack.send(notice, inSeconds(30))).toBe('sent');
    expect(secret.calls()).toBe(2);
  });

  it('reports an unreachable webhook by its network code, never its address', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const unreachable = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/services/T0EXAMPLE/B0EXAMPLE/${'f'.repeat(24)}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    secrets.push(unreachable, `${'f'.repeat(24)}`);
    secret.set(unreachable);
    const error = await failureOf(channel({ maxAttempts: 2 }).send(notice, inSeconds(30)));
    expect([error.status, error.code, error.attempts]).toEqual([undefined, 'ECONNREFUSED', 2]);
    expect(error.message).toBe('slack webhook unreachable (ECONNREFUSED) after 2 attempts');
  });

  it('delivers every message when Slack fails at a seeded rate, retrying only what failed', async () => {
    receiver.failAtRate(0.3, 20261121);
    const slack = channel();
    for (let i = 0; i < 20; i++) expect(await slack.send({ ...notice, title: `Root user called ListBuckets (${i})` }, inSeconds(60))).toBe('sent');
    const failed = receiver.requests.filter((r) => r.status === 500).length;
    expect(receiver.accepted).toHaveLength(20);
    expect(failed).toBeGreaterThan(0);
    expect(receiver.requests).toHaveLength(20 + failed);
    expect(waits).toHaveLength(failed);
  });
});

describe('the webhook secret', () => {
  it('skips Slack while the secret holds the generated placeholder, saying so once and without the value', async () => {
    secret.set(PLACEHOLDER);
    secrets.push(PLACEHOLDER);
    const before = lines.length;
    const slack = channel();
    expect(await slack.send(notice, inSeconds(30))).toBe('skipped');
    expect(await slack.send(notice, inSeconds(30))).toBe('skipped');
    const said = lines.slice(before).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(said.map((l) => [l.level, l.message, l.secretArn])).toEqual([['warn', 'slack webhook not configured', SECRET_ARN]]);
    expect(secret.calls()).toBe(1);
    expect(receiver.requests).toEqual([]);
  });

  it('picks up the URL a few minutes after an operator sets it, and then keeps it', async () => {
    secret.set('');
    const slack = channel();
    expect(await slack.send(notice, inSeconds(30))).toBe('skipped');
    secret.set(receiver.url);
    clock.advance(4 * 60_000);
    expect(await slack.send(notice, inSeconds(30))).toBe('skipped');
    clock.advance(60_000);
    expect(await slack.send(notice, inSeconds(30))).toBe('sent');
    clock.advance(24 * 3_600_000);
    expect(await slack.send(notice, inSeconds(30))).toBe('sent');
    expect(secret.calls()).toBe(2);
  });

  it.each([
    ['https://hooks.slack.com/services/T0EXAMPLE/B0EXAMPLE/XXXXXXXXXXXXXXXXXXXXXXXX', true],
    ['  https://hooks.slack.com/services/T0EXAMPLE/B0EXAMPLE/XXXXXXXXXXXXXXXXXXXXXXXX\n', true],
    ['http://127.0.0.1:8080/services/T0/B0/x', true],
    ['http://hooks.slack.com/services/T0EXAMPLE/B0EXAMPLE/XXXXXXXXXXXXXXXXXXXXXXXX', false],
    [PLACEHOLDER, false],
    ['', false],
    ['REPLACE_ME', false],
  ])('takes %j as configured: %s', (value, configured) => {
    expect(webhookUrlOf(value) !== undefined).toBe(configured);
  });
});
