import { describe, expect, it } from 'vitest';
import { DetectorAccumulator, DISTINCT_CAP } from '../../../central/core/statistics/accumulator.js';
import { flow, flowDetector, T0 } from './support.js';

describe('the window accumulator', () => {
  it('counts records into fixed five-minute windows by key', () => {
    const acc = new DetectorAccumulator(flowDetector());
    acc.add(flow(T0 + 10, { srcAddr: '10.0.0.1' }));
    acc.add(flow(T0 + 299, { srcAddr: '10.0.0.1' }));
    acc.add(flow(T0 + 300, { srcAddr: '10.0.0.1' }));
    acc.add(flow(T0 + 20, { srcAddr: '10.0.0.2' }));
    const closed = acc.flush();
    expect(closed.map((w) => [w.windowStart - T0, w.keys.map((k) => [k.key.join(' '), k.value])])).toEqual([
      [0, [['111122223333 us-east-1 10.0.0.1', 2], ['111122223333 us-east-1 10.0.0.2', 1]]],
      [300, [['111122223333 us-east-1 10.0.0.1', 1]]],
    ]);
  });

  it('closes a window only after the grace period, and counts a later record as late in the oldest open window', () => {
    const acc = new DetectorAccumulator(flowDetector());
    expect(acc.add(flow(T0 + 10))).toEqual([]);
    // 1,199 s: the first window ended at 300, plus 900 s of grace is 1,200: still open.
    expect(acc.add(flow(T0 + 1_199))).toEqual([]);
    const closed = acc.add(flow(T0 + 1_200));
    expect(closed.map((w) => w.windowStart - T0)).toEqual([0]);
    // A record of the closed window arrives: late, counted in the window after it.
    expect(acc.add(flow(T0 + 50))).toEqual([]);
    const rest = acc.flush();
    expect(rest.map((w) => [w.windowStart - T0, w.late, w.keys[0]!.value])).toEqual([
      [300, 1, 1],
      [900, 0, 1],
      [1_200, 0, 1],
    ]);
  });

  it('keeps each account and region on its own clock', () => {
    const acc = new DetectorAccumulator(flowDetector());
    acc.add(flow(T0 + 5 * 86_400, { account: '111122223333' }));
    // Another account's files are read later in a replay, days earlier in time: not late.
    const closed = acc.add(flow(T0 + 10, { account: '444455556666' }));
    expect(closed).toEqual([]);
    const all = acc.flush();
    expect(all.map((w) => [w.account, w.late])).toEqual([['111122223333', 0], ['444455556666', 0]]);
  });

  it('applies filters and skips records without a key field', () => {
    const acc = new DetectorAccumulator(flowDetector({ where: [{ field: 'action', equals: 'REJECT' }, { field: 'dstaddr', address: 'private' }] }));
    acc.add(flow(T0, { action: 'REJECT' }));
    acc.add(flow(T0, { action: 'ACCEPT' }));
    acc.add(flow(T0, { action: 'REJECT', dstAddr: '198.51.100.9' }));
    acc.add(flow(T0, { action: 'REJECT', srcAddr: undefined }));
    expect(acc.flush()[0]!.keys.map((k) => k.value)).toEqual([1]);
  });

  it('sums bytes, counts distinct values and computes ratios', () => {
    const sum = new DetectorAccumulator(flowDetector({ metric: { kind: 'sum', field: 'bytes' } }));
    const distinct = new DetectorAccumulator(flowDetector({ metric: { kind: 'distinct', field: 'dstport' } }));
    const ratio = new DetectorAccumulator(flowDetector({ metric: { kind: 'ratio', when: [{ field: 'action', equals: 'REJECT' }] } }));
    for (const [port, bytes, action] of [[22, 100, 'REJECT'], [22, 200, 'ACCEPT'], [80, 300, 'ACCEPT'], [443, 400, 'REJECT']] as const) {
      for (const acc of [sum, distinct, ratio]) acc.add(flow(T0, { dstPort: port, bytes, action }));
    }
    expect(sum.flush()[0]!.keys[0]).toMatchObject({ value: 1_000, volume: 4 });
    expect(distinct.flush()[0]!.keys[0]).toMatchObject({ value: 3, volume: 4 });
    expect(ratio.flush()[0]!.keys[0]).toMatchObject({ value: 0.5, volume: 4 });
  });

  it('stops a distinct count at its cap', () => {
    const acc = new DetectorAccumulator(flowDetector({ metric: { kind: 'distinct', field: 'dstaddr' } }));
    for (let i = 0; i < DISTINCT_CAP + 500; i++) acc.add(flow(T0, { dstAddr: `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}` }));
    expect(acc.flush()[0]!.keys[0]!.value).toBe(DISTINCT_CAP);
  });

  it('holds a bounded table however many sources a window has, and keeps the heavy one', () => {
    const acc = new DetectorAccumulator(flowDetector(), 1_000);
    for (let i = 0; i < 200_000; i++) {
      acc.add(flow(T0 + (i % 290), { srcAddr: `100.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` }));
      if (i % 10 === 0) acc.add(flow(T0 + 1, { srcAddr: '198.51.100.23' }));
    }
    expect(acc.openKeys).toBe(1_000);
    const [window] = acc.flush();
    // Peers sum every tracked key; only the topK heaviest come as aggregates.
    expect(window!.scopes).toMatchObject([{ count: 1_000 }]);
    expect(window!.keys).toHaveLength(flowDetector().settings.topK);
    expect(window!.keys[0]!.key[2]).toBe('198.51.100.23');
    expect(window!.keys[0]!.value).toBeGreaterThanOrEqual(20_000 - 220_000 / 1_000);
    expect(window!.keys.some((k) => k.estimated)).toBe(true);
  });

  it('hands over each scope\'s topK heaviest judgeable keys, and peer sums over every key of the scope', () => {
    const detector = flowDetector({ key: ['srcaddr', 'dstport'], scope: ['dstport'], settings: { ...flowDetector().settings, minVolume: 30, topK: 2 } });
    const acc = new DetectorAccumulator(detector);
    const counts: Array<[string, number, number]> = [['10.0.0.1', 22, 5], ['10.0.0.2', 22, 5], ['10.0.0.3', 22, 2], ['10.0.0.4', 22, 7], ['10.0.0.5', 80, 1]];
    for (const [srcAddr, dstPort, n] of counts) for (let i = 0; i < n; i++) acc.add(flow(T0 + i, { srcAddr, dstPort }));
    const [window] = acc.flush();
    // Ties by key; 10.0.0.3 and the port-80 source are below a tenth of the minimum volume, never judged.
    expect(window!.keys.map((k) => [k.key.join(' '), k.value])).toEqual([
      ['111122223333 us-east-1 10.0.0.4 22', 7],
      ['111122223333 us-east-1 10.0.0.1 22', 5],
    ]);
    expect(window!.keys[0]!.context).toMatchObject({ srcAddr: '10.0.0.4', dstPort: 22, interfaceId: 'eni-0a1b2c3d4e5f60718' });
    const log = (v: number) => Math.log1p(v);
    const port22 = [5, 5, 2, 7].map(log);
    expect(window!.scopes.map((s) => [s.scope.join(' '), s.count])).toEqual([['111122223333 us-east-1 22', 4], ['111122223333 us-east-1 80', 1]]);
    expect(window!.scopes[0]!.sumLog).toBeCloseTo(port22.reduce((a, b) => a + b), 12);
    expect(window!.scopes[0]!.sumLogSquares).toBeCloseTo(port22.reduce((a, b) => a + b * b, 0), 12);
    expect(window!.scopes[1]!.sumLog).toBeCloseTo(log(1), 12);
  });
});
