import { describe, expect, it } from 'vitest';
import { CorrelationEngine } from '../../central/core/correlation/engine.js';
import type { Observation } from '../../central/core/correlation/observation.js';
import { MemoryStateStore } from '../../central/core/state/memory-store.js';
import { at, finalMatches, observation, ruleOf, summary } from './support.js';

const ALICE = 'arn:aws:iam::111122223333:user/alice';
const BOB = 'arn:aws:iam::111122223333:user/bob';
const KEY = 'AKIAIOSFODNN7EXAMPLE';
const SESSION_KEY = 'ASIAY34FZKBOKMUTVV7A';

const engineFor = (text: string, options?: ConstructorParameters<typeof CorrelationEngine>[2]) => new CorrelationEngine([ruleOf(text)], new MemoryStateStore(), options);

/** Feeds observations one call each and returns every report. */
async function feed(engine: CorrelationEngine, observations: readonly Observation[]) {
  const reports = [];
  for (const o of observations) reports.push(await engine.observe([o]));
  return reports;
}

const loginFailures = (gte: string) => `title: Repeated console login failures for one user
id: console-login-failures
level: medium
correlation:
  type: event_count
  rules: [console-login-failed]
  group-by: [actor.arn]
  timespan: 10m
  condition: { ${gte} }
`;
const failure = (clock: string, arn = ALICE, n = clock) =>
  observation({ time: at(clock), label: 'console-login-failed', eventId: `login-${arn}-${n}`, fields: { 'actor.arn': [arn], sourceIp: ['203.0.113.10'] } });

describe('event_count', () => {
  it('fires at the minimum, not below it, and grows above it', async () => {
    const engine = engineFor(loginFailures('gte: 3'));
    const [one, two, three, four] = await feed(engine, [failure('12:00'), failure('12:02'), failure('12:04'), failure('12:06')]);
    expect([one, two]).toEqual([[], []]);
    expect(three!.map(summary)).toEqual([
      { rule: 'console-login-failures', group: { 'actor.arn': ALICE }, window: '2026-03-02T12:00:00.000Z/2026-03-02T12:10:00.000Z', ids: [failure('12:00').id, failure('12:02').id, failure('12:04').id], accounts: ['111122223333'] },
    ]);
    expect(four!.map((m) => m.observations.length)).toEqual([4]);
  });

  it('gt: 3 needs a fourth', async () => {
    const engine = engineFor(loginFailures('gt: 3'));
    const reports = await feed(engine, [failure('12:00'), failure('12:02'), failure('12:04'), failure('12:06')]);
    expect(reports.map((r) => r.length)).toEqual([0, 0, 0, 1]);
  });

  it('counts each group apart and only within the timespan', async () => {
    const engine = engineFor(loginFailures('gte: 3'));
    const spread = await feed(engine, [failure('12:00'), failure('12:05'), failure('12:11'), failure('12:12', BOB), failure('12:13', BOB)]);
    // W(12:11) = (12:01, 12:11] holds two of alice's; bob has two.
    expect(spread.flat()).toEqual([]);
  });

  it('counts an observation once however often it is delivered', async () => {
    const engine = engineFor(loginFailures('gte: 3'));
    const reports = await feed(engine, [failure('12:00'), failure('12:00'), failure('12:01'), failure('12:01')]);
    expect(reports.flat()).toEqual([]);
    expect((await engine.observe([failure('12:02'), failure('12:02')])).map((m) => m.observations.length)).toEqual([3]);
  });
});

