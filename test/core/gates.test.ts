import { describe, expect, it } from 'vitest';
import type { SecurityEvent } from '../../central/core/event.js';
import { RuleEngine } from '../../central/core/rules/engine.js';
import { RuleGates } from '../../central/core/rules/gates.js';
import { loadRules } from '../../central/core/rules/load.js';
import type { CompiledRule } from '../../central/core/rules/rule.js';
import { MemoryStateStore } from '../../central/core/state/memory-store.js';
import { cloudTrailRecord } from '../support/cloudtrail.js';
import { eventOf, testDetector } from '../support/detector.js';

/** A minimal valid rule around the given stateful clause, listening to GetSecretValue. */
function ruleWith(id: string, clause: string): CompiledRule {
  const text = `id: ${id}
title: t
description: d
severity: MEDIUM
types: ["TTPs/Credential Access/Test"]
mitre: [T1555]
runbook: "1. look"
reference: https://docs.aws.amazon.com/secretsmanager/
events: [{ source: secretsmanager.amazonaws.com, names: [GetSecretValue] }]
dedup: "{{actor.arn}}"
${clause}
tests:
  - { name: a, fires: true, event: { eventVersion: "1.08" } }
  - { name: b, fires: false, event: { eventVersion: "1.08" } }
`;
  const { rules, problems } = loadRules([{ file: `${id}.yaml`, text }]);
  expect(problems).toEqual([]);
  return rules[0]!;
}

function secretRead(minute: number, secret: string, user = 'alice'): SecurityEvent {
  return eventOf(
    cloudTrailRecord({
      eventSource: 'secretsmanager.amazonaws.com',
      eventName: 'GetSecretValue',
      eventTime: new Date(Date.parse('2026-11-02T09:00:00Z') + minute * 60_000).toISOString().replace('.000', ''),
      requestParameters: { secretId: `arn:aws:secretsmanager:eu-west-1:111122223333:secret:${secret}` },
      userIdentity: { type: 'IAMUser', principalId: `AIDA${user.toUpperCase()}EXAMPLE`, arn: `arn:aws:iam::111122223333:user/${user}`, accountId: '111122223333', userName: user },
    }),
  );
}

async function admitted(rule: CompiledRule, events: SecurityEvent[], gates = new RuleGates(new MemoryStateStore())) {
  const engine = new RuleEngine([rule]);
  const out = await gates.admit(events.flatMap((e) => engine.evaluate(e)));
  await out.commit();
  return out.hits;
}

describe('threshold rules', () => {
  const rule = ruleWith('bulk-reads', 'threshold: { count: 3, window: 10m }');

  it('fire from the count-th event in the window and carry the whole burst as evidence', async () => {
    const events = [secretRead(0, 'a'), secretRead(1, 'b'), secretRead(2, 'c'), secretRead(3, 'd')];
    const hits = await admitted(rule, events);
    expect(hits.map((h) => h.event.id)).toEqual([events[2]!.id, events[3]!.id]);
    expect(hits[0]!.evidence!.map((e) => e.id)).toEqual(events.slice(0, 3).map((e) => e.id));
  });

  it('do not fire when the events are spread wider than the window', async () => {
    expect(await admitted(rule, [secretRead(0, 'a'), secretRead(6, 'b'), secretRead(12, 'c'), secretRead(18, 'd')])).toEqual([]);
  });

  it('count per `by` key: two principals under the count each stay quiet', async () => {
    const events = [secretRead(0, 'a', 'alice'), secretRead(1, 'b', 'bob'), secretRead(2, 'c', 'alice'), secretRead(3, 'd', 'bob')];
    expect(await admitted(rule, events)).toEqual([]);
  });

  it('count a redelivered event once', async () => {
    const a = secretRead(0, 'a');
    const b = secretRead(1, 'b');
    expect(await admitted(rule, [a, b, a, b, a])).toEqual([]);
  });

  it('keep counting across batches through the state store', async () => {
    const gates = new RuleGates(new MemoryStateStore());
    expect(await admitted(rule, [secretRead(0, 'a'), secretRead(1, 'b')], gates)).toEqual([]);
    expect(await admitted(rule, [secretRead(2, 'c')], gates)).toHaveLength(1);
  });

  it('with `distinct`, count distinct values, not calls', async () => {
    const distinct = ruleWith('distinct-reads', 'threshold: { count: 3, window: 10m, distinct: "{{raw.requestParameters.secretId}}" }');
    expect(await admitted(distinct, [secretRead(0, 'a'), secretRead(1, 'a'), secretRead(2, 'b'), secretRead(3, 'b')])).toEqual([]);
    expect(await admitted(distinct, [secretRead(0, 'a'), secretRead(1, 'a'), secretRead(2, 'b'), secretRead(3, 'c')])).toHaveLength(1);
  });

  it('become one finding whose evidence names every event of the burst', async () => {
    const { detector } = testDetector([rule]);
    const events = [secretRead(0, 'a'), secretRead(1, 'b'), secretRead(2, 'c')];
    const { findings } = await detector.process(events);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.ProductFields['skywatch/EventCount']).toBe('3');
    expect(findings[0]!.ProductFields['skywatch/EventIds']!.split(',').sort()).toEqual(events.map((e) => e.id).sort());
  });
});

describe('first-seen rules', () => {
  it('fire on each new value for a key, and not once it is known', async () => {
    const rule = ruleWith('new-secret', 'firstSeen: { key: "{{actor.arn}}", value: "{{raw.requestParameters.secretId}}" }');
    const gates = new RuleGates(new MemoryStateStore());
    // Within one batch every sighting of a new value joins its finding.
    const first = [secretRead(0, 'a'), secretRead(1, 'a'), secretRead(2, 'b')];
    expect((await admitted(rule, first, gates)).map((h) => h.event.id)).toEqual(first.map((e) => e.id));
    const later = [secretRead(3, 'a'), secretRead(4, 'c'), secretRead(5, 'b')];
    expect((await admitted(rule, later, gates)).map((h) => h.event.id)).toEqual([later[1]!.id]);
  });

  it('with learnFirst, learn the first value silently and fire only on a change', async () => {
    const rule = ruleWith('changed-secret', 'firstSeen: { key: "{{actor.arn}}", value: "{{raw.requestParameters.secretId}}", learnFirst: true }');
    const gates = new RuleGates(new MemoryStateStore());
    expect(await admitted(rule, [secretRead(0, 'a'), secretRead(1, 'a')], gates)).toEqual([]);
    const b = secretRead(2, 'b');
    expect((await admitted(rule, [b, secretRead(3, 'a')], gates)).map((h) => h.event.id)).toEqual([b.id]);
    expect(await admitted(rule, [secretRead(4, 'b')], gates)).toEqual([]);
  });

  it('remember values only on commit, so a failed write is retried rather than lost', async () => {
    const rule = ruleWith('new-secret', 'firstSeen: { key: "{{actor.arn}}", value: "{{raw.requestParameters.secretId}}" }');
    const gates = new RuleGates(new MemoryStateStore());
    const engine = new RuleEngine([rule]);
    const event = secretRead(0, 'a');
    const uncommitted = await gates.admit(engine.evaluate(event));
    expect(uncommitted.hits).toHaveLength(1);
    const retried = await gates.admit(engine.evaluate(event));
    expect(retried.hits).toHaveLength(1);
    await retried.commit();
    expect((await gates.admit(engine.evaluate(event))).hits).toEqual([]);
  });
});
