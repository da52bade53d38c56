import { describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../../../central/core/state/memory-store.js';
import type { KeyAggregate } from '../../../central/core/statistics/accumulator.js';
import { closedWindowOf, type ClosedWindow } from '../../../central/core/statistics/closed-window.js';
import { baselineKey, StatisticsEngine, type StatisticsAnomaly, type StoredBaseline } from '../../../central/core/statistics/engine.js';
import { DAY, flowDetector, T0 } from './support.js';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const key = (source: string) => [ACCOUNT, REGION, source];
const aggregate = (source: string, value: number): KeyAggregate => ({ key: key(source), value, volume: value, estimated: false });
const windowAt = (start: number, keys: KeyAggregate[]): ClosedWindow => closedWindowOf(flowDetector(), { account: ACCOUNT, region: REGION, windowStart: start }, keys);

/** Feeds `days` of five-minute windows in which each source holds `value(source, i)`. */
async function feed(engine: StatisticsEngine, from: number, windows: number, values: (i: number) => KeyAggregate[]): Promise<StatisticsAnomaly[]> {
  const out: StatisticsAnomaly[] = [];
  for (let i = 0; i < windows; i++) out.push(...(await engine.judge(windowAt(from + i * 300, values(i)))));
  return out;
}

const noisy = (i: number) => 100 + ((i * 37) % 21) - 10; // 90..110, deterministic

describe('the statistics engine', () => {
  it('learns for seven days before it alerts on a key\'s own baseline (cold start)', async () => {
    const engine = new StatisticsEngine({ detectors: [flowDetector()], state: new MemoryStateStore() });
    // A spike on day 3 is not reported: the baseline is still learning.
    const early = await feed(engine, T0, 3 * 288, (i) => [aggregate('10.0.1.5', i === 3 * 288 - 1 ? 5_000 : noisy(i))]);
    expect(early).toEqual([]);
    await feed(engine, T0 + 3 * DAY, 4 * 288, (i) => [aggregate('10.0.1.5', noisy(i))]);
    const [anomaly, ...rest] = await feed(engine, T0 + 7 * DAY, 1, () => [aggregate('10.0.1.5', 5_000)]);
    expect(rest).toEqual([]);
    expect(anomaly).toMatchObject({ reason: 'band', value: 5_000, training: { trained: true, since: T0 } });
    expect(anomaly!.expected).toBeGreaterThan(90);
    expect(anomaly!.expected).toBeLessThan(110);
    expect(anomaly!.z).toBeGreaterThan(3);
  });

  it('reports a new key far above its peers at once, once the peers are trained', async () => {
    const engine = new StatisticsEngine({ detectors: [flowDetector()], state: new MemoryStateStore() });
    const peers = (i: number) => ['10.0.1.5', '10.0.1.6', '10.0.1.7'].map((s, j) => aggregate(s, noisy(i + j) / 10));
    await feed(engine, T0, 288, peers);
    // On day 2 a newcomer is not judged by peers still learning.
    expect(await feed(engine, T0 + DAY, 1, () => [...peers(0), aggregate('198.51.100.1', 900)])).toEqual([]);
    await feed(engine, T0 + DAY + 300, 6 * 288, peers);
    const found = await feed(engine, T0 + 7 * DAY + 600, 1, () => [...peers(3), aggregate('198.51.100.23', 900)]);
    expect(found.map((a) => [a.key[2], a.reason, a.training.trained])).toEqual([['198.51.100.23', 'peers', false]]);
    expect(found[0]!.peers!.keys).toBe(4);
    expect(found[0]!.peers!.typical).toBeGreaterThan(8);
    expect(found[0]!.peers!.typical).toBeLessThan(12);
    // A newcomer like its peers is not.
    expect(await feed(engine, T0 + 7 * DAY + 900, 1, () => [...peers(4), aggregate('198.51.100.24', 11)])).toEqual([]);
  });

  it('ignores windows below the minimum volume', async () => {
    const engine = new StatisticsEngine({ detectors: [flowDetector({ settings: { ...flowDetector().settings, minVolume: 1_000 } })], state: new MemoryStateStore() });
    await feed(engine, T0, 7 * 288 + 1, () => [aggregate('10.0.1.5', 2)]);
    expect(await feed(engine, T0 + 8 * DAY, 1, () => [aggregate('10.0.1.5', 900)])).toEqual([]);
  });

  it('catches a slow ramp by CUSUM that never leaves the band', async () => {
    const engine = new StatisticsEngine({ detectors: [flowDetector()], state: new MemoryStateStore() });
    await feed(engine, T0, 7 * 288 + 1, (i) => [aggregate('10.0.1.5', noisy(i))]);
    // Over six hours the level climbs from 100 to 300: about 0.7 a window, far inside the band.
    const start = T0 + 7 * DAY + 300;
    const ramp = await feed(engine, start, 72, (i) => [aggregate('10.0.1.5', Math.round(noisy(i) * (1 + (2 * i) / 72)))]);
    expect(ramp.length).toBeGreaterThan(0);
    // CUSUM raises it first, while the window is still inside the band; once it is an anomaly the
    // baseline learns slowly, so the band may join later.
    expect(ramp[0]!.reason).toBe('cusum');
    expect(ramp[0]!.value).toBeLessThan(ramp[0]!.upper);
    expect(ramp[0]!.windowStart - start).toBeLessThan(4 * 3_600);
    // One episode, one finding: every anomalous window belongs to the first one's episode.
    expect(new Set(ramp.map((a) => a.episode.start)).size).toBe(1);
  });

  it('does not learn an attack as normal while it lasts', async () => {
    const engine = new StatisticsEngine({ detectors: [flowDetector()], state: new MemoryStateStore() });
    await feed(engine, T0, 7 * 288 + 1, (i) => [aggregate('10.0.1.5', noisy(i))]);
    const attack = await feed(engine, T0 + 7 * DAY + 300, 12, () => [aggregate('10.0.1.5', 10_000)]);
    expect(attack).toHaveLength(12);
    expect(attack.at(-1)!.expected).toBeLessThan(400);
    expect(attack.at(-1)!.episode).toMatchObject({ windows: 12, peak: 10_000 });
  });

  it('stores baselines through the state store on flush, and a rerun of the same window teaches nothing', async () => {
    const state = new MemoryStateStore();
    const engine = new StatisticsEngine({ detectors: [flowDetector()], state });
    await feed(engine, T0, 3, () => [aggregate('10.0.1.5', 100)]);
    expect(await state.get(baselineKey('test-flows-per-source', key('10.0.1.5')))).toBeUndefined();
    await engine.flush();
    const stored = await state.get<StoredBaseline>(baselineKey('test-flows-per-source', key('10.0.1.5')));
    expect(stored!.value).toMatchObject({ windows: 3, firstWindow: T0, lastWindow: T0 + 600, key: key('10.0.1.5') });
    const again = new StatisticsEngine({ detectors: [flowDetector()], state });
    await feed(again, T0, 3, () => [aggregate('10.0.1.5', 100)]);
    await again.flush();
    expect((await state.get<StoredBaseline>(baselineKey('test-flows-per-source', key('10.0.1.5'))))!.value.windows).toBe(3);
  });

  it('judges only the heaviest topK keys of a scope', async () => {
    const detector = flowDetector({ settings: { ...flowDetector().settings, topK: 2 } });
    const state = new MemoryStateStore();
    const engine = new StatisticsEngine({ detectors: [detector], state });
    await engine.judge(windowAt(T0, [aggregate('a', 30), aggregate('b', 20), aggregate('c', 10)]));
    await engine.flush();
    expect(await state.get(baselineKey(detector.id, key('a')))).toBeDefined();
    expect(await state.get(baselineKey(detector.id, key('b')))).toBeDefined();
    expect(await state.get(baselineKey(detector.id, key('c')))).toBeUndefined();
  });

  it('treats the windows a key was silent in as zeros', async () => {
    const state = new MemoryStateStore();
    const engine = new StatisticsEngine({ detectors: [flowDetector()], state });
    await feed(engine, T0, 1, () => [aggregate('10.0.1.5', 100)]);
    await feed(engine, T0 + 3_000, 1, () => [aggregate('10.0.1.5', 100)]);
    await engine.flush();
    const stored = (await state.get<StoredBaseline>(baselineKey('test-flows-per-source', key('10.0.1.5'))))!.value;
    // Nine silent windows in between, then the new window: 11 in all; the mean decayed nine times, then rose.
    expect(stored.windows).toBe(11);
    const decayed = 100 * 0.7 ** 9;
    expect(stored.ewma.mean).toBeCloseTo(decayed + 0.3 * (100 - decayed), 9);
  });
});