describe('value_count', () => {
  const rule = `title: One access key used from one IP in three or more accounts within an hour
id: access-key-one-ip-many-accounts
level: high
correlation:
  type: value_count
  rules: ['*']
  group-by: [actor.accessKeyId, sourceIp]
  timespan: 1h
  condition: { field: account, gte: 3 }
`;
  const call = (clock: string, account: string, ip = '203.0.113.10', key = KEY, label = 'sts-get-caller-identity') =>
    observation({ time: at(clock), label, account, eventId: `call-${account}-${clock}-${ip}-${key}`, fields: { 'actor.accessKeyId': [key], sourceIp: [ip] } });

  it('counts distinct accounts of one key and address', async () => {
    const engine = engineFor(rule);
    const reports = await feed(engine, [call('12:00', '111122223333'), call('12:10', '444455556666'), call('12:20', '777788889999')]);
    expect(reports.map((r) => r.length)).toEqual([0, 0, 1]);
    const match = reports[2]![0]!;
    expect(match.accounts).toEqual(['111122223333', '444455556666', '777788889999']);
    expect(match.group).toEqual({ 'actor.accessKeyId': KEY, sourceIp: '203.0.113.10' });
    expect([match.windowStart, match.windowEnd]).toEqual(['2026-03-02T12:00:00.000Z', '2026-03-02T13:00:00.000Z']);
  });

  it('a repeated account does not count twice; another address or key is another group', async () => {
    const engine = engineFor(rule);
    const reports = await feed(engine, [
      call('12:00', '111122223333'),
      call('12:05', '111122223333', '203.0.113.10', KEY, 'ec2-describe-instances'),
      call('12:10', '111122223333', '203.0.113.10', KEY, 's3-list-buckets'),
      call('12:15', '444455556666'),
      call('12:20', '777788889999', '203.0.113.99'),
      call('12:25', '777788889999', '203.0.113.10', SESSION_KEY),
    ]);
    expect(reports.flat()).toEqual([]);
    const third = await engine.observe([call('12:30', '777788889999')]);
    expect(third.map((m) => [m.accounts, m.observations.length])).toEqual([[['111122223333', '444455556666', '777788889999'], 5]]);
  });

  it('an observation without a group-by value joins no group, rather than one keyed "undefined"', async () => {
    const engine = engineFor(rule);
    const noKey = (clock: string, account: string) => observation({ time: at(clock), label: 'console-login', account, fields: { sourceIp: ['203.0.113.10'] } });
    expect((await feed(engine, [noKey('12:00', '111122223333'), noKey('12:01', '444455556666'), noKey('12:02', '777788889999')])).flat()).toEqual([]);
  });
});

describe('temporal', () => {
  const rule = (condition = '') => `title: Discovery, a new access key and logging stopped by one principal
id: recon-key-stop-logging
level: critical
correlation:
  type: temporal
  rules: [iam-list-users, iam-create-access-key, cloudtrail-stop-logging]
  group-by: [actor.arn]
  timespan: 30m
${condition}`;
  const step = (label: string, clock: string, arn = ALICE) => observation({ time: at(clock), label, fields: { 'actor.arn': [arn] } });

  it('fires when every rule is seen within the timespan, in any order', async () => {
    const engine = engineFor(rule());
    const reports = await feed(engine, [step('cloudtrail-stop-logging', '12:00'), step('iam-list-users', '12:10'), step('iam-create-access-key', '12:20')]);
    expect(reports.map((r) => r.length)).toEqual([0, 0, 1]);
    expect(reports[2]![0]!.observations.map((o) => o.label)).toEqual(['cloudtrail-stop-logging', 'iam-list-users', 'iam-create-access-key']);
  });

  it('does not fire with one missing, nor across principals, nor beyond the timespan', async () => {
    const engine = engineFor(rule());
    const reports = await feed(engine, [
      step('iam-list-users', '12:00'),
      step('iam-list-users', '12:05'),
      step('iam-create-access-key', '12:10'),
      step('cloudtrail-stop-logging', '12:15', BOB),
      step('cloudtrail-stop-logging', '12:40'),
    ]);
    // Bob's stop is his alone, and the window of alice's (12:10, 12:40] holds nothing else of hers.
    expect(reports.flat()).toEqual([]);
  });

  it('a condition asks for fewer distinct rules', async () => {
    const engine = engineFor(rule('  condition: { gte: 2 }\n'));
    const reports = await feed(engine, [step('iam-list-users', '12:00'), step('iam-list-users', '12:01'), step('cloudtrail-stop-logging', '12:02')]);
    expect(reports.map((r) => r.length)).toEqual([0, 0, 1]);
  });
});

