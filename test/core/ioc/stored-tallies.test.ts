/** IOC tallies kept in the state: writers racing on one finding both count, and the first and latest sightings hold whatever the order. */
import { describe, expect, it } from 'vitest';
import type { IocSighting } from '../../../central/core/ioc/hit-findings.js';
import type { IocHit } from '../../../central/core/ioc/matcher.js';
import { IocFindingCollector } from '../../../central/core/ioc/hit-findings.js';
import { iocTallyKey, StoredIocTallies } from '../../../central/core/ioc/stored-tallies.js';
import { MemoryStateStore } from '../../../central/core/state/memory-store.js';

const hit: IocHit = { list: 'demo-known-bad', kind: 'ip', indicator: '203.0.113.66', field: 'sourceIp', severity: 'HIGH', weight: 2 };
const at = (time: number): IocSighting => ({ log: 'cloudtrail', account: '111122223333', region: 'us-east-1', time, example: `ListBuckets from 203.0.113.66 at ${time}` });
const clock = { now: () => new Date('2026-11-02T12:00:00Z') };

describe('stored IOC tallies', () => {
  it('count every sighting when two invocations add to one finding at once', async () => {
    const state = new MemoryStateStore();
    const a = new StoredIocTallies(state, clock);
    const b = new StoredIocTallies(state, clock);
    const batch = (times: number[]) => times.map((t) => ({ hits: [hit], sighting: at(t) }));
    await Promise.all([a.record(batch([1_700_000_300, 1_700_000_100])), b.record(batch([1_700_000_200])), a.record(batch([1_700_000_050, 1_700_000_400, 1_700_000_250]))]);
    const [finding] = await a.record([]).then(() => b.record(batch([1_700_000_150])));
    expect(finding!.ProductFields['skywatch/EventCount']).toBe('7');
    expect(finding!.FirstObservedAt).toBe(new Date(1_700_000_050_000).toISOString().replace('.000Z', 'Z'));
    expect(finding!.LastObservedAt).toBe(new Date(1_700_000_400_000).toISOString().replace('.000Z', 'Z'));
    expect(finding!.Description).toContain('at 1700000400');
    expect((await state.get<{ count: number }>(iocTallyKey(finding!.Id)))?.value.count).toBe(7);
  });

  it('give every version of a finding a later UpdatedAt than the last, even within one millisecond, so the store and Security Hub keep the newest', async () => {
    const state = new MemoryStateStore();
    const stored = new StoredIocTallies(state, clock);
    const inMemory = new IocFindingCollector();
    const versions: string[][] = [[], []];
    for (const t of [1_700_000_100, 1_700_000_200, 1_700_000_300]) {
      versions[0]!.push((await stored.record([{ hits: [hit], sighting: at(t) }]))[0]!.UpdatedAt);
      inMemory.add([hit], at(t));
      versions[1]!.push(inMemory.take(clock.now())[0]!.UpdatedAt);
    }
    for (const v of versions) expect(v).toEqual(['2026-11-02T12:00:00.000Z', '2026-11-02T12:00:00.001Z', '2026-11-02T12:00:00.002Z']);
  });
});
