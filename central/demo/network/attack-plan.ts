/**
 * The planted network attacks: what each one is, who does it, when on the attack day, and which
 * detector must catch it. Attackers use 203.0.113.0/24, the block the CloudTrail demo already keeps
 * for attackers (192.0.2.0/24 and 198.51.100.0/24 hold its benign people and jobs), so an address
 * never points at an attacker in one log and a colleague in another.
 */
import { ATTACKERS } from '../campaign.js';
import { HOUR, MINUTE } from '../time.js';

/** The attackers' addresses; benign traffic never uses any of them (nor their /24). */
export const NETWORK_ATTACKERS = {
  /** Vertical port scan of a public web interface. */
  portScanner: '203.0.113.23',
  /** Receives the exfiltrated data. */
  exfilDestination: '203.0.113.200',
  /** Credential stuffing against POST /login. */
  credentialStuffer: '203.0.113.77',
  /** On the demo IOC list; the same host as the CloudTrail demo's kali-boto3 attacker. */
  knownBad: ATTACKERS.kali.ip,
  /** sqlmap probing the payments site. */
  sqlmap: '203.0.113.45',
  /** Nuclei probing the payments site. */
  nuclei: '203.0.113.147',
} as const;

/** The scanner user agents, exactly as the tools send them. */
export const SCANNER_USER_AGENTS = {
  sqlmap: 'sqlmap/1.7.2#stable (https://sqlmap.org)',
  nuclei: 'Nuclei - Open-source project (github.com/projectdiscovery/nuclei)',
} as const;

/** One kind of planted attack, independent of the seed. */
export interface NetworkAttackKind {
  readonly id: string;
  readonly title: string;
  /** What is expected to report it: the `skywatch/RuleId` of its finding (`statistics/<detector>` or `ioc/<list>`). */
  readonly detector: string;
  readonly log: 'flow' | 'waf' | 'flow+waf';
  /** Where it starts and how long it lasts, from 00:00 UTC of the attack day. */
  readonly offset: number;
  readonly duration: number;
  readonly description: string;
}

/** Every planted network attack, in time order on the attack day. */
export const DEMO_NETWORK_ATTACKS: readonly NetworkAttackKind[] = [
  { id: 'port-scan', title: 'Vertical port scan of a web interface', detector: 'statistics/flow-vertical-port-scan', log: 'flow', offset: 2 * HOUR + 14 * MINUTE, duration: 10 * MINUTE, description: 'One outside address tries 1,000 distinct TCP ports on one public web interface of prod-web in 10 minutes; all but 80 and 443 are rejected.' },
  { id: 'horizontal-scan', title: 'Internal host sweeps the VPC for SSH', detector: 'statistics/flow-horizontal-scan', log: 'flow', offset: 3 * HOUR + 5 * MINUTE, duration: 10 * MINUTE, description: 'An application host in prod-payments opens TCP 22 to 200 distinct addresses of its own VPC in 10 minutes; normally it talks to two databases, the resolver and a few APIs.' },
  { id: 'known-bad-address', title: 'Traffic from an address on the IOC list', detector: 'ioc/demo-known-bad', log: 'flow+waf', offset: 9 * HOUR + 40 * MINUTE, duration: 30 * MINUTE, description: 'The kali-boto3 attacker of the CloudTrail demo browses the web site (HTTPS flows and WAF requests) and tries SSH on the web interface.' },
  { id: 'credential-stuffing', title: 'Credential stuffing on POST /login', detector: 'statistics/waf-requests-per-client-ip', log: 'waf', offset: 11 * HOUR, duration: 10 * MINUTE, description: 'One client sends 3,000 POST /login in 10 minutes; after the first 150 the rate-based rule login-rate-limit blocks it.' },
  { id: 'scanner-user-agent', title: 'Vulnerability scanners probe the payments site', detector: 'ioc/scanner-user-agents', log: 'waf', offset: 13 * HOUR + 20 * MINUTE, duration: 30 * MINUTE, description: 'sqlmap and Nuclei, each from its own address, request /.env, /.git/config, /wp-login.php and similar paths through the CloudFront web ACL.' },
  { id: 'slow-ramp', title: 'Egress to a known API creeps up over six hours', detector: 'statistics/flow-bytes-to-external-address', log: 'flow', offset: 14 * HOUR, duration: 6 * HOUR, description: "The analytics batch job's uploads to its usual API grow by a steady step each window, from 1.3x to 2x normal: no single window stands out, the cumulative sum does." },
  { id: 'exfiltration', title: 'Five gigabytes to an outside address', detector: 'statistics/flow-bytes-to-external-address', log: 'flow', offset: 21 * HOUR + 30 * MINUTE, duration: 15 * MINUTE, description: 'An analytics worker sends 5,000,000,000 bytes to an address it never contacted, in three flows a minute for 15 minutes.' },
];

/** One planted attack as generated: the kind, with its concrete place, time, addresses and size. */
export interface PlantedNetworkAttack extends NetworkAttackKind {
  readonly accountId: string;
  readonly accountName: string;
  /** The delivery region folder (`cloudfront` for the CloudFront web ACL). */
  readonly region: string;
  /** ISO times of the first and last planted record. */
  readonly start: string;
  readonly end: string;
  /** The address the attack comes from. */
  readonly sourceAddress: string;
  /** What it targets: addresses (a sample when there are many), or the web ACL's name. */
  readonly targets: readonly string[];
  /** The interface whose flow log records it, for flow attacks. */
  readonly interfaceId?: string;
  readonly webAcl?: string;
  /** Planted records by log. */
  readonly flowRecords: number;
  readonly wafRecords: number;
  /** The measurements a detector should see (distinct ports, bytes, requests...). */
  readonly magnitude: Readonly<Record<string, number>>;
}

/** The kind with this id; throws on an unknown id, which is a bug in the planting code. */
export function attackKind(id: string): NetworkAttackKind {
  const kind = DEMO_NETWORK_ATTACKS.find((k) => k.id === id);
  if (!kind) throw new Error(`no planted network attack named ${id}`);
  return kind;
}
