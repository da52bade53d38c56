import { describe, expect, it } from 'vitest';
import type { CompiledCorrelation } from '../../central/core/correlation/compile.js';
import { CorrelationEngine, CorrelationStateConflictError, MAX_ATTEMPTS, type CorrelationMatch } from '../../central/core/correlation/engine.js';
import type { Observation, StoredObservation } from '../../central/core/correlation/observation.js';
import type { StateStore, Versioned } from '../../central/core/ports.js';
import { MemoryStateStore } from '../../central/core/state/memory-store.js';
import { seededRandom } from '../support/seeded.js';
import { at, finalMatches, observation, ruleOf } from './support.js';

const ACCOUNTS = ['111122223333', '444455556666', '777788889999', '210987654321'];
const KEYS = ['AKIAIOSFODNN7EXAMPLE', 'ASIAY34FZKBOKMUTVV7A'];
const IPS = ['203.0.113.10', '203.0.113.20'];
const ARNS = ['arn:aws:iam::111122223333:user/alice', 'arn:aws:iam::444455556666:role/deploy'];
const LABELS = ['iam-list-users', 'iam-create-access-key', 'cloudtrail-stop-logging', 'sts-get-caller-identity'];

const RULES: CompiledCorrelation[] = [
  ruleOf(`title: One key from one address in three accounts
id: key-ip-accounts
correlation:
  type: value_count
  rules: ['*']
  group-by: [actor.accessKeyId, sourceIp]
  timespan: 1h
  condition: { field: account, gte: 3 }
`),
  ruleOf(`title: Four calls by one principal in 20 minutes
id: principal-burst
correlation:
  type: event_count
  rules: [iam-*, cloudtrail-*]
  group-by: [actor.arn]
  timespan: 20m
  condition: { gt: 3 }
`),
  ruleOf(`title: Discovery, a key and logging stopped
id: recon-key-stop
correlation:
  type: temporal
  rules: [iam-list-users, iam-create-access-key, cloudtrail-stop-logging]
  group-by: [actor.arn]
  timespan: 30m
`),
  ruleOf(`title: Discovery then a new key
id: recon-then-key
correlation:
  type: temporal_ordered
  rules: [iam-list-users, iam-create-access-key]
  group-by: [actor.arn, sourceIp]
  timespan: 15m
`),
];

/** A seeded corpus starting at 12:00, minute resolution so that several observations share an instant. */
function corpus(seed: number, size: number, minutes: number): Observation[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  return Array.from({ length: size }, (_, i) => {
    const minute = Math.floor(random() * minutes);
    const time = new Date(Date.UTC(2026, 2, 2, 12, minute)).toISOString().replace('.000Z', 'Z');
    const label = pick(LABELS);
    return observation({
      time,
      label,
      eventId: `ev-${seed}-${i}`,
      account: pick(ACCOUNTS),
      fields: { 'actor.accessKeyId': [pick(KEYS)], sourceIp: [pick(IPS)], 'actor.arn': [pick(ARNS)] },
    });
  });
}

function shuffled<T>(list: readonly T[], random: () => number): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Cuts a list into consecutive batches of 1 to 7. */
function batches<T>(list: readonly T[], random: () => number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; ) {
    const n = 1 + Math.floor(random() * 7);
    out.push(list.slice(i, i + n));
    i += n;
  }
  return out;
}

async function run(batchList: ReadonlyArray<readonly Observation[]>, store: StateStore = new MemoryStateStore()) {
  const engine = new CorrelationEngine(RULES, store);
  const reports: CorrelationMatch[][] = [];
  for (const batch of batchList) reports.push(await engine.observe(batch));
  return finalMatches(reports);
}

/**
 * The matches by their definition, computed the slow way: every group, every e, W(e) by scanning,
 * the condition by brute force, the union per bucket of the completing event.
 */
