import { describe, expect, it } from 'vitest';
import type { SecurityEvent } from '../../central/core/event.js';
import { RuleEngine } from '../../central/core/rules/engine.js';
import { RuleGates } from '../../central/core/rules/gates.js';
import { loadRules } from '../../central/core/rules/load.js';
import type { CompiledRule } from '../../central/core/rules/rule.js';
import { MemoryStateStore } from '../../central/core/state/memory-store.js';
import { cloudTrailRecord } from '../support/cloudtrail.js';
import { eventOf } from '../support/detector.js';

/** A region rule like the shipped one, with the first-seen clause under test. */
function regionRule(clause: string): CompiledRule {
  const text = `id: region-seen
title: t
description: d
severity: LOW
types: ["Unusual Behaviors/User/New Region"]
mitre: [T1535]
runbook: "1. look"
reference: https://docs.aws.amazon.com/
events: [{ source: ec2.amazonaws.com, names: [DescribeInstances] }]
${clause}
tests:
  - { name: a, fires: true, event: { eventVersion: "1.08" } }
  - { name: b, fires: false, event: { eventVersion: "1.08" } }
`;
  const { rules, problems } = loadRules([{ file: 'region-seen.yaml', text }]);
  expect(problems).toEqual([]);
  return rules[0]!;
}

function call(day: number, region: string, identity: Record<string, unknown> = {}): SecurityEvent {
  const time = new Date(Date.UTC(2026, 10, 1 + day, 9, 0, 0)).toISOString().replace('.000', '');
  const record = cloudTrailRecord({ eventTime: time, awsRegion: region });
  return eventOf({ ...record, userIdentity: { ...(record.userIdentity as object), ...identity } });
}

async function passing(rule: CompiledRule, gates: RuleGates, events: SecurityEvent[]): Promise<string[]> {
  const engine = new RuleEngine([rule]);
  const admitted = await gates.admit(events.flatMap((e) => engine.evaluate(e)));
  await admitted.commit();
  return admitted.hits.map((h) => `${h.event.region}@${h.event.time.slice(0, 10)}`);
}

describe('first-seen over a tuple of fields', () => {
  const clause = 'firstSeen: { per: principal, of: [region], learning: 7d, forget: 20d }';

  it('fires nothing while the key learns, then fires on a new region and says what it knew', async () => {
    const rule = regionRule(clause);
    const gates = new RuleGates(new MemoryStateStore());
    expect(await passing(rule, gates, [call(0, 'eu-west-1'), call(3, 'us-west-2')])).toEqual([]);
    const engine = new RuleEngine([rule]);
    const admitted = await gates.admit(engine.evaluate(call(8, 'sa-east-1')));
    expect(admitted.hits).toHaveLength(1);
    const note = admitted.hits[0]!.behaviour!;
    expect(note.fields['skywatch/FirstSeen/Value']).toBe('sa-east-1');
    expect(note.fields['skywatch/FirstSeen/LearnedSince']).toBe('2026-11-01T09:00:00Z');
    expect(note.fields['skywatch/FirstSeen/SeenBefore']).toBe('us-west-2, eu-west-1');
    expect(note.text).toContain('2 values seen before, latest: us-west-2 (2026-11-04T09:00:00Z to 2026-11-04T09:00:00Z); eu-west-1');
  });

  it('forgets a value not seen for longer than forget, so its return is news again', async () => {
    const gates = new RuleGates(new MemoryStateStore());
    const rule = regionRule(clause);
    expect(await passing(rule, gates, [call(0, 'eu-west-1'), call(1, 'us-west-2'), call(8, 'eu-west-1')])).toEqual([]);
    // us-west-2 was last seen on day 1: by day 25 it is forgotten; eu-west-1 (day 8) is not.
    expect(await passing(rule, gates, [call(22, 'eu-west-1'), call(25, 'us-west-2')])).toEqual(['us-west-2@2026-11-26']);
  });

  it('measures learning from the earliest event, whatever order the events arrive in', async () => {
    const rule = regionRule(clause);
    const gates = new RuleGates(new MemoryStateStore());
    // Day 9 arrives first and starts the history; day 0 arrives later and moves its start back.
    expect(await passing(rule, gates, [call(9, 'eu-west-1')])).toEqual([]);
    expect(await passing(rule, gates, [call(0, 'eu-west-1')])).toEqual([]);
    expect(await passing(rule, gates, [call(10, 'ap-south-1')])).toEqual(['ap-south-1@2026-11-11']);
    // A sighting older than the first known one of its value is never news.
    expect(await passing(rule, gates, [call(5, 'ap-south-1')])).toEqual([]);
  });

  it('orders a batch by event time before deciding, so a batch gives one answer in any order', async () => {
    const rule = regionRule(clause);
    const forward = await passing(rule, new RuleGates(new MemoryStateStore()), [call(0, 'eu-west-1'), call(8, 'eu-west-1'), call(9, 'us-east-2')]);
    const backward = await passing(rule, new RuleGates(new MemoryStateStore()), [call(9, 'us-east-2'), call(8, 'eu-west-1'), call(0, 'eu-west-1')]);
    expect(forward).toEqual(['us-east-2@2026-11-10']);
    expect(backward).toEqual(forward);
  });

  it('leaves out calls AWS services make for the principal unless the rule asks for them', async () => {
    const viaService = (day: number, region: string) => call(day, region, { invokedBy: 'cloudformation.amazonaws.com' });
    const quiet = regionRule(clause);
    const gates = new RuleGates(new MemoryStateStore());
    expect(await passing(quiet, gates, [call(0, 'eu-west-1'), viaService(9, 'ca-central-1')])).toEqual([]);
    const counting = regionRule('firstSeen: { per: principal, of: [region], learning: 7d, includeServiceCalls: true }');
    expect(await passing(counting, new RuleGates(new MemoryStateStore()), [call(0, 'eu-west-1'), viaService(9, 'ca-central-1')])).toEqual(['ca-central-1@2026-11-10']);
  });

  it('merges with what another writer stored, so two detectors do not forget each other', async () => {
    const state = new MemoryStateStore();
    const rule = regionRule(clause);
    const a = new RuleGates(state);
    const b = new RuleGates(state);
    expect(await passing(rule, a, [call(0, 'eu-west-1')])).toEqual([]);
    expect(await passing(rule, b, [call(1, 'us-west-2')])).toEqual([]);
    // `a` cached its own version; its next write conflicts and merges b's region in.
    expect(await passing(rule, a, [call(2, 'eu-central-1')])).toEqual([]);
    const fresh = new RuleGates(state);
    expect(await passing(rule, fresh, [call(9, 'us-west-2'), call(9, 'eu-central-1'), call(9, 'eu-west-1')])).toEqual([]);
  });

  it('keeps what a rule without a learning period learned in the old plain sets', async () => {
    const state = new MemoryStateStore();
    const rule = regionRule('firstSeen: { key: "{{actor.arn}}", of: [region] }');
    const arn = call(0, 'eu-west-1').actor.arn!;
    await state.remember(`firstseen/region-seen/${arn}`, ['', 'eu-west-1']);
    expect(await passing(rule, new RuleGates(state), [call(1, 'eu-west-1'), call(1, 'us-east-2')])).toEqual(['us-east-2@2026-11-02']);
  });

  it('rejects a clause with neither a key nor a scope, naming what is missing', () => {
    const { problems } = loadRules([{ file: 'bad.yaml', text: 'id: bad\ntitle: t\ndescription: d\nseverity: LOW\ntypes: ["Unusual Behaviors/User/X"]\nmitre: [T1535]\nrunbook: r\nreference: https://docs.aws.amazon.com/\nevents: [{ source: ec2.amazonaws.com, names: [RunInstances] }]\nfirstSeen: { of: [region] }\ntests:\n  - { name: a, fires: true, event: {} }\n  - { name: b, fires: false, event: {} }\n' }]);
    expect(problems.map((p) => p.reason).join(' ')).toContain('firstSeen needs either key (a template) or per (principal, account, organization)');
  });
});

