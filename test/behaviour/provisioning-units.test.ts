import { describe, expect, it } from 'vitest';
import { provisioningCost, typeWeight } from '../../central/core/behaviour/provisioning-units.js';
import { countCall, mergeSeries } from '../../central/core/behaviour/volume-series.js';
import { runInstances } from './support.js';

describe('the cost of a provisioning call', () => {
  it('weighs accelerated instances 10, very large ones 4 and the rest 1', () => {
    expect(['p5.48xlarge', 'g4dn.xlarge', 'ml.g5.2xlarge', 'trn1.32xlarge', 'inf2.xlarge', 'dl1.24xlarge', 'f1.2xlarge'].map(typeWeight)).toEqual([10, 10, 10, 10, 10, 10, 10]);
    expect(['c6i.metal', 'm7i.16xlarge', 'r6i.24xlarge', 'db.r6g.16xlarge'].map(typeWeight)).toEqual([4, 4, 4, 4]);
    expect(['t3.medium', 'm5.8xlarge', 'db.t4g.micro', 'gp3', undefined].map(typeWeight)).toEqual([1, 1, 1, 1, 1]);
  });

  it('counts the instances a RunInstances launched, times their weight', () => {
    expect(provisioningCost(runInstances('2026-11-02T10:00:00Z', 'eu-west-1', 'g5.12xlarge', 8))).toEqual({ resources: 8, units: 80, type: 'g5.12xlarge' });
    expect(provisioningCost(runInstances('2026-11-02T10:00:00Z', 'eu-west-1', 't3.micro', 3))).toEqual({ resources: 3, units: 3, type: 't3.micro' });
  });
});

describe('an hourly provisioning series', () => {
  const hour = Date.parse('2026-11-02T10:00:00Z') / 1000;
  const key = ['111122223333', 'arn:aws:iam::111122223333:role/ci-deployer'];

  it('counts a redelivered event once', () => {
    const once = countCall(undefined, key, 'e1', hour, 10, 1);
    expect(countCall(once, key, 'e1', hour, 10, 1)).toBe(once);
    expect(countCall(once, key, 'e2', hour, 4, 1).hours).toEqual([[hour, 14, 2, 2]]);
  });

  it('keeps hours sorted when calls arrive out of order', () => {
    let series = countCall(undefined, key, 'late', hour + 7200, 1, 1);
    series = countCall(series, key, 'early', hour, 2, 2);
    series = countCall(series, key, 'middle', hour + 3600, 3, 3);
    expect(series.hours.map((h) => h[0])).toEqual([hour, hour + 3600, hour + 7200]);
  });

  it('merges two writers by keeping, per hour, the count that saw more calls', () => {
    const a = countCall(countCall(undefined, key, 'e1', hour, 10, 1), key, 'e2', hour, 10, 1);
    const b = countCall(countCall(undefined, key, 'e3', hour, 1, 1), key, 'e4', hour + 3600, 5, 1);
    const merged = mergeSeries(b, a);
    expect(merged.hours).toEqual([[hour, 20, 2, 2], [hour + 3600, 5, 1, 1]]);
    expect([...merged.ids[hour]!].sort()).toEqual(['e1', 'e2', 'e3']);
  });
});
