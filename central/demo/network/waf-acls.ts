/**
 * The demo's two web ACLs: a regional one on the web account's load balancer (with a rate-based rule
 * on POST /login) and a CloudFront one in front of the payments checkout, logged under `cloudfront`.
 */
import { accountNamed, type DemoAccount, type DemoOrganization } from '../organization.js';
import type { Random } from '../random.js';
import type { ClientPool } from './clients.js';
import type { FlowStream } from './topology.js';

/** One path visitors request, with how often and how. */
export interface UriChoice {
  readonly method: 'GET' | 'POST';
  readonly uri: (rng: Random) => string;
  readonly args: (rng: Random) => string;
  readonly weight: number;
}

/** One web ACL and the site behind it. */
export interface WebAcl {
  readonly account: DemoAccount;
  /** The WAFLogs region folder: the ACL's region, or `cloudfront`. */
  readonly folder: string;
  readonly name: string;
  readonly arn: string;
  readonly sourceName: 'ALB' | 'CF';
  readonly sourceId: string;
  readonly host: string;
  readonly uris: readonly UriChoice[];
  readonly clients: ClientPool;
  /** Requests per 5 minutes at the busiest hour. */
  readonly peak: number;
  /** The rate-based rule guarding POST /login, when the ACL has one. */
  readonly loginRateRule?: { readonly name: string; readonly limit: number };
}

const none = () => '';
const fixed = (uri: string) => () => uri;
const PRODUCTS = ['merino-beanie', 'trail-runner-2', 'down-parka', 'wool-socks-3pack', 'rain-shell', 'fleece-quarter-zip', 'hiking-poles', 'insulated-bottle'];
const WORDS = ['parka', 'socks', 'gloves', 'boots', 'jacket', 'gift+card', 'beanie', 'rain'];

const WEB_URIS: readonly UriChoice[] = [
  { method: 'GET', uri: fixed('/'), args: none, weight: 12 },
  { method: 'GET', uri: fixed('/login'), args: none, weight: 4 },
  { method: 'POST', uri: fixed('/login'), args: none, weight: 2 },
  { method: 'GET', uri: fixed('/api/v1/products'), args: (r) => `page=${r.between(1, 12)}&size=24`, weight: 10 },
  { method: 'GET', uri: (r) => `/products/${r.pick(PRODUCTS)}`, args: none, weight: 8 },
  { method: 'GET', uri: fixed('/api/v1/cart'), args: none, weight: 8 },
  { method: 'POST', uri: fixed('/api/v1/cart/items'), args: none, weight: 3 },
  { method: 'GET', uri: fixed('/api/v1/session'), args: none, weight: 6 },
  { method: 'GET', uri: fixed('/search'), args: (r) => `q=${r.pick(WORDS)}`, weight: 5 },
  { method: 'GET', uri: fixed('/static/js/app.4f2c9a1e.js'), args: none, weight: 10 },
  { method: 'GET', uri: fixed('/static/css/main.8b21e4d0.css'), args: none, weight: 8 },
  { method: 'GET', uri: fixed('/images/hero-winter.webp'), args: none, weight: 6 },
  { method: 'GET', uri: fixed('/favicon.ico'), args: none, weight: 3 },
];

const PAYMENT_URIS: readonly UriChoice[] = [
  { method: 'GET', uri: fixed('/'), args: none, weight: 5 },
  { method: 'GET', uri: fixed('/checkout'), args: (r) => `session=cs_${r.hex(24)}`, weight: 8 },
  { method: 'POST', uri: fixed('/api/v1/payment-intents'), args: none, weight: 6 },
  { method: 'GET', uri: (r) => `/api/v1/payment-intents/pi_${r.hex(24)}`, args: none, weight: 5 },
  { method: 'GET', uri: (r) => `/api/v1/receipts/rcpt_${r.hex(16)}`, args: none, weight: 3 },
  { method: 'GET', uri: fixed('/login'), args: none, weight: 3 },
  { method: 'POST', uri: fixed('/login'), args: none, weight: 2 },
  { method: 'GET', uri: fixed('/static/js/checkout.93ab01c2.js'), args: none, weight: 8 },
  { method: 'GET', uri: fixed('/static/css/checkout.1d7e55aa.css'), args: none, weight: 6 },
  { method: 'GET', uri: fixed('/favicon.ico'), args: none, weight: 2 },
];

/** The two web ACLs; visitors are the same pools whose HTTPS the flow logs record. */
export function webAcls(org: DemoOrganization, rng: Random, streams: readonly FlowStream[]): WebAcl[] {
  const web = accountNamed(org, 'prod-web');
  const payments = accountNamed(org, 'prod-payments');
  const poolOf = (account: DemoAccount) => streams.find((s) => s.account === account)!.clients;
  const r = rng.fork('web-acls');
  return [
    {
      account: web,
      folder: 'us-east-1',
      name: 'prod-web-alb',
      arn: `arn:aws:wafv2:us-east-1:${web.id}:regional/webacl/prod-web-alb/${r.uuid()}`,
      sourceName: 'ALB',
      sourceId: `${web.id}-app/prod-web-alb/${r.hex(16)}`,
      host: 'www.example.com',
      uris: WEB_URIS,
      clients: poolOf(web),
      peak: 70,
      loginRateRule: { name: 'login-rate-limit', limit: 100 },
    },
    {
      account: payments,
      folder: 'cloudfront',
      name: 'payments-cdn',
      // CloudFront web ACLs are global resources that live in us-east-1.
      arn: `arn:aws:wafv2:us-east-1:${payments.id}:global/webacl/payments-cdn/${r.uuid()}`,
      sourceName: 'CF',
      sourceId: `E${r.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 13)}`,
      host: 'pay.example.com',
      uris: PAYMENT_URIS,
      clients: poolOf(payments),
      peak: 40,
    },
  ];
}