function oracle(observations: readonly Observation[]): ReturnType<typeof finalMatches> {
  const out: ReturnType<typeof finalMatches> = [];
  for (const rule of RULES) {
    const groups = new Map<string, { group: Record<string, string>; members: Map<string, Observation & { ref: number }> }>();
    for (const o of observations) {
      const ref = rule.refOf(o);
      for (const group of rule.groupsOf(o)) {
        const key = JSON.stringify(rule.groupBy.map((n) => group[n]));
        if (!groups.has(key)) groups.set(key, { group: { ...group }, members: new Map() });
        groups.get(key)!.members.set(o.id, { ...o, ref });
      }
    }
    for (const { group, members } of groups.values()) {
      const all = [...members.values()];
      const t = (o: Observation) => Date.parse(o.time);
      const byBucket = new Map<number, Set<string>>();
      for (const e of all) {
        const window = all.filter((o) => t(o) > t(e) - rule.timespanMs && t(o) <= t(e));
        if (!holds(rule, window)) continue;
        const bucket = Math.floor(t(e) / rule.timespanMs);
        const content = byBucket.get(bucket) ?? new Set();
        for (const o of window) content.add(o.id);
        byBucket.set(bucket, content);
      }
      for (const [bucket, ids] of byBucket) {
        const content = all.filter((o) => ids.has(o.id)).sort((a, b) => t(a) - t(b) || (a.id < b.id ? -1 : 1));
        out.push({
          rule: rule.id,
          group,
          window: `${new Date(bucket * rule.timespanMs).toISOString()}/${new Date((bucket + 1) * rule.timespanMs).toISOString()}`,
          ids: content.map((o) => o.id),
          accounts: [...new Set(content.map((o) => o.account))].sort(),
        });
      }
    }
  }
  const id = (m: (typeof out)[number]) => JSON.stringify([m.rule, RULES.find((r) => r.id === m.rule)!.groupBy.map((n) => m.group[n]), m.window.split('/')[0]]);
  return out.sort((a, b) => (id(a) < id(b) ? -1 : 1));
}

function holds(rule: CompiledCorrelation, window: ReadonlyArray<Observation & { ref: number }>): boolean {
  switch (rule.type) {
    case 'event_count':
      return window.length >= rule.minimum;
    case 'value_count':
      return new Set(window.map((o) => o.account)).size >= rule.minimum;
    case 'temporal':
      return new Set(window.map((o) => o.ref)).size >= rule.minimum;
    case 'temporal_ordered': {
      // Some choice of one observation per entry 0..minimum-1 with non-decreasing times.
      const pick = (entry: number, notBefore: number): boolean =>
        entry === rule.minimum || window.some((o) => o.ref === entry && Date.parse(o.time) >= notBefore && pick(entry + 1, Date.parse(o.time)));
      return pick(0, -Infinity);
    }
  }
}

describe.each([
  ['dense: 90 observations in three hours', corpus(20260302, 90, 180)],
  ['sparse: 60 observations in eight hours', corpus(8, 60, 480)],
])('order independence, %s', (_, observations) => {
  const expected = oracle(observations);

  it('the corpus exercises every rule', () => {
    expect(new Set(expected.map((m) => m.rule))).toEqual(new Set(RULES.map((r) => r.id)));
    expect(expected.length).toBeGreaterThan(10);
  });

  it('in time order one at a time, all at once, and reversed give the matches of the definition', async () => {
    const inOrder = [...observations].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
    expect(await run(inOrder.map((o) => [o]))).toEqual(expected);
    expect(await run([observations])).toEqual(expected);
    expect(await run([...inOrder].reverse().map((o) => [o]))).toEqual(expected);
  });

  it('seeded shuffles split across calls, with duplicates redelivered, end with the same matches and contents', async () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const random = seededRandom(seed);
      const redelivered = observations.filter(() => random() < 0.3);
      const stream = shuffled([...observations, ...redelivered], random);
      expect(await run(batches(stream, random))).toEqual(expected);
    }
  });

  it('a whole replay of the same observations changes nothing', async () => {
    const store = new MemoryStateStore();
    const engine = new CorrelationEngine(RULES, store);
    expect((await engine.observe(observations)).length).toBeGreaterThan(0);
    expect(await engine.observe(shuffled(observations, seededRandom(9)))).toEqual([]);
    expect(await new CorrelationEngine(RULES, store).observe(observations)).toEqual([]);
  });
});

/** A StateStore that records what is read and written. */
class RecordingStore implements StateStore {
  readonly puts: Array<{ key: string; value: StoredObservation[]; stored: boolean }> = [];
  gets = 0;
  constructor(private readonly inner: StateStore = new MemoryStateStore()) {}
  async get<T>(key: string): Promise<Versioned<T> | undefined> {
    this.gets++;
    return this.inner.get<T>(key);
  }
  async put<T>(key: string, value: T, expectedVersion: number | undefined): Promise<boolean> {
    const stored = await this.inner.put(key, value, expectedVersion);
    this.puts.push({ key, value: structuredClone(value) as StoredObservation[], stored });
    return stored;
  }
  unseen = (setKey: string, members: readonly string[]) => this.inner.unseen(setKey, members);
  remember = (setKey: string, members: readonly string[]) => this.inner.remember(setKey, members);
}

const burst = ruleOf(`title: Two root logins within ten minutes
id: two-root-logins
correlation:
  type: event_count
  rules: [root-console-login]
  group-by: [account]
  timespan: 10m
  condition: { gte: 2 }
`);
const root = (clock: string, account = '111122223333') => observation({ time: at(clock), label: 'root-console-login', account, finding: { productArn: 'arn:aws:securityhub:us-east-1:999988887777:product/999988887777/default', id: `skywatch/${clock}` } });

