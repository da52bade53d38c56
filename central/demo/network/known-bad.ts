/**
 * The address on the demo IOC list (the CloudTrail demo's kali-boto3 host) visiting the web site: a
 * few HTTPS connections and the matching WAF requests, and two SSH attempts the security group drops.
 */
import { ATTACKERS } from '../campaign.js';
import type { Random } from '../random.js';
import { attackKind, NETWORK_ATTACKERS } from './attack-plan.js';
import type { Flow } from './flow-format.js';
import { streamOf } from './flow-attacks.js';
import { planting, type PlantedFlow, type PlantedRequest, type Planting } from './planted.js';
import type { FlowStream } from './topology.js';
import { aclNamed } from './waf-attacks.js';
import type { WebAcl } from './waf-acls.js';
import { ALLOWED } from './waf-format.js';

const PAGES = ['/', '/login', '/api/v1/session', '/api/v1/products', '/search', '/static/js/app.4f2c9a1e.js'];

/** Six HTTPS connections 5 minutes apart, four requests each, and SSH twice in between. */
export function knownBadVisit(streams: readonly FlowStream[], acls: readonly WebAcl[], rng: Random, day: number): Planting {
  const stream = streamOf(streams, 'prod-web');
  const acl = aclNamed(acls, 'prod-web-alb');
  const target = stream.interfaces.web[1]!;
  const t0 = day + attackKind('known-bad-address').offset;
  const ip = NETWORK_ATTACKERS.knownBad;
  const flows: PlantedFlow[] = [];
  const requests: PlantedRequest[] = [];
  for (let c = 0; c < 6; c++) {
    const t = t0 + c * 5 * 60_000 + rng.int(60_000);
    const start = Math.floor(t / 1000);
    const srcPort = rng.between(32768, 60999);
    const inbound: Flow = { iface: target, src: ip, dst: target.address, srcPort, dstPort: 443, protocol: 6, packets: rng.between(10, 20), bytes: rng.between(2000, 6000), start, end: start + 30, action: 'ACCEPT', tcpFlags: 3, direction: 'ingress' };
    flows.push({ stream, flow: inbound }, { stream, flow: { ...inbound, src: target.address, dst: ip, srcPort: 443, dstPort: srcPort, packets: rng.between(12, 40), bytes: rng.between(8000, 60000), tcpFlags: 19, direction: 'egress' } });
    for (let r = 0; r < 4; r++) {
      const uri = r === 0 ? '/' : rng.pick(PAGES);
      requests.push({ acl, request: { timestamp: t + r * 5000 + rng.int(4000), clientIp: ip, country: 'NL', userAgent: ATTACKERS.kali.browser, method: 'GET', uri, args: '', verdict: ALLOWED } });
    }
    if (c === 1 || c === 4) {
      const at = start + 120;
      flows.push({ stream, flow: { iface: target, src: ip, dst: target.address, srcPort: rng.between(32768, 60999), dstPort: 22, protocol: 6, packets: 1, bytes: 60, start: at, end: at, action: 'REJECT', tcpFlags: 2, direction: 'ingress' } });
    }
  }
  return planting('known-bad-address', {
    accountId: stream.account.id, accountName: stream.account.name, region: stream.region, sourceAddress: ip, targets: [target.address, acl.name], interfaceId: target.id, webAcl: acl.name,
    magnitude: { flows: flows.length, requests: requests.length },
  }, flows, requests);
}