describe('a first-seen finding over the source network', () => {
  it('names the ASN in its title and dedup key, read from the lookup the detector was given', async () => {
    const { loadRuleFolders } = await import('../../central/local/rule-files.js');
    const { testDetector } = await import('../support/detector.js');
    const rule = loadRuleFolders().rules.find((r) => r.id === 'behaviour-console-login-new-network')!;
    const { store, sink, clock } = testDetector([]);
    const { Detector } = await import('../../central/core/detector.js');
    const table: Record<string, number> = { '192.0.2.44': 64500, '203.0.113.77': 64511 };
    const detector = new Detector({ engine: new RuleEngine([rule]), state: store, sink, clock, asn: { asnOf: (ip) => (table[ip] ? { asn: table[ip]!, name: ip.startsWith('203.') ? 'EXAMPLE-VPS' : 'EXAMPLE-ISP' } : undefined) } });
    const signIn = (day: number, ip: string) => {
      const record = cloudTrailRecord({ eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', awsRegion: 'us-east-1', sourceIPAddress: ip, eventType: 'AwsConsoleSignIn', requestParameters: null, responseElements: { ConsoleLogin: 'Success' }, additionalEventData: { MFAUsed: 'No', MobileVersion: 'No' }, eventTime: new Date(Date.UTC(2026, 10, 1 + day, 8)).toISOString().replace('.000', '') });
      return eventOf(record);
    };
    await detector.process([signIn(0, '192.0.2.44'), signIn(3, '192.0.2.44')]);
    const { findings } = await detector.process([signIn(9, '203.0.113.77')]);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.Title).toBe('alice@example.com signed in to the console from a network never seen for it (AS64511, 203.0.113.77)');
    expect(findings[0]!.ProductFields['skywatch/FirstSeen/SeenBefore']).toBe('64500');
    expect(findings[0]!.Description).toMatch(/^First time network\.asn 64511 is seen for key 111122223333\/arn:aws:sts::111122223333:assumed-role\/AWSReservedSSO_AdministratorAccess_0123456789abcdef\/alice@example\.com\. Learned since 2026-11-01T08:00:00Z/);
  });
});