describe('state', () => {
  it('one value per rule and group, keyed corr/<rule id>/<32 hex>, holding only StoredObservation', async () => {
    const store = new RecordingStore();
    await new CorrelationEngine([burst], store).observe([root('12:00'), root('12:01'), root('12:02', '444455556666')]);
    expect(store.puts.map((p) => p.key)).toEqual([expect.stringMatching(/^corr\/two-root-logins\/[0-9a-f]{32}$/), expect.stringMatching(/^corr\/two-root-logins\/[0-9a-f]{32}$/)]);
    expect(new Set(store.puts.map((p) => p.key)).size).toBe(2);
    expect(store.puts[0]!.value).toEqual([
      { id: root('12:00').id, time: at('12:00'), account: '111122223333', label: 'root-console-login', severity: 'MEDIUM', summary: 'root-console-login in 111122223333', ref: 0, finding: root('12:00').finding },
      { id: root('12:01').id, time: at('12:01'), account: '111122223333', label: 'root-console-login', severity: 'MEDIUM', summary: 'root-console-login in 111122223333', ref: 0, finding: root('12:01').finding },
    ]);
  });

  it('with reportRepeated, returns the match a redelivered observation touches again, writing nothing', async () => {
    const store = new RecordingStore();
    const engine = new CorrelationEngine([burst], store, { reportRepeated: true });
    const [first] = await engine.observe([root('12:00'), root('12:01')]);
    expect(first).toBeDefined();
    const puts = store.puts.length;
    expect(await engine.observe([root('12:01')])).toEqual([first]);
    expect(store.puts.length).toBe(puts);
    expect(await new CorrelationEngine([burst], store).observe([root('12:01')])).toEqual([]);
  });

  it('ignores observations no rule names without touching state, and writes nothing for a redelivery', async () => {
    const store = new RecordingStore();
    const engine = new CorrelationEngine([burst], store);
    expect(await engine.observe([observation({ time: at('12:00'), label: 'iam-create-user' })])).toEqual([]);
    expect([store.gets, store.puts.length]).toEqual([0, 0]);
    await engine.observe([root('12:00')]);
    await engine.observe([root('12:00')]);
    expect(store.puts.length).toBe(1);
  });

  it('feeds one observation to several rules and groups', async () => {
    const byIp = ruleOf(`title: Two calls from one address
id: two-calls-one-address
correlation:
  type: event_count
  rules: ['*']
  group-by: [sourceIp]
  timespan: 10m
  condition: { gte: 2 }
`);
    const engine = new CorrelationEngine([burst, byIp], new MemoryStateStore());
    const call = (clock: string, ips: string[]) => ({ ...root(clock), fields: { ...root(clock).fields, sourceIp: ips } });
    await engine.observe([call('12:00', ['203.0.113.10', '203.0.113.20'])]);
    const matches = await engine.observe([call('12:01', ['203.0.113.10', '203.0.113.20'])]);
    expect(matches.map((m) => [m.rule.id, m.group])).toEqual([
      ['two-root-logins', { account: '111122223333' }],
      ['two-calls-one-address', { sourceIp: '203.0.113.10' }],
      ['two-calls-one-address', { sourceIp: '203.0.113.20' }],
    ]);
  });

  it('an edited rule reads fresh state rather than observations recorded for another definition', async () => {
    const store = new RecordingStore();
    await new CorrelationEngine([burst], store).observe([root('12:00')]);
    const edited: CompiledCorrelation = { ...burst, refs: ['root-console-login', 'root-password-change'] };
    await new CorrelationEngine([edited], store).observe([root('12:01')]);
    expect(store.puts[0]!.key).not.toBe(store.puts[1]!.key);
    expect(store.puts[1]!.value).toHaveLength(1);
  });

  it('refuses an observation whose time is not an instant', async () => {
    const engine = new CorrelationEngine([burst], new MemoryStateStore());
    await expect(engine.observe([{ ...root('12:00'), time: 'yesterday' }])).rejects.toThrow(/time "yesterday" is not an RFC 3339 instant/);
  });
});

