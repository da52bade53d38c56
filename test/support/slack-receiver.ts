/**
 * A real HTTP server on loopback that answers like a Slack incoming webhook: 200 `ok` for a payload it
 * accepts, 400 `invalid_payload` / `invalid_blocks` for what Slack would refuse (Block Kit's documented
 * limits), 404 `no_service` for another path. It can be told to answer 429 with a Retry-After, or 500,
 * a number of times or at a seeded rate. Its URL carries a random token: tests treat it as the secret.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { seededRandom } from './seeded.js';

/** One request the receiver answered. */
export interface ReceivedRequest {
  readonly status: number;
  readonly body: string;
}

/** A running receiver. */
export interface SlackReceiver {
  /** The webhook URL (the secret). */
  readonly url: string;
  /** Payloads accepted, parsed, in order. */
  readonly accepted: unknown[];
  /** Every request, with the status it got, in order. */
  readonly requests: ReceivedRequest[];
  /** Answers the next `times` requests 429 with `Retry-After: seconds`. */
  rateLimit(times: number, retryAfterSeconds: number): void;
  /** Answers the next `times` requests with `status` (500 by default). */
  fail(times: number, status?: number): void;
  /** Answers each request 500 with probability `rate`, drawn from a generator seeded with `seed`. */
  failAtRate(rate: number, seed: number): void;
  /** Forgets what it received and every planned failure. */
  reset(): void;
  close(): Promise<void>;
}

type Plan = { kind: 'rate-limit'; retryAfter: number } | { kind: 'fail'; status: number };

/** Starts a receiver on 127.0.0.1 at a free port. */
export async function startSlackReceiver(): Promise<SlackReceiver> {
  const path = `/services/T0EXAMPLE/B0EXAMPLE/${randomBytes(12).toString('hex')}`;
  const accepted: unknown[] = [];
  const requests: ReceivedRequest[] = [];
  const planned: Plan[] = [];
  let random: (() => number) | undefined;
  let failRate = 0;

  const answer = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'text/html', ...headers });
    res.end(body);
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const reply = (status: number, text: string, headers?: Record<string, string>) => {
        requests.push({ status, body });
        answer(res, status, text, headers);
      };
      if (req.method !== 'POST' || req.url !== path) return reply(404, 'no_service');
      const plan = planned.shift();
      if (plan?.kind === 'rate-limit') return reply(429, 'rate_limited', { 'retry-after': String(plan.retryAfter) });
      if (plan?.kind === 'fail') return reply(plan.status, plan.status >= 500 ? 'server_error' : 'invalid_payload');
      if (random && random() < failRate) return reply(500, 'server_error');
      if (!String(req.headers['content-type']).startsWith('application/json')) return reply(400, 'invalid_payload');
      let payload: unknown;
      try {
        payload = JSON.parse(body);
      } catch {
        return reply(400, 'invalid_payload');
      }
      const problem = payloadProblem(payload);
      if (problem) return reply(400, problem);
      accepted.push(payload);
      reply(200, 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    accepted,
    requests,
    rateLimit: (times, retryAfter) => planned.push(...Array.from({ length: times }, (): Plan => ({ kind: 'rate-limit', retryAfter }))),
    fail: (times, status = 500) => planned.push(...Array.from({ length: times }, (): Plan => ({ kind: 'fail', status }))),
    failAtRate: (rate, seed) => {
      failRate = rate;
      random = seededRandom(seed);
    },
    reset: () => {
      accepted.length = 0;
      requests.length = 0;
      planned.length = 0;
      random = undefined;
      failRate = 0;
    },
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const textOf = (v: unknown): string | undefined => (isObj(v) && typeof v.text === 'string' ? v.text : undefined);

/** What Slack would refuse in a payload: no text and no blocks, or blocks past Block Kit's limits. */
export function payloadProblem(payload: unknown): 'invalid_payload' | 'invalid_blocks' | undefined {
  if (!isObj(payload)) return 'invalid_payload';
  const { text, blocks } = payload;
  if (text !== undefined && (typeof text !== 'string' || text.length > 40_000)) return 'invalid_payload';
  if (blocks === undefined) return typeof text === 'string' && text !== '' ? undefined : 'invalid_payload';
  if (!Array.isArray(blocks) || blocks.length > 50) return 'invalid_blocks';
  const within = (v: unknown, max: number) => {
    const t = textOf(v);
    return t !== undefined && t.length >= 1 && t.length <= max;
  };
  for (const block of blocks) {
    if (!isObj(block)) return 'invalid_blocks';
    switch (block.type) {
      case 'header':
        if (!within(block.text, 150) || (block.text as Json).type !== 'plain_text') return 'invalid_blocks';
        break;
      case 'section': {
        const fields = block.fields;
        if (block.text === undefined && fields === undefined) return 'invalid_blocks';
        if (block.text !== undefined && !within(block.text, 3000)) return 'invalid_blocks';
        if (fields !== undefined && (!Array.isArray(fields) || fields.length > 10 || !fields.every((f) => within(f, 2000)))) return 'invalid_blocks';
        break;
      }
      case 'actions': {
        const elements = block.elements;
        if (!Array.isArray(elements) || elements.length < 1 || elements.length > 25) return 'invalid_blocks';
        for (const e of elements) {
          if (!isObj(e) || e.type !== 'button' || !within(e.text, 75)) return 'invalid_blocks';
          if (e.url !== undefined && (typeof e.url !== 'string' || e.url.length > 3000)) return 'invalid_blocks';
        }
        break;
      }
      case 'context': {
        const elements = block.elements;
        if (!Array.isArray(elements) || elements.length < 1 || elements.length > 10 || !elements.every((e) => within(e, 3000))) return 'invalid_blocks';
        break;
      }
      case 'divider':
      case 'image':
      case 'rich_text':
        break; // valid types the notifier does not use; their limits are not modelled here
      default:
        return 'invalid_blocks';
    }
  }
  return undefined;
}