describe('temporal_ordered', () => {
  const rule = (condition = '') => `title: A user created, made admin and given a key, in that order
id: user-admin-key-sequence
level: high
correlation:
  type: temporal_ordered
  rules: [iam-create-user, iam-attach-admin-policy, iam-create-access-key]
  group-by: [actor.arn]
  timespan: 1h
${condition}`;
  const step = (label: string, clock: string) => observation({ time: at(clock), label, fields: { 'actor.arn': [ALICE] } });

  it('fires in the listed order', async () => {
    const reports = await feed(engineFor(rule()), [step('iam-create-user', '12:00'), step('iam-attach-admin-policy', '12:05'), step('iam-create-access-key', '12:10')]);
    expect(reports.map((r) => r.length)).toEqual([0, 0, 1]);
  });

  it('does not fire in another order, whatever order they arrive in', async () => {
    const wrong = [step('iam-attach-admin-policy', '12:00'), step('iam-create-user', '12:05'), step('iam-create-access-key', '12:10')];
    expect((await feed(engineFor(rule()), wrong)).flat()).toEqual([]);
    expect((await feed(engineFor(rule()), [...wrong].reverse())).flat()).toEqual([]);
  });

  it('observations at the same instant count as in order', async () => {
    const reports = await feed(engineFor(rule()), [step('iam-create-access-key', '12:05'), step('iam-attach-admin-policy', '12:05'), step('iam-create-user', '12:00')]);
    expect(reports.flat().map((m) => m.observations.length)).toEqual([3]);
  });

  it('finds the order as a subsequence among other observations', async () => {
    const reports = await feed(engineFor(rule()), [
      step('iam-attach-admin-policy', '12:00'),
      step('iam-create-access-key', '12:01'),
      step('iam-create-user', '12:02'),
      step('iam-create-access-key', '12:03'),
      step('iam-attach-admin-policy', '12:04'),
      step('iam-create-access-key', '12:05'),
    ]);
    expect(reports.map((r) => r.length)).toEqual([0, 0, 0, 0, 0, 1]);
  });

  it('with a condition, the first entries in order suffice', async () => {
    expect((await feed(engineFor(rule('  condition: { gte: 2 }\n')), [step('iam-create-user', '12:00'), step('iam-attach-admin-policy', '12:05')])).flat()).toHaveLength(1);
    expect((await feed(engineFor(rule('  condition: { gte: 2 }\n')), [step('iam-attach-admin-policy', '12:00'), step('iam-create-access-key', '12:05')])).flat()).toEqual([]);
  });
});

describe('aliases', () => {
  const rule = `title: An address GuardDuty flagged logs in to the console in another account
id: flagged-ip-console-login
level: high
correlation:
  type: temporal
  rules: ['guardduty:Recon:IAMUser/MaliciousIPCaller', console-login-success]
  group-by: [ip]
  timespan: 1h
  aliases:
    ip:
      'guardduty:Recon:IAMUser/MaliciousIPCaller': raw.detail.service.action.awsApiCallAction.remoteIpDetails.ipAddressV4
      console-login-success: sourceIp
`;
  const guardDuty = (ip: string) =>
    observation({
      time: at('12:00'),
      label: 'guardduty:Recon:IAMUser/MaliciousIPCaller',
      account: '444455556666',
      // A GuardDuty finding's own sourceIp (here the service's address) is not the one the alias reads.
      fields: { sourceIp: ['198.51.100.1'], 'raw.detail.service.action.awsApiCallAction.remoteIpDetails.ipAddressV4': [ip] },
    });
  const login = (ip: string) => observation({ time: at('12:20'), label: 'console-login-success', account: '111122223333', fields: { sourceIp: [ip], 'actor.arn': [ALICE] } });

  it('joins two rules whose address is in different fields into one group', async () => {
    const engine = engineFor(rule);
    const reports = await feed(engine, [guardDuty('203.0.113.7'), login('203.0.113.7')]);
    expect(reports.map((r) => r.map((m) => [m.group, m.accounts]))).toEqual([[], [[{ ip: '203.0.113.7' }, ['111122223333', '444455556666']]]]);
  });

  it('different addresses do not join', async () => {
    expect((await feed(engineFor(rule), [guardDuty('203.0.113.7'), login('203.0.113.8'), login('198.51.100.1')])).flat()).toEqual([]);
  });
});

