import { AwsSecurityFinding$ } from '@aws-sdk/client-securityhub';
import { describe, expect, it } from 'vitest';
import { findingId } from '../../central/core/findings/finding-id.js';
import { loadRuleFolders } from '../../central/local/rule-files.js';
import { validateAsffFinding, validateShape } from '../support/aws-model.js';
import { cloudTrailRecord, rootIdentity } from '../support/cloudtrail.js';
import { eventOf, tableAsnLookup, testDetector } from '../support/detector.js';

const { rules } = loadRuleFolders();
const positives = rules.flatMap((rule) => rule.tests.filter((t) => t.fires).map((t) => ({ rule, test: t })));

describe('findings in ASFF', () => {
  it.each(positives.map((p) => [`${p.rule.id}: ${p.test.name}`, p] as const))('%s produces a valid Security Hub finding', async (_, { rule, test }) => {
    const { detector } = testDetector(rules, undefined, test.asnOf && tableAsnLookup(test.asnOf));
    const records = test.events ?? [test.event!];
    const { findings } = await detector.process(records.map((r) => eventOf(r)));
    const mine = findings.filter((f) => f.ProductFields['skywatch/RuleId'] === rule.id);
    expect(mine.length).toBeGreaterThanOrEqual(1);
    const finding = mine[mine.length - 1]!;
    expect(validateShape(AwsSecurityFinding$, finding)).toEqual([]);
    expect(validateAsffFinding(finding)).toEqual([]);
    expect(finding.FindingProviderFields).toEqual({ Severity: finding.Severity, Types: finding.Types });
    // Evidence names the events behind the finding, newest first (a threshold's whole burst).
    const evidence = finding.ProductFields['skywatch/EventIds']!.split(',');
    const ids = new Set(records.map((r) => eventOf(r).id));
    expect(evidence.length).toBeGreaterThan(0);
    for (const id of evidence) expect(ids.has(id), id).toBe(true);
    if (records.length === 1) expect(evidence).toEqual([eventOf(records[0]!).id]);
  });

  it('derives the Id from rule, account, region and dedup key, never from time', () => {
    const id = findingId('root-account-usage', '111122223333', 'us-east-1', 'arn:aws:iam::111122223333:root|198.51.100.24');
    expect(id).toBe(findingId('root-account-usage', '111122223333', 'us-east-1', 'arn:aws:iam::111122223333:root|198.51.100.24'));
    expect(id).toMatch(/^skywatch\/us-east-1\/111122223333\/root-account-usage\/[0-9a-f]{32}$/);
    expect(findingId('root-account-usage', '111122223333', 'eu-west-1', 'arn:aws:iam::111122223333:root|198.51.100.24')).not.toBe(id);
    expect(findingId('root-account-usage', '444455556666', 'us-east-1', 'arn:aws:iam::111122223333:root|198.51.100.24')).not.toBe(id);
  });

  it('keeps CreatedAt and advances UpdatedAt when the same finding recurs', async () => {
    const { detector, clock } = testDetector(rules);
    const root = (time: string) => eventOf(cloudTrailRecord({ userIdentity: rootIdentity, eventTime: time, eventSource: 's3.amazonaws.com', eventName: 'ListBuckets', awsRegion: 'us-east-1', sourceIPAddress: '198.51.100.24' }));
    const first = root('2026-11-02T09:14:03Z');
    const [created] = (await detector.process([first])).findings;
    clock.advance(60_000);
    const second = root('2026-11-02T10:20:00Z');
    const [updated] = (await detector.process([second])).findings;
    expect(updated!.Id).toBe(created!.Id);
    expect(updated!.CreatedAt).toBe(created!.CreatedAt);
    expect(Date.parse(updated!.UpdatedAt)).toBe(Date.parse(created!.UpdatedAt) + 60_000);
    expect(updated!.FirstObservedAt).toBe('2026-11-02T09:14:03Z');
    expect(updated!.LastObservedAt).toBe('2026-11-02T10:20:00Z');
    expect(updated!.ProductFields['skywatch/EventIds']).toBe(`${second.id},${first.id}`);
    expect(updated!.ProductFields['skywatch/EventCount']).toBe('2');
  });

  it('updates nothing when an event already counted comes again', async () => {
    // Only the root rule: behaviour rules match every event too (their gates decide), which would count here.
    const { detector, sink } = testDetector(rules.filter((r) => r.id === 'root-account-usage'));
    const event = eventOf(cloudTrailRecord({ userIdentity: rootIdentity, eventName: 'ListBuckets', eventSource: 's3.amazonaws.com' }));
    await detector.process([event]);
    const again = await detector.process([event, event]);
    expect(again.hits).toBe(2);
    expect(again.findings).toEqual([]);
    expect(sink.versions).toHaveLength(1);
  });

  it('advances UpdatedAt even when the clock has not moved, so Security Hub accepts the update', async () => {
    const { detector } = testDetector(rules);
    const event = () => eventOf(cloudTrailRecord({ userIdentity: rootIdentity, eventName: 'ListBuckets', eventSource: 's3.amazonaws.com' }));
    const [a] = (await detector.process([event()])).findings;
    const [b] = (await detector.process([event()])).findings;
    expect(Date.parse(b!.UpdatedAt)).toBeGreaterThan(Date.parse(a!.UpdatedAt));
  });

  it('keeps the evidence event ids within the product field limit, newest first', async () => {
    const { detector } = testDetector(rules);
    const events = Array.from({ length: 150 }, (_, i) =>
      eventOf(cloudTrailRecord({ userIdentity: rootIdentity, eventName: 'ListBuckets', eventSource: 's3.amazonaws.com', eventTime: new Date(Date.UTC(2026, 10, 2, 9, 0, i)).toISOString() })),
    );
    const [finding] = (await detector.process(events)).findings;
    const ids = finding!.ProductFields['skywatch/EventIds']!;
    expect(ids.length).toBeLessThanOrEqual(2048);
    expect(ids.split(',')[0]).toBe(events.at(-1)!.id);
    expect(finding!.ProductFields['skywatch/EventCount']).toBe('150');
    expect(validateAsffFinding(finding)).toEqual([]);
  });

  it('names the API call, the caller and its address in Action', async () => {
    const { detector } = testDetector(rules);
    const [finding] = (await detector.process([eventOf(cloudTrailRecord({ userIdentity: rootIdentity, eventName: 'ListBuckets', eventSource: 's3.amazonaws.com', sourceIPAddress: '198.51.100.24' }))])).findings;
    expect(finding!.Action).toEqual({
      ActionType: 'AWS_API_CALL',
      AwsApiCallAction: {
        Api: 'ListBuckets', ServiceName: 's3.amazonaws.com', CallerType: 'remoteip', RemoteIpDetails: { IpAddressV4: '198.51.100.24' },
        FirstSeen: finding!.FirstObservedAt, LastSeen: finding!.LastObservedAt,
      },
    });
    expect(finding!.ProductFields['skywatch/ActorArn']).toBe('arn:aws:iam::111122223333:root');
    expect(finding!.Resources).toEqual([{ Type: 'AwsAccount', Id: 'AWS::::Account:111122223333', Partition: 'aws', Region: 'eu-west-1' }]);
  });

  it('names the investigation to run for it in ProductFields, its principal activity, within the ASFF limits', async () => {
    const { detector } = testDetector(rules);
    const call = (userIdentity: Record<string, unknown>, sourceIPAddress: string) => eventOf(cloudTrailRecord({ userIdentity, eventName: 'ListBuckets', eventSource: 's3.amazonaws.com', sourceIPAddress }));
    const [byArn] = (await detector.process([call(rootIdentity, '198.51.100.24')])).findings;
    expect(byArn!.ProductFields['skywatch/Investigate']).toBe('actor-activity actor=arn:aws:iam::111122223333:root');
    const problems = validateAsffFinding(byArn!);
    expect(problems).toEqual([]);
    expect(Object.keys(byArn!.ProductFields).length).toBeLessThanOrEqual(50);
  });
});
