/**
 * The planted attacks that only flow logs show: a vertical port scan, an internal SSH sweep, a
 * five-gigabyte exfiltration and the slow ramp of a batch job's uploads.
 */
import type { Random } from '../random.js';
import { MINUTE } from '../time.js';
import { addressIn } from './addresses.js';
import { attackKind, NETWORK_ATTACKERS } from './attack-plan.js';
import type { Flow } from './flow-format.js';
import { planting, shuffled, type PlantedFlow, type Planting } from './planted.js';
import type { FlowStream } from './topology.js';

const seconds = (ms: number) => Math.floor(ms / 1000);

/** The stream of the account with this name; throws when the topology has none. */
export function streamOf(streams: readonly FlowStream[], accountName: string): FlowStream {
  const found = streams.find((s) => s.account.name === accountName);
  if (!found) throw new Error(`no flow log for the demo account ${accountName}`);
  return found;
}

/** 1,000 ports, one SYN each, 0.6 s apart; only 80 and 443 are open, and they answer. */
export function portScan(streams: readonly FlowStream[], rng: Random, day: number): Planting {
  const stream = streamOf(streams, 'prod-web');
  const target = stream.interfaces.web[0]!;
  const t0 = day + attackKind('port-scan').offset;
  const ports = shuffled(Array.from({ length: 1000 }, (_, i) => i + 1), rng);
  const source = NETWORK_ATTACKERS.portScanner;
  const srcPort = rng.between(40000, 60000);
  const flows: PlantedFlow[] = [];
  ports.forEach((port, i) => {
    const start = seconds(t0 + i * 600 + rng.int(400));
    const open = port === 80 || port === 443;
    const probe: Flow = { iface: target, src: source, dst: target.address, srcPort, dstPort: port, protocol: 6, packets: 1, bytes: 44, start, end: start + rng.int(2), action: open ? 'ACCEPT' : 'REJECT', tcpFlags: 2, direction: 'ingress' };
    flows.push({ stream, flow: probe });
    if (open) flows.push({ stream, flow: { ...probe, src: target.address, dst: source, srcPort: port, dstPort: srcPort, tcpFlags: 18, direction: 'egress' } });
  });
  return planting('port-scan', {
    accountId: stream.account.id, accountName: stream.account.name, region: stream.region, sourceAddress: source, targets: [target.address], interfaceId: target.id,
    magnitude: { distinctPorts: ports.length, rejected: ports.length - 2, accepted: 2 },
  }, flows, []);
}

/** SYNs to port 22 on 200 distinct addresses of the host's own VPC, 3 s apart. */
export function horizontalScan(streams: readonly FlowStream[], rng: Random, day: number): Planting {
  const stream = streamOf(streams, 'prod-payments');
  const host = stream.interfaces.app[2]!;
  const t0 = day + attackKind('horizontal-scan').offset;
  const targets = new Set<string>();
  while (targets.size < 200) {
    const address = addressIn(stream.cidr, rng, [16, 47]);
    if (address !== host.address) targets.add(address);
  }
  const flows = [...targets].map((dst, i): PlantedFlow => {
    const start = seconds(t0 + i * 3000 + rng.int(2000));
    return { stream, flow: { iface: host, src: host.address, dst, srcPort: rng.between(32768, 60999), dstPort: 22, protocol: 6, packets: rng.chance(0.7) ? 1 : 2, bytes: 60, start, end: start + rng.int(3), action: 'ACCEPT', tcpFlags: 2, direction: 'egress' } };
  });
  return planting('horizontal-scan', {
    accountId: stream.account.id, accountName: stream.account.name, region: stream.region, sourceAddress: host.address, targets: [...targets].slice(0, 5), interfaceId: host.id,
    magnitude: { distinctDestinations: targets.size, port: 22 },
  }, flows, []);
}

/** Exactly 5,000,000,000 bytes in three flows a minute for 15 minutes, each acknowledged. */
export function exfiltration(streams: readonly FlowStream[], rng: Random, day: number): Planting {
  const stream = streamOf(streams, 'data-analytics');
  const host = stream.interfaces.worker[1]!;
  const t0 = day + attackKind('exfiltration').offset;
  const total = 5_000_000_000;
  const weights = Array.from({ length: 45 }, () => 0.8 + 0.4 * rng.next());
  const sum = weights.reduce((a, b) => a + b, 0);
  const dst = NETWORK_ATTACKERS.exfilDestination;
  const srcPort = rng.between(32768, 60999);
  let sent = 0;
  const flows = weights.flatMap((w, k): PlantedFlow[] => {
    const bytes = k === weights.length - 1 ? total - sent : Math.round((w / sum) * total);
    sent += bytes;
    const start = seconds(t0 + k * 20_000);
    const packets = Math.ceil(bytes / 1448);
    const out: Flow = { iface: host, src: host.address, dst, srcPort, dstPort: 443, protocol: 6, packets, bytes, start, end: start + 19, action: 'ACCEPT', tcpFlags: k === 0 ? 2 : 0, direction: 'egress' };
    const acks = Math.ceil(packets / 2);
    return [{ stream, flow: out }, { stream, flow: { ...out, src: dst, dst: host.address, srcPort: 443, dstPort: srcPort, packets: acks, bytes: acks * 52, tcpFlags: k === 0 ? 18 : 0, direction: 'ingress' } }];
  });
  return planting('exfiltration', {
    accountId: stream.account.id, accountName: stream.account.name, region: stream.region, sourceAddress: host.address, targets: [dst], interfaceId: host.id,
    magnitude: { bytes: total, flows: weights.length, minutes: 15 },
  }, flows, []);
}

/** One extra upload per window for 72 windows, lifting the job's total from 1.3x to 2x its flat rate. */
export function slowRamp(streams: readonly FlowStream[], rng: Random, day: number): Planting {
  const stream = streamOf(streams, 'data-analytics');
  const { source, destination, bytesPerWindow } = stream.steady;
  const kind = attackKind('slow-ramp');
  const windows = kind.duration / (5 * MINUTE);
  let extra = 0;
  const flows = Array.from({ length: windows }, (_, j): PlantedFlow[] => {
    const ratio = 1.3 + (0.7 * j) / (windows - 1);
    const bytes = Math.round((ratio - 1) * bytesPerWindow);
    extra += bytes;
    const start = seconds(day + kind.offset + j * 5 * MINUTE) + 200 + rng.int(40);
    const packets = Math.ceil(bytes / 1448);
    const up: Flow = { iface: source, src: source.address, dst: destination, srcPort: rng.between(32768, 60999), dstPort: 443, protocol: 6, packets, bytes, start, end: start + rng.between(40, 59), action: 'ACCEPT', tcpFlags: 3, direction: 'egress' };
    const acks = Math.ceil(packets / 2);
    return [{ stream, flow: up }, { stream, flow: { ...up, src: destination, dst: source.address, srcPort: 443, dstPort: up.srcPort, packets: acks, bytes: acks * 52, tcpFlags: 19, direction: 'ingress' } }];
  }).flat();
  return planting('slow-ramp', {
    accountId: stream.account.id, accountName: stream.account.name, region: stream.region, sourceAddress: source.address, targets: [destination], interfaceId: source.id,
    magnitude: { windows, normalBytesPerWindow: bytesPerWindow, firstRatio: 1.3, lastRatio: 2, extraBytes: extra },
  }, flows, []);
}
