import { describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../../../central/core/state/memory-store.js';
import { loadStatisticsDetectors } from '../../../central/core/statistics/load.js';
import { NetworkStatistics } from '../../../central/core/statistics/network-statistics.js';
import { readFileSync } from 'node:fs';
import { validateAsffFinding } from '../../support/aws-model.js';
import { flow, T0, DAY } from './support.js';

const file = 'rules/statistics/flow-vertical-port-scan.yaml';
const [loaded] = loadStatisticsDetectors([{ file, text: readFileSync(new URL(`../../../${file}`, import.meta.url), 'utf8') }]).detectors;
const clock = { now: () => new Date((T0 + 9 * DAY) * 1000) };

async function scanAfterAWeek(intel?: (address: string) => Array<{ list: string; indicator: string }>) {
  const stats = new NetworkStatistics({ detectors: [loaded!.detector], state: new MemoryStateStore(), clock, ...(intel && { intel: { listsFor: intel } }) });
  for (let t = T0; t < T0 + 7 * DAY + 600; t += 300) {
    await stats.add([flow(t + 5, { srcAddr: '192.0.2.10', dstAddr: '10.0.1.5', dstPort: 443 }), flow(t + 6, { srcAddr: '192.0.2.11', dstAddr: '10.0.1.5', dstPort: 443 })]);
  }
  const scanAt = T0 + 7 * DAY + 900;
  const scan = Array.from({ length: 1_000 }, (_, i) => flow(scanAt + (i % 250), { srcAddr: '198.51.100.23', dstAddr: '10.0.1.5', dstPort: i + 1, srcPort: 40_000, action: 'REJECT', interfaceId: 'eni-0fedcba9876543210' }));
  await stats.add(scan);
  return [...stats.take(), ...(await stats.finish())];
}

describe('a statistics finding', () => {
  it('is valid ASFF that names the source and destination, the interface, and explains the numbers', async () => {
    const findings = await scanAfterAWeek();
    expect(findings).toHaveLength(1);
    const f = findings[0]!;
    expect(validateAsffFinding(f)).toEqual([]);
    expect(f).toMatchObject({
      AwsAccountId: '111122223333',
      Region: 'us-east-1',
      GeneratorId: 'skywatch/statistics/flow-vertical-port-scan',
      Severity: { Label: 'HIGH' },
      Types: ['TTPs/Discovery/Network Service Discovery', 'Unusual Behaviors/Network Flow'],
      Network: { Direction: 'IN', Protocol: 'TCP', SourceIpV4: '198.51.100.23', DestinationIpV4: '10.0.1.5' },
      Resources: [{ Type: 'AwsEc2NetworkInterface', Id: 'arn:aws:ec2:us-east-1:111122223333:network-interface/eni-0fedcba9876543210' }],
    });
    expect(f.Title).toBe('Many ports of one host touched by one source: source 198.51.100.23, destination 10.0.1.5');
    expect(f.Description).toContain('Observed distinct destination port values 1,000');
    expect(f.Description).toContain('peers in the same scope');
    expect(f.ProductFields).toMatchObject({ 'skywatch/Statistics/Reason': 'peers', 'skywatch/Statistics/Observed': '1000', 'skywatch/Statistics/Trained': 'false', 'skywatch/EventKind': 'statistics' });
    expect(Number(f.ProductFields['skywatch/Statistics/Upper'])).toBeLessThan(10);
  });

  it('is raised one severity level when an address of its key is on an IOC list', async () => {
    const [f] = await scanAfterAWeek((a) => (a === '198.51.100.23' ? [{ list: 'demo-bad-addresses', indicator: '198.51.100.23' }] : []));
    expect(f!.Severity.Label).toBe('CRITICAL');
    expect(f!.ProductFields['skywatch/IocLists']).toBe('demo-bad-addresses');
    expect(f!.Description).toContain('On IOC lists: demo-bad-addresses (198.51.100.23)');
  });

  it('keeps one Id while the anomaly lasts', async () => {
    const stats = new NetworkStatistics({ detectors: [loaded!.detector], state: new MemoryStateStore(), clock });
    for (let t = T0; t < T0 + 7 * DAY + 600; t += 300) await stats.add([flow(t + 5, { srcAddr: '192.0.2.10', dstAddr: '10.0.1.5' })]);
    const ids = new Set<string>();
    for (let w = 0; w < 3; w++) {
      const at = T0 + 7 * DAY + 900 + w * 300;
      await stats.add(Array.from({ length: 300 }, (_, i) => flow(at + 1, { srcAddr: '198.51.100.23', dstAddr: '10.0.1.5', dstPort: i + 1 })));
      for (const f of stats.take()) ids.add(f.Id);
    }
    for (const f of await stats.finish()) ids.add(f.Id);
    expect(ids.size).toBe(1);
  });
});
