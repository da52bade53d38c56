/** The shape every planting function returns, and the summary entry built from what it planted. */
import type { Flow } from './flow-format.js';
import { attackKind, type PlantedNetworkAttack } from './attack-plan.js';
import type { FlowStream } from './topology.js';
import type { WebAcl } from './waf-acls.js';
import type { WafRequest } from './waf-format.js';

/** A planted flow and the flow log it is delivered in. */
export interface PlantedFlow {
  readonly stream: FlowStream;
  readonly flow: Flow;
}

/** A planted request and the web ACL that logged it. */
export interface PlantedRequest {
  readonly acl: WebAcl;
  readonly request: WafRequest;
}

/** One attack's records and its summary entry. */
export interface Planting {
  readonly attack: PlantedNetworkAttack;
  readonly flows: readonly PlantedFlow[];
  readonly requests: readonly PlantedRequest[];
}

/** Where an attack happens and how big it is; times come from its records. */
export interface PlantingFacts {
  readonly accountId: string;
  readonly accountName: string;
  readonly region: string;
  readonly sourceAddress: string;
  readonly targets: readonly string[];
  readonly interfaceId?: string;
  readonly webAcl?: string;
  readonly magnitude: Readonly<Record<string, number>>;
}

/** Packs an attack's records with its summary; the time window spans its first to last record. */
export function planting(id: string, facts: PlantingFacts, flows: readonly PlantedFlow[], requests: readonly PlantedRequest[]): Planting {
  const times = [...flows.flatMap((f) => [f.flow.start * 1000, f.flow.end * 1000]), ...requests.map((r) => r.request.timestamp)];
  let first = Infinity;
  let last = -Infinity;
  for (const t of times) {
    if (t < first) first = t;
    if (t > last) last = t;
  }
  const attack: PlantedNetworkAttack = {
    ...attackKind(id),
    ...facts,
    start: new Date(first).toISOString(),
    end: new Date(last).toISOString(),
    flowRecords: flows.length,
    wafRecords: requests.length,
  };
  return { attack, flows, requests };
}

/** Fisher-Yates over a copy: the order a tool walks its list in. */
export function shuffled<T>(items: readonly T[], rng: { int(n: number): number }): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
