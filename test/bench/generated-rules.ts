/** Generated rules for measuring how matching cost grows with the number of rules. */
import type { RuleSource } from '../../central/core/rules/load.js';
import { createRandom } from '../../central/demo/random.js';

/** Roughly how many (eventSource, eventName) pairs CloudTrail can record across AWS services. */
const API_SURFACE = 12_000;

/**
 * `count` rules, each on its own (eventSource, eventName) pair, as in a real rule set. Pairs are
 * drawn from a catalogue the size of AWS's API surface that contains the corpus's own pairs, so
 * the share of rules landing on the traffic's APIs grows with the rule count as it would in life.
 * Conditions use several operators and rarely match, so each candidate rule is fully evaluated.
 */
export function generatedRules(count: number, corpusPairs: ReadonlyArray<readonly [string, string]>): RuleSource[] {
  const catalogue: Array<readonly [string, string]> = [...corpusPairs];
  for (let i = 0; catalogue.length < API_SURFACE; i++) catalogue.push([`service${i % 300}.amazonaws.com`, `Operation${i}`]);
  const rng = createRandom(1000);
  for (let i = catalogue.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [catalogue[i], catalogue[j]] = [catalogue[j]!, catalogue[i]!];
  }
  return Array.from({ length: count }, (_, i) => {
    const [source, name] = catalogue[i]!;
    const id = `bench-rule-${i}`;
    return { file: `${id}.yaml`, text: ruleText(id, source, name, i) };
  });
}

function ruleText(id: string, source: string, name: string, i: number): string {
  const event = (n: number, ip: string) =>
    `{ eventVersion: "1.08", eventSource: ${JSON.stringify(source)}, eventName: ${JSON.stringify(name)}, eventTime: "2026-11-10T00:00:00Z", awsRegion: us-east-1, recipientAccountId: "111122223333", eventID: "${n}0000000-0000-4000-8000-${String(i).padStart(12, '0')}", sourceIPAddress: ${ip}, userIdentity: { type: IAMUser, accountId: "111122223333", userName: u } }`;
  return `id: ${id}
title: "Generated rule ${i} on {{name}}"
description: A generated rule for the benchmark.
severity: { default: LOW, when: [{ match: { path: errorCode, exists: true }, severity: INFORMATIONAL }] }
types: ["TTPs/Discovery"]
mitre: [T1580]
runbook: "1. Nothing to do."
reference: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference.html
events:
  - source: ${JSON.stringify(source)}
    names: [${JSON.stringify(name)}]
match:
  all:
    - { path: actor.type, in: [IAMUser, AssumedRole, Root] }
    - any:
        - { path: sourceIp, cidr: [198.18.${i % 256}.0/24] }
        - { path: userAgent, contains: "bench-agent-${i}" }
        - { path: raw.requestParameters.bucketName, prefix: "bench-${i}-" }
dedup: "{{actor.arn}}"
tests:
  - { name: fires, fires: true, event: ${event(0, `198.18.${i % 256}.1`)} }
  - { name: quiet, fires: false, event: ${event(1, '192.0.2.1')} }
`;
}
