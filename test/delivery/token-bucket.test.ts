import { describe, expect, it } from 'vitest';
import { SECURITY_HUB_IMPORT_RATE, TokenBuckets } from '../../central/core/delivery/token-bucket.js';
import { ManualClock } from '../support/detector.js';

function buckets() {
  const clock = new ManualClock();
  const sleeps: number[] = [];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
    clock.advance(ms);
  };
  return { clock, sleeps, buckets: new TokenBuckets(SECURITY_HUB_IMPORT_RATE, clock, sleep) };
}

describe('token buckets', () => {
  it('lets a burst of 30 through at once, then one request every 100 ms', async () => {
    const { buckets: b, sleeps, clock } = buckets();
    const start = clock.now().getTime();
    for (let i = 0; i < 30; i++) await b.take('111122223333#eu-west-1');
    expect(sleeps).toEqual([]);
    for (let i = 0; i < 5; i++) await b.take('111122223333#eu-west-1');
    expect(sleeps).toEqual([100, 100, 100, 100, 100]);
    expect(clock.now().getTime() - start).toBe(500);
  });

  it('keeps one bucket per account and region', async () => {
    const { buckets: b, sleeps } = buckets();
    for (let i = 0; i < 30; i++) await b.take('111122223333#eu-west-1');
    for (let i = 0; i < 30; i++) await b.take('111122223333#us-east-1');
    for (let i = 0; i < 30; i++) await b.take('444455556666#eu-west-1');
    expect(sleeps).toEqual([]);
    expect(b.tryTake('111122223333#eu-west-1')).toBe(100);
  });

  it('refills at 10 tokens a second up to the burst, and never above it', () => {
    const { buckets: b, clock } = buckets();
    for (let i = 0; i < 30; i++) expect(b.tryTake('k')).toBe(0);
    clock.advance(250);
    expect([b.tryTake('k'), b.tryTake('k'), b.tryTake('k')]).toEqual([0, 0, 50]);
    clock.advance(3_600_000);
    const taken = Array.from({ length: 31 }, () => b.tryTake('k'));
    expect(taken.filter((w) => w === 0)).toHaveLength(30);
    expect(taken[30]).toBe(100);
  });

  it('neither mints nor burns tokens when the clock goes backwards', () => {
    const { buckets: b, clock } = buckets();
    for (let i = 0; i < 30; i++) b.tryTake('k');
    clock.advance(-60_000);
    expect(b.tryTake('k')).toBe(100);
    clock.advance(60_000 + 100);
    expect(b.tryTake('k')).toBe(0);
  });

  it('refuses a limit that could never hand out a token', () => {
    const clock = new ManualClock();
    expect(() => new TokenBuckets({ rate: 0, burst: 30 }, clock, async () => {})).toThrow('invalid rate limit: 0/s, burst 30');
  });
});
