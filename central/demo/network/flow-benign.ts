/**
 * One stream's benign flows for one 5-minute window: visitors' HTTPS to the web tier, application to
 * database queries, DNS, calls to external APIs, a flat batch upload, and the internet's background
 * noise knocking on 22, 23, 445 and 3389. Each connection is logged in both directions by the
 * interface that saw it, as flow logs do.
 */
import type { Random } from '../random.js';
import { publicAddress } from './addresses.js';
import type { Flow, FlowFormatter } from './flow-format.js';
import { noisyCount, poisson, type Rhythm } from './rhythm.js';
import type { FlowStream, NetInterface } from './topology.js';

/** Seconds in a delivery window. */
export const WINDOW_SECONDS = 300;

// Internet noise is steady day and night: sources per window, and the ports they try (by weight).
const NOISE_SOURCES_PER_WINDOW = 4;
const NOISE_PORTS = [22, 22, 22, 23, 23, 3389, 3389, 445];

/** What one window needs. */
export interface FlowWindow {
  readonly stream: FlowStream;
  readonly format: FlowFormatter;
  readonly rng: Random;
  readonly rhythm: Rhythm;
  /** Multiplies the rhythmic traffic (not the noise or the batch job); 1 for the demo. */
  readonly scale: number;
}

/** Appends the benign lines of the window starting at `windowStart` (ms) to `out`. */
export function benignFlows(w: FlowWindow, windowStart: number, out: string[]): void {
  const { stream, rng, format } = w;
  const ws = windowStart / 1000;
  const level = w.rhythm.level(windowStart + (WINDOW_SECONDS / 2) * 1000) * w.scale;
  const { web, app, db, worker, bastion } = stream.interfaces;
  const hosts = [...app, ...worker];
  // A connection: the request as the interface's egress or ingress, then the answer the other way.
  const pair = (iface: NetInterface, client: string, server: string, cport: number, sport: number, protocol: number, req: [number, number], resp: [number, number], local: 'client' | 'server') => {
    const start = ws + rng.int(WINDOW_SECONDS - 60);
    const end = start + rng.between(1, 59);
    const tcp = protocol === 6;
    const request: Flow = { iface, src: client, dst: server, srcPort: cport, dstPort: sport, protocol, packets: req[0], bytes: req[1], start, end, action: 'ACCEPT', tcpFlags: tcp ? 3 : 0, direction: local === 'client' ? 'egress' : 'ingress' };
    out.push(format.line(request));
    out.push(format.line({ ...request, src: server, dst: client, srcPort: sport, dstPort: cport, packets: resp[0], bytes: resp[1], tcpFlags: tcp ? 19 : 0, direction: local === 'client' ? 'ingress' : 'egress' }));
  };
  const packetsOf = (minPackets: number, maxPackets: number, minSize: number, maxSize: number): [number, number] => {
    const packets = rng.between(minPackets, maxPackets);
    return [packets, packets * rng.between(minSize, maxSize)];
  };

  for (let i = noisyCount(rng, stream.peak.web * level); i > 0; i--) {
    const client = stream.clients.pick(rng).ip;
    const lb = rng.pick(web);
    pair(lb, client, lb.address, rng.between(32768, 60999), rng.chance(0.04) ? 80 : 443, 6, packetsOf(5, 30, 80, 600), packetsOf(6, 60, 400, 1400), 'server');
  }
  for (let i = noisyCount(rng, stream.peak.db * level); i > 0; i--) {
    const host = rng.pick(app);
    pair(host, host.address, rng.pick(db).address, rng.between(32768, 60999), 5432, 6, packetsOf(4, 40, 100, 500), packetsOf(4, 120, 200, 1400), 'client');
  }
  for (let i = noisyCount(rng, stream.peak.api * level); i > 0; i--) {
    const host = rng.pick(hosts);
    pair(host, host.address, rng.pick(stream.apis), rng.between(32768, 60999), 443, 6, packetsOf(8, 40, 100, 1200), packetsOf(8, 60, 300, 1400), 'client');
  }
  for (let i = noisyCount(rng, stream.peak.dns * level); i > 0; i--) {
    const host = rng.pick(hosts);
    pair(host, host.address, stream.resolver, rng.between(32768, 60999), 53, 17, packetsOf(1, 4, 60, 90), packetsOf(1, 4, 90, 300), 'client');
  }
  steadyUpload(w, ws, out);
  let bastionSeen = false;
  for (let s = poisson(rng, NOISE_SOURCES_PER_WINDOW); s > 0; s--) {
    const source = publicAddress(rng);
    const target = rng.chance(0.8) ? rng.pick(web) : bastion[0]!;
    bastionSeen ||= target.role === 'bastion';
    for (let p = rng.between(1, 4); p > 0; p--) {
      const start = ws + rng.int(WINDOW_SECONDS - 10);
      const packets = rng.chance(0.8) ? 1 : 2;
      out.push(format.line({ iface: target, src: source, dst: target.address, srcPort: rng.between(1024, 65535), dstPort: rng.pick(NOISE_PORTS), protocol: 6, packets, bytes: packets * rng.pick([40, 44, 60]), start, end: start + rng.int(10), action: 'REJECT', tcpFlags: 2, direction: 'ingress' }));
    }
  }
  // The bastion is idle most of the time; flow logs say so with a NODATA record.
  if (!bastionSeen && rng.chance(0.5)) out.push(format.noData(bastion[0]!, ws, ws + WINDOW_SECONDS - 1));
}

/** The batch job's upload: three flows a window summing to its flat rate, ±25% or so. */
function steadyUpload(w: FlowWindow, ws: number, out: string[]): void {
  const { rng, format, stream } = w;
  const { source, destination, bytesPerWindow } = stream.steady;
  // A sum of three uniforms: roughly normal, standard deviation about a quarter of the mean.
  const factor = 1 + 0.43 * (rng.next() + rng.next() + rng.next() - 1.5);
  let remaining = Math.round(bytesPerWindow * factor);
  for (let k = 0; k < 3; k++) {
    const bytes = k === 2 ? remaining : Math.round(remaining * (0.3 + 0.1 * rng.next()));
    remaining -= bytes;
    const start = ws + k * 100 + rng.int(40);
    const packets = Math.ceil(bytes / 1448);
    const flow: Flow = { iface: source, src: source.address, dst: destination, srcPort: rng.between(32768, 60999), dstPort: 443, protocol: 6, packets, bytes, start, end: start + rng.between(40, 59), action: 'ACCEPT', tcpFlags: 3, direction: 'egress' };
    out.push(format.line(flow));
    out.push(format.line({ ...flow, src: destination, dst: source.address, srcPort: 443, dstPort: flow.srcPort, packets: Math.ceil(packets / 2), bytes: Math.ceil(packets / 2) * 52, tcpFlags: 19, direction: 'ingress' }));
  }
}