describe('bounds', () => {
  it('keeps at most maxPerGroup observations, evicting the oldest', async () => {
    const store = new RecordingStore();
    const engine = new CorrelationEngine([burst], store, { maxPerGroup: 3 });
    const reports = [];
    for (const clock of ['12:00', '12:01', '12:02', '12:03', '12:04']) reports.push(await engine.observe([root(clock)]));
    expect(store.puts.map((p) => p.value.length)).toEqual([1, 2, 3, 3, 3]);
    expect(store.puts[4]!.value.map((o) => o.time)).toEqual([at('12:02'), at('12:03'), at('12:04')]);
    expect(reports.at(-1)!.map((m) => m.observations.map((o) => o.time))).toEqual([[at('12:02'), at('12:03'), at('12:04')]]);
    // An evicted observation delivered again is the oldest again: nothing changes, nothing is written.
    expect(await engine.observe([root('12:00')])).toEqual([]);
    expect(store.puts).toHaveLength(5);
  });

  it('prunes observations older than the newest minus (timespan + horizon); a late one within the horizon is still exact', async () => {
    const strict = new RecordingStore();
    const noHorizon = new CorrelationEngine([burst], strict, { horizonMs: 0 });
    await noHorizon.observe([root('12:00')]);
    await noHorizon.observe([root('14:00')]);
    expect(strict.puts.at(-1)!.value.map((o) => o.time)).toEqual([at('14:00')]);
    // 12:05 is older than 14:00 - 10m: dropped on arrival, so it meets nothing and is not written.
    expect(await noHorizon.observe([root('12:05')])).toEqual([]);
    expect(strict.puts).toHaveLength(2);

    const lenient = new CorrelationEngine([burst], new MemoryStateStore());
    await lenient.observe([root('12:00')]);
    await lenient.observe([root('14:00')]);
    expect((await lenient.observe([root('12:05')])).map((m) => [m.windowStart, m.observations.length])).toEqual([['2026-03-02T12:00:00.000Z', 2]]);
  });

  it('refuses bounds that could never hold a rule', () => {
    const store = new MemoryStateStore();
    expect(() => new CorrelationEngine([{ ...burst, minimum: 20 }], store, { maxPerGroup: 10 })).toThrow(RangeError);
    expect(() => new CorrelationEngine([burst], store, { maxPerGroup: 0 })).toThrow(RangeError);
    expect(() => new CorrelationEngine([burst], store, { horizonMs: -1 })).toThrow(RangeError);
    expect(() => new CorrelationEngine([burst, burst], store)).toThrow(/two correlation rules have the id two-root-logins/);
  });
});

describe('concurrency', () => {
  /** Once armed, holds each of the next `readers` reads until all of them have read, so they all see one version. */
  class LockstepStore extends RecordingStore {
    private waiting: Array<() => void> = [];
    private readers = 0;
    arm(readers: number): this {
      this.readers = readers;
      return this;
    }
    override async get<T>(key: string): Promise<Versioned<T> | undefined> {
      const value = await super.get<T>(key);
      if (this.readers > 0) {
        this.readers--;
        await new Promise<void>((resolve) => {
          this.waiting.push(resolve);
          if (this.readers === 0) for (const w of this.waiting.splice(0)) w();
        });
      }
      return value;
    }
  }

  it('two engines over one store, reading the same version, end with the union and report the match once', async () => {
    const store = new LockstepStore().arm(2);
    const three: CompiledCorrelation = { ...burst, minimum: 3 };
    const a = new CorrelationEngine([three], store);
    const b = new CorrelationEngine([three], store);
    const [fromA, fromB] = await Promise.all([a.observe([root('12:00'), root('12:01')]), b.observe([root('12:02')])]);
    expect(store.puts.map((p) => p.stored)).toEqual([true, false, true]);
    expect(store.puts.at(-1)!.value.map((o) => o.time)).toEqual([at('12:00'), at('12:01'), at('12:02')]);
    const all = [...fromA, ...fromB];
    expect(all.map((m) => m.observations.length)).toEqual([3]);
  });

  it('the same observation delivered to two engines at once is counted and reported once', async () => {
    const store = new LockstepStore();
    const a = new CorrelationEngine([burst], store);
    const b = new CorrelationEngine([burst], store);
    await a.observe([root('12:00')]);
    store.arm(2);
    const [fromA, fromB] = await Promise.all([a.observe([root('12:01')]), b.observe([root('12:01')])]);
    expect([...fromA, ...fromB].map((m) => m.observations.map((o) => o.time))).toEqual([[at('12:00'), at('12:01')]]);
    // The loser's write fails; re-reading, it finds the observation there and writes nothing more.
    expect(store.puts.map((p) => [p.stored, p.value.length])).toEqual([[true, 1], [true, 2], [false, 2]]);
  });

  it('gives up with CorrelationStateConflictError when every write loses', async () => {
    const inner = new MemoryStateStore();
    const losing: StateStore = { get: (k) => inner.get(k), put: async () => false, unseen: (k, m) => inner.unseen(k, m), remember: (k, m) => inner.remember(k, m) };
    const error = await new CorrelationEngine([burst], losing).observe([root('12:00')]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorrelationStateConflictError);
    expect(error).toMatchObject({ ruleId: 'two-root-logins', attempts: MAX_ATTEMPTS });
  });
});
