/**
 * Run by network.bench.ts in its own process: a million flow records from a million distinct
 * source addresses (half internal, half on the internet) within four 5-minute windows of one
 * account, decoded and counted through every flow detector, then `finish`. Prints the process's
 * peak RSS as the last line, `{"maxRssMb":N}`.
 */
import { DEFAULT_FORMAT } from '../../central/core/netlogs/flow-format.js';
import { decodeFlowLog } from '../../central/core/netlogs/flow-log.js';
import { MemoryStateStore } from '../../central/core/state/memory-store.js';
import { NetworkStatistics } from '../../central/core/statistics/network-statistics.js';
import { loadStatisticsFolders } from '../../central/local/statistics-files.js';
import { FLOW_REGION, publicAddress, seeded } from './flow-corpus.js';

const SOURCES = 1_000_000;
const PER_FILE = 10_000;
const WINDOWS = 4;
const ACCOUNT = '111122223333';
const START = Date.parse('2026-11-10T00:00:00Z') / 1000;

const rnd = seeded(11);
const { detectors, problems } = loadStatisticsFolders();
if (problems.length) throw new Error(`statistics detectors failed to load: ${JSON.stringify(problems[0])}`);
const statistics = new NetworkStatistics({ detectors: detectors.map((d) => d.detector), state: new MemoryStateStore(), clock: { now: () => new Date('2026-11-11T00:00:00Z') } });
const servers = ['10.0.1.10', '10.0.1.11', '10.0.2.20', '10.0.2.21'];
let records = 0;
for (let first = 0; first < SOURCES; first += PER_FILE) {
  const lines = [DEFAULT_FORMAT];
  for (let i = first; i < first + PER_FILE; i++) {
    const start = START + Math.floor((i * WINDOWS) / SOURCES) * 300 + Math.floor(rnd() * 240);
    const eph = 32_768 + Math.floor(rnd() * 28_000);
    const n = i >> 1;
    let flow: string;
    if (i % 2 === 0) {
      // An internal host calling an endpoint on the internet.
      flow = `10.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255} ${publicAddress(5_000_000 + Math.floor(rnd() * 500))} ${eph} 443 6 12 ${2_000 + Math.floor(rnd() * 90_000)} ${start} ${start + 60} ACCEPT`;
    } else {
      const probe = rnd() < 0.3;
      const port = probe ? 1 + Math.floor(rnd() * 65_535) : 443;
      flow = `${publicAddress(n)} ${servers[i % servers.length]} ${eph} ${port} 6 ${probe ? 1 : 8} ${probe ? 44 : 3_200} ${start} ${start + 60} ${probe ? 'REJECT' : 'ACCEPT'}`;
    }
    lines.push(`2 ${ACCOUNT} eni-0123456789abcdef${i % 4} ${flow} OK`);
  }
  const decoded = decodeFlowLog(`memory-${first}.log`, lines.join('\n'), { account: ACCOUNT, region: FLOW_REGION });
  if (decoded.problems.length) throw new Error(`generated flow lines have problems: ${JSON.stringify(decoded.problems[0])}`);
  await statistics.add(decoded.records);
  statistics.take();
  records += decoded.records.length;
}
const findings = await statistics.finish();
const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
process.stdout.write(`${records} records, ${statistics.summary.windows} windows, ${findings.length} findings at the end\n`);
process.stdout.write(JSON.stringify({ maxRssMb }) + '\n');
