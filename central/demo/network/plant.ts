/**
 * Plants every network attack on the attack day, each from its own fork of the attack stream, and
 * files the planted records under the 5-minute window their time falls in.
 */
import type { Random } from '../random.js';
import type { Flow } from './flow-format.js';
import { exfiltration, horizontalScan, portScan, slowRamp } from './flow-attacks.js';
import { knownBadVisit } from './known-bad.js';
import type { PlantedNetworkAttack } from './attack-plan.js';
import type { Planting } from './planted.js';
import type { FlowStream } from './topology.js';
import { credentialStuffing, scannerUserAgents } from './waf-attacks.js';
import type { WebAcl } from './waf-acls.js';
import type { WafRequest } from './waf-format.js';

/** Planted records by stream (or ACL) and window index, and the attacks they make up. */
export interface PlantedTraffic {
  readonly attacks: readonly PlantedNetworkAttack[];
  readonly flows: ReadonlyMap<FlowStream, ReadonlyMap<number, readonly Flow[]>>;
  readonly requests: ReadonlyMap<WebAcl, ReadonlyMap<number, readonly WafRequest[]>>;
}

/** Nothing planted: the run without attacks. */
export const NOTHING_PLANTED: PlantedTraffic = { attacks: [], flows: new Map(), requests: new Map() };

/** Plants the attacks on the day starting at `day` (ms); windows count from `start` in `windowMs` steps. */
export function plantNetworkAttacks(streams: readonly FlowStream[], acls: readonly WebAcl[], rng: Random, day: number, start: number, windowMs: number): PlantedTraffic {
  const plantings: Planting[] = [
    portScan(streams, rng.fork('port-scan'), day),
    horizontalScan(streams, rng.fork('horizontal-scan'), day),
    knownBadVisit(streams, acls, rng.fork('known-bad-address'), day),
    credentialStuffing(acls, rng.fork('credential-stuffing'), day),
    scannerUserAgents(acls, rng.fork('scanner-user-agent'), day),
    slowRamp(streams, rng.fork('slow-ramp'), day),
    exfiltration(streams, rng.fork('exfiltration'), day),
  ];
  const flows = new Map<FlowStream, Map<number, Flow[]>>();
  const requests = new Map<WebAcl, Map<number, WafRequest[]>>();
  const file = <K, V>(byKey: Map<K, Map<number, V[]>>, key: K, t: number, value: V) => {
    const windows = byKey.get(key) ?? byKey.set(key, new Map()).get(key)!;
    const w = Math.floor((t - start) / windowMs);
    (windows.get(w) ?? windows.set(w, []).get(w)!).push(value);
  };
  for (const p of plantings) {
    for (const { stream, flow } of p.flows) file(flows, stream, flow.start * 1000, flow);
    for (const { acl, request } of p.requests) file(requests, acl, request.timestamp, request);
  }
  // WAF files are in time order, so each window's planted requests are merged by timestamp.
  for (const windows of requests.values()) for (const list of windows.values()) list.sort((a, b) => a.timestamp - b.timestamp);
  return { attacks: plantings.map((p) => p.attack), flows, requests };
}
