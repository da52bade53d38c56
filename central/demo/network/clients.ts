/**
 * The people visiting a site: a pool of public addresses, each with a country and a browser, picked
 * with a heavy tail (a few busy clients, many that come once) as real web traffic is.
 */
import { BROWSERS } from '../user-agents.js';
import { WeightedPicker, type Random } from '../random.js';
import { publicAddress } from './addresses.js';

/** One visitor. */
export interface WebClient {
  readonly ip: string;
  /** ISO 3166 alpha-2, as WAF logs it. */
  readonly country: string;
  readonly userAgent: string;
}

/** Browsers of late 2026, desktop and mobile, with how common each is. */
const USER_AGENTS: ReadonlyArray<readonly [string, number]> = [
  [BROWSERS.chromeMac, 14],
  [BROWSERS.safariMac, 8],
  [BROWSERS.firefoxLinux, 3],
  [BROWSERS.edgeWindows, 9],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', 22],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0', 5],
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 18_1_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1.1 Mobile/15E148 Safari/604.1', 20],
  ['Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36', 16],
  ['Mozilla/5.0 (iPad; CPU OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1', 3],
];

// Where the customers of a US/EU company come from.
const COUNTRIES: ReadonlyArray<readonly [string, number]> = [
  ['US', 38], ['GB', 10], ['DE', 8], ['FR', 6], ['IE', 4], ['NL', 4], ['CA', 5], ['ES', 3],
  ['IT', 3], ['SE', 2], ['PL', 2], ['IN', 5], ['BR', 3], ['JP', 3], ['AU', 3], ['MX', 1],
];

/** A pool of visitors and a picker that favours the first ones. */
export interface ClientPool {
  readonly clients: readonly WebClient[];
  pick(rng: Random): WebClient;
}

/** `size` visitors; visitor i is picked with weight 1/(i+10), a gentle Zipf tail. */
export function clientPool(rng: Random, size: number): ClientPool {
  const agents = new WeightedPicker(USER_AGENTS);
  const countries = new WeightedPicker(COUNTRIES);
  const clients = Array.from({ length: size }, (): WebClient => ({ ip: publicAddress(rng), country: countries.pick(rng), userAgent: agents.pick(rng) }));
  const picker = new WeightedPicker(clients.map((c, i) => [c, 1 / (i + 10)] as const));
  return { clients, pick: (r) => picker.pick(r) };
}
