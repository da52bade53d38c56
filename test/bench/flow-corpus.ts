/**
 * The network benchmark corpus: gzipped VPC Flow Logs files in the S3 layout, one per account and
 * 5-minute window, in the default format with its header. Seeded and deterministic. The mix is what
 * a small web estate writes: clients on the internet reaching a load balancer (both directions of
 * each connection), the balancer reaching the application, the application its database and
 * AWS endpoints, DNS, the internet's background scanners refused by security groups, and the odd
 * NODATA record of an idle interface.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DEFAULT_FORMAT } from '../../central/core/netlogs/flow-format.js';
import { seededRandom } from '../support/seeded.js';

/** The accounts the corpus delivers for, and its region. */
export const FLOW_ACCOUNTS = ['111122223333', '444455556666'] as const;
export const FLOW_REGION = 'eu-west-1';

const WINDOW = 300;
const START = Date.parse('2026-11-10T00:00:00Z') / 1000;

/** The same corpus on every run: the demo's seeded generator. */
export const seeded = seededRandom;

// First octets of internet addresses (none private or reserved), for clients, endpoints and scanners.
const PUBLIC_FIRST = [23, 31, 37, 45, 52, 54, 66, 77, 81, 89, 91, 104, 142, 151, 176, 185, 188, 198, 203, 212];

/** The `n`th internet address of a pool. */
export function publicAddress(n: number): string {
  return `${PUBLIC_FIRST[n % PUBLIC_FIRST.length]}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

const SCANNED_PORTS = [22, 23, 445, 1433, 3306, 3389, 5900, 6379, 8080, 9200];

/** Writes about `records` records over `days` days of 5-minute files; returns the records and files written. */
export function writeFlowCorpus(root: string, records: number, days = 2): { records: number; files: number } {
  const rnd = seeded(7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const windows = (days * 86_400) / WINDOW;
  const perFile = records / (windows * FLOW_ACCOUNTS.length);
  let written = 0;
  let files = 0;
  for (const [a, account] of FLOW_ACCOUNTS.entries()) {
    const net = `10.${a + 1}`;
    const balancers = [`${net}.1.10`, `${net}.1.11`];
    const apps = Array.from({ length: 24 }, (_, i) => `${net}.2.${10 + i}`);
    const databases = Array.from({ length: 4 }, (_, i) => `${net}.3.${10 + i}`);
    const eni = (address: string) => `eni-0${account.slice(0, 4)}${address.split('.').slice(2).map((o) => o.padStart(3, '0')).join('')}a`;
    for (let w = 0; w < windows; w++) {
      const t0 = START + w * WINDOW;
      // A daily rhythm: the busiest hour holds about three times the quietest.
      const hour = (w * WINDOW) / 3_600 % 24;
      const n = Math.round(perFile * (1 + 0.5 * Math.sin(((hour - 8) / 24) * 2 * Math.PI)));
      const lines = [DEFAULT_FORMAT];
      const line = (src: string, dst: string, sp: number, dp: number, proto: number, packets: number, bytes: number, action: string, on: string) => {
        const start = t0 + Math.floor(rnd() * (WINDOW - 60));
        lines.push(`2 ${account} ${eni(on)} ${src} ${dst} ${sp} ${dp} ${proto} ${packets} ${bytes} ${start} ${start + 60} ${action} OK`);
      };
      while (lines.length <= n) {
        const r = rnd();
        const eph = 32_768 + Math.floor(rnd() * 28_000);
        if (r < 0.5) {
          // A web client (a few heavy, a long tail), both directions through the balancer.
          const client = publicAddress(Math.floor(200_000 * rnd() ** 3));
          const lb = pick(balancers);
          const packets = 4 + Math.floor(rnd() * 40);
          line(client, lb, eph, 443, 6, packets, packets * 90, 'ACCEPT', lb);
          line(lb, client, 443, eph, 6, packets, packets * 900, 'ACCEPT', lb);
        } else if (r < 0.7) {
          const lb = pick(balancers);
          const app = pick(apps);
          line(lb, app, eph, 8080, 6, 10, 6_000, 'ACCEPT', app);
          line(app, lb, 8080, eph, 6, 10, 24_000, 'ACCEPT', app);
        } else if (r < 0.8) {
          const app = pick(apps);
          line(app, pick(databases), eph, 5432, 6, 20, 8_000 + Math.floor(rnd() * 50_000), 'ACCEPT', app);
        } else if (r < 0.86) {
          // Calls to AWS endpoints and package mirrors.
          const app = pick(apps);
          line(app, publicAddress(1_000_000 + Math.floor(rnd() * 300)), eph, 443, 6, 30, 4_000 + Math.floor(rnd() * 400_000), 'ACCEPT', app);
        } else if (r < 0.9) {
          const app = pick(apps);
          line(app, `${net}.0.2`, eph, 53, 17, 1, 70, 'ACCEPT', app);
        } else if (r < 0.995) {
          // The internet's background: one-packet probes from anywhere, refused.
          const target = pick([...balancers, pick(apps)]);
          const dp = rnd() < 0.8 ? pick(SCANNED_PORTS) : 1 + Math.floor(rnd() * 65_535);
          line(publicAddress(2_000_000 + Math.floor(rnd() * 1_000_000)), target, eph, dp, 6, 1, 40 + 4 * Math.floor(rnd() * 6), 'REJECT', target);
        } else {
          lines.push(`2 ${account} ${eni(pick(databases))} - - - - - - - ${t0} ${t0 + 60} - NODATA`);
        }
      }
      written += lines.length - 1;
      files++;
      writeFile(root, account, t0, w, lines.join('\n') + '\n');
    }
  }
  return { records: written, files };
}

function writeFile(root: string, account: string, t0: number, w: number, text: string): void {
  const iso = new Date(t0 * 1000).toISOString();
  const [y, m, d] = [iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10)];
  const stamp = `${y}${m}${d}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
  const dir = join(root, 'AWSLogs', account, 'vpcflowlogs', FLOW_REGION, y, m, d);
  mkdirSync(dir, { recursive: true });
  const hash = ((w * 2_654_435_761) >>> 0).toString(16).padStart(8, '0');
  writeFileSync(join(dir, `${account}_vpcflowlogs_${FLOW_REGION}_fl-0a1b2c3d4e5f67890_${stamp}_${hash}.log.gz`), gzipSync(text));
}
