import { describe, expect, it } from 'vitest';
import type { AsffFinding } from '../../central/core/findings/asff.js';
import { loadRuleFolders } from '../../central/local/rule-files.js';
import { testDetector } from '../support/detector.js';
import { gpuBurst, quietWeek, ROLE_ARN, runInstances } from './support.js';

const rules = loadRuleFolders().rules;

function byRule(findings: readonly AsffFinding[], ruleId: string): AsffFinding[] {
  return findings.filter((f) => f.ProductFields['skywatch/RuleId'] === ruleId);
}

describe('a principal with a quiet week that launches 100 GPU instances in an hour in another region', () => {
  it('gets a provisioning-volume finding and a new-region finding, both naming the principal', async () => {
    const { detector } = testDetector(rules);
    await detector.process(quietWeek());
    const { findings } = await detector.process(gpuBurst('2026-11-09T02:00:00Z', 'ap-southeast-3'));

    const [volume] = byRule(findings, 'provisioning-volume-by-principal');
    expect(volume).toBeDefined();
    expect(volume!.Severity.Label).toBe('HIGH');
    expect(volume!.ProductFields['skywatch/Volume/Key']).toBe(ROLE_ARN);
    expect(volume!.ProductFields['skywatch/Volume/Resources']).toBe('100');
    expect(volume!.ProductFields['skywatch/Volume/Units']).toBe('1000');
    expect(volume!.ProductFields['skywatch/Volume/LearnedSince']).toBe('2026-11-01T09:00:00Z');
    expect(Number(volume!.ProductFields['skywatch/Volume/Expected'])).toBeLessThan(1);
    expect(volume!.Description).toMatch(new RegExp(`^Principal ${ROLE_ARN} in account 111122223333 provisioned 100 resources in 100 calls \\(1,000 cost units\\) in the hour from 2026-11-09T02:00:00Z; usual 0\\.\\d\\d ± 1(\\.\\d\\d)? units an hour`));
    expect(volume!.Description).toContain('Hourly baseline learned since 2026-11-01T09:00:00Z');
    expect(volume!.Description).toMatch(/seen before: \d+ recent hours with provisioning, the busiest 1 units/);

    const [region] = byRule(findings, 'behaviour-new-region-for-principal');
    expect(region).toBeDefined();
    expect(region!.ProductFields['skywatch/FirstSeen/Key']).toBe(`111122223333/${ROLE_ARN}`);
    expect(region!.ProductFields['skywatch/FirstSeen/Value']).toBe('ap-southeast-3');
    expect(region!.ProductFields['skywatch/FirstSeen/SeenBefore']).toBe('eu-west-1');
    expect(region!.ProductFields['skywatch/FirstSeen/LearnedSince']).toBe('2026-11-01T09:12:40Z');
    expect(region!.Description).toMatch(/^First time region ap-southeast-3 is seen for principal 111122223333\/arn:aws:iam::111122223333:role\/ci-deployer\. Learned since 2026-11-01T09:12:40Z \(learning period 7 days\); 1 value seen before, latest: eu-west-1 \(2026-11-01T09:12:40Z to 2026-11-07T\d\d:\d\d:\d\dZ\)\./);
    expect(region!.Title).toContain('ap-southeast-3');

    // The service baseline of the account sees the same burst.
    expect(byRule(findings, 'provisioning-volume-by-service')).toHaveLength(1);
  });

  it('gets nothing from the behaviour rules when the same burst falls inside the learning period', async () => {
    const { detector } = testDetector(rules);
    const week = quietWeek();
    await detector.process(week.slice(0, 4));
    const { findings } = await detector.process(gpuBurst('2026-11-03T02:00:00Z', 'ap-southeast-3'));
    const ids = new Set(findings.map((f) => f.ProductFields['skywatch/RuleId']));
    expect([...ids].sort()).toEqual(['ec2-unusual-instance-type-launched']);
  });

  it('stays quiet when the principal launches its usual few instances after the week', async () => {
    const { detector } = testDetector(rules);
    await detector.process(quietWeek());
    const { findings } = await detector.process([runInstances('2026-11-09T10:00:00Z', 'eu-west-1', 't3.medium', 3, 77, 'usual')]);
    expect(findings).toEqual([]);
  });

  it('finds the burst when a replay reads the burst before the week, judging volume once all is counted', async () => {
    const { store, sink, clock } = testDetector([]);
    const { Detector } = await import('../../central/core/detector.js');
    const { RuleEngine } = await import('../../central/core/rules/engine.js');
    const deferred = new Detector({ engine: new RuleEngine(rules), state: store, sink, clock, deferVolume: true });
    await deferred.process(gpuBurst('2026-11-09T02:00:00Z', 'ap-southeast-3'));
    await deferred.process(quietWeek());
    // Every provisioning call of both rules waits: 100 of the burst and 13 of the week, twice.
    expect(deferred.pendingVolumeHits).toBe(226);
    const flushed = await deferred.flushVolume();
    expect(byRule(flushed, 'provisioning-volume-by-principal')).toHaveLength(1);
    expect(byRule(flushed, 'provisioning-volume-by-service')).toHaveLength(1);
  });

  it('judges each batch against the hours that have arrived when volume is not deferred (the Lambda)', async () => {
    const { detector } = testDetector(rules);
    // The burst arrives first: no earlier hour is known, so nothing is learned to judge it against.
    const early = await detector.process(gpuBurst('2026-11-09T02:00:00Z', 'ap-southeast-3'));
    expect(byRule(early.findings, 'provisioning-volume-by-principal')).toEqual([]);
    const late = await detector.process(quietWeek());
    expect(byRule(late.findings, 'provisioning-volume-by-principal')).toEqual([]);
  });
});