describe('multi-valued group-by', () => {
  it('joins an observation to one group per value', async () => {
    const engine = engineFor(`title: Two reads of one bucket
id: two-reads-one-bucket
correlation:
  type: event_count
  rules: ['s3-*']
  group-by: [resource.id]
  timespan: 10m
  condition: { gte: 2 }
`);
    const read = (clock: string, buckets: string[]) => observation({ time: at(clock), label: 's3-get-object', fields: { 'resource.id': buckets } });
    const reports = await feed(engine, [read('12:00', ['arn:aws:s3:::payroll', 'arn:aws:s3:::logs']), read('12:01', ['arn:aws:s3:::logs']), read('12:02', ['arn:aws:s3:::other'])]);
    expect(reports.map((r) => r.map((m) => m.group))).toEqual([[], [{ 'resource.id': 'arn:aws:s3:::logs' }], []]);
  });
});

describe('timespan edges', () => {
  const pair = `title: Two root logins within an hour
id: two-root-logins
correlation:
  type: event_count
  rules: [root-console-login]
  group-by: [account]
  timespan: 1h
  condition: { gte: 2 }
`;
  const root = (time: string) => observation({ time, label: 'root-console-login' });

  it('the window (t - T, t] excludes an observation exactly one timespan earlier', async () => {
    expect((await feed(engineFor(pair), [root(at('12:00')), root(at('13:00'))])).flat()).toEqual([]);
    const caught = (await feed(engineFor(pair), [root(at('12:00:01')), root(at('13:00'))])).flat();
    expect(caught.map((m) => m.windowStart)).toEqual(['2026-03-02T13:00:00.000Z']);
    // Milliseconds count: 12:00:00.001 is inside (12:00, 13:00].
    expect((await feed(engineFor(pair), [root('2026-03-02T12:00:00.001Z'), root(at('13:00'))])).flat()).toHaveLength(1);
  });

  it('a burst straddling the hour (12:50, 12:55, 13:05) is caught, in bucket 13:00, whichever arrives last', async () => {
    const burst = [root(at('12:50')), root(at('12:55')), root(at('13:05'))];
    for (const order of [burst, [...burst].reverse(), [burst[2]!, burst[0]!, burst[1]!]]) {
      const reports = await feed(engineFor(pair.replace('gte: 2', 'gte: 3')), order);
      expect(reports.map((r) => r.length)).toEqual([0, 0, 1]);
      expect(reports.flat().map((m) => [m.windowStart, m.windowEnd, m.observations.map((o) => o.time)])).toEqual([
        ['2026-03-02T13:00:00.000Z', '2026-03-02T14:00:00.000Z', [at('12:50'), at('12:55'), at('13:05')]],
      ]);
    }
  });

  it('a burst continuing into the next bucket gives a match per bucket it completes in', async () => {
    const engine = engineFor(pair.replace('gte: 2', 'gte: 3'));
    const reports = await feed(engine, [root(at('12:10')), root(at('12:20')), root(at('12:30')), root(at('13:05'))]);
    expect(finalMatches(reports).map((m) => [m.window.slice(11, 16), m.ids.length])).toEqual([
      ['12:00', 3],
      ['13:00', 4],
    ]);
  });

  it('the content is every qualifying window of the bucket, including observations that came later in it', async () => {
    const engine = engineFor(pair);
    const reports = await feed(engine, [root(at('12:10')), root(at('12:20')), root(at('12:59')), root(at('14:30')), observation({ time: at('12:30'), label: 'root-console-login', account: '444455556666' })]);
    // Reported when created and when it grows; an observation that leaves it as it is (later, or another group) reports nothing.
    expect(reports.map((r) => r.map((m) => m.observations.length))).toEqual([[], [2], [3], [], []]);
  });

  it('buckets are aligned to the Unix epoch in UTC, whatever offset times are written with', async () => {
    const engine = engineFor(pair);
    const reports = await feed(engine, [root('2026-03-02T14:30:00+02:00'), root('2026-03-02T12:40:00Z')]);
    expect(reports.flat().map((m) => m.windowStart)).toEqual(['2026-03-02T12:00:00.000Z']);
  });
});
