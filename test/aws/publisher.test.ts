/**
 * publishOutbox with the real Security Hub importer and STS credentials over the fake Security Hub:
 * every fault path, and what stays in the outbox after each.
 */
import { STSClient } from '@aws-sdk/client-sts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AssumedCredentials } from '../../central/aws/adapters/assumed-credentials.js';
import { SecurityHubImporter } from '../../central/aws/adapters/security-hub-importer.js';
import { log } from '../../central/aws/lambda/log.js';
import { CoverageTracker } from '../../central/core/coverage/tracker.js';
import { MemoryOutbox, type OutboxItem } from '../../central/core/delivery/outbox.js';
import { publishOutbox, type PublishDeps, type PublishLog } from '../../central/core/delivery/publisher.js';
import { MemoryStateStore } from '../../central/core/state/memory-store.js';
import { FINDING_WRITER_ROLE_NAME } from '../../stacks/names.js';
import { ACCOUNTS, findingsIn, laterVersion, MemoryArchive, RecordingCoverage, sampleFinding } from '../delivery/samples.js';
import { ManualClock } from '../support/detector.js';
import { restoreCheckedFakes, SecurityHubFake, type SecurityHubFakeOptions } from '../support/security-hub-fake.js';

const { prod, dev, data, central } = ACCOUNTS;
const fakes: SecurityHubFake[] = [];

afterEach(() => {
  restoreCheckedFakes(fakes);
  vi.restoreAllMocks();
});

/** A publisher over the fake, a memory outbox and archive, and a clock the sleeps move. */
function setup(options: Partial<SecurityHubFakeOptions> = {}) {
  const clock = new ManualClock();
  const sleeps: number[] = [];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
    clock.advance(ms);
  };
  const fake = new SecurityHubFake({ clock, ...options });
  fakes.push(fake);
  const sts = new STSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' } });
  const importer = new SecurityHubImporter(new AssumedCredentials({ sts, roleName: FINDING_WRITER_ROLE_NAME, clock }));
  const outbox = new MemoryOutbox();
  const archive = new MemoryArchive();
  const coverage = new RecordingCoverage();
  const logged: Array<[string, string, Record<string, unknown> | undefined]> = [];
  const recorder: PublishLog = {
    info: (m, d) => void logged.push(['info', m, d]),
    warn: (m, d) => void logged.push(['warn', m, d]),
    error: (m, d) => void logged.push(['error', m, d]),
  };
  const deps: PublishDeps = { outbox, importer, archive, coverage, clock, sleep, random: () => 0.5, log: recorder };
  const publish = (extra: Partial<PublishDeps> = {}) => publishOutbox({ ...deps, ...extra });
  return { clock, sleeps, fake, outbox, archive, coverage, logged, publish, deps };
}

async function pending(outbox: MemoryOutbox): Promise<OutboxItem[]> {
  const items: OutboxItem[] = [];
  for await (const page of outbox.pages()) items.push(...page);
  return items;
}

const idsOf = (findings: ReadonlyArray<{ Id: string }>) => findings.map((f) => f.Id).sort();

describe('publishing the outbox to Security Hub', () => {
  it('imports each finding in its own account and region, archives it as OCSF and empties the outbox', async () => {
    const { fake, outbox, archive, coverage, publish } = setup();
    const places = [`${prod}/eu-west-1`, `${prod}/us-east-1`, `${dev}/eu-west-1`, `${data}/ap-southeast-2`];
    const findings = findingsIn(places, 3);
    await outbox.put(findings);

    const result = await publish();

    expect(result).toEqual({ imported: 12, failed: 0, heldBack: 0, requests: 4, throttled: 0, accountsOff: 0 });
    expect(idsOf(fake.findings())).toEqual(idsOf(findings));
    expect(fake.calls.map((c) => `${c.account}/${c.region}:${c.ids.length}:${c.outcome}`).sort()).toEqual(places.map((p) => `${p}:3:accepted`).sort());
    expect(fake.counters.wrongAccount).toBe(0);
    expect(fake.counters.assumeRoles).toBe(3);
    expect(outbox.size).toBe(0);
    expect(archive.records.map((r) => r.finding_info.uid).sort()).toEqual(idsOf(findings));
    expect(coverage.calls).toEqual(places.map((p) => ['close', 'security-hub-off', ...p.split('/')]));
  });

  it('never mixes accounts or regions in one request, even when a page interleaves them', async () => {
    const { fake, outbox, publish } = setup();
    const places = [prod, dev, data].flatMap((a) => [`${a}/eu-west-1`, `${a}/us-east-1`]);
    await outbox.put(findingsIn(places, 40));

    const result = await publish({ limits: { pageSize: 70 } });

    expect(result.imported).toBe(240);
    expect(fake.counters.wrongAccount).toBe(0);
    for (const call of fake.calls) for (const id of call.ids) expect(id.startsWith(`skywatch/${call.region}/${call.account}/`), id).toBe(true);
  });

  it('retries a throttled request with jittered backoff and then imports it', async () => {
    const { fake, outbox, sleeps, publish } = setup();
    const findings = findingsIn([`${prod}/eu-west-1`], 5);
    await outbox.put(findings);
    fake.failNext('throttle', 2);

    const result = await publish();

    expect(result).toEqual({ imported: 5, failed: 0, heldBack: 0, requests: 3, throttled: 2, accountsOff: 0 });
    // Full jitter with random 0.5: half of 200 ms, then half of 400 ms.
    expect(sleeps).toEqual([100, 200]);
    expect(fake.calls.map((c) => c.outcome)).toEqual(['throttled', 'throttled', 'accepted']);
    expect(outbox.size).toBe(0);
  });

  it('leaves findings in the outbox, marked failed, when throttling outlasts every attempt', async () => {
    const { fake, outbox, archive, sleeps, publish } = setup();
    const findings = findingsIn([`${prod}/eu-west-1`], 2);
    await outbox.put(findings);
    fake.failNext('throttle', 5);

    const result = await publish();

    expect(result).toEqual({ imported: 0, failed: 2, heldBack: 0, requests: 5, throttled: 5, accountsOff: 0 });
    expect(sleeps).toEqual([100, 200, 400, 800]);
    expect(archive.records).toEqual([]);
    const reason = `ImportThrottledError: Security Hub throttled an import in ${prod}/eu-west-1 (TooManyRequestsException) after 5 attempts`;
    expect(await pending(outbox)).toEqual(findings.map((finding) => ({ finding, attempts: 1, lastError: reason })));

    expect((await publish()).imported).toBe(2);
    expect(outbox.size).toBe(0);
  });

  it('retries a request that failed with a 500 and imports it', async () => {
    const { fake, outbox, publish } = setup();
    await outbox.put(findingsIn([`${dev}/us-east-1`], 4));
    fake.failNext('server');

    const result = await publish();

    expect(result).toEqual({ imported: 4, failed: 0, heldBack: 0, requests: 2, throttled: 0, accountsOff: 0 });
    expect(fake.counters.serverErrors).toBe(1);
    expect(fake.calls.map((c) => c.outcome)).toEqual(['server-error', 'accepted']);
  });

  it('retries only the findings that failed for the service, and marks the invalid ones failed with their code', async () => {
    const { fake, outbox, logged, publish } = setup();
    const [a, b, c] = findingsIn([`${prod}/eu-west-1`], 3) as [ReturnType<typeof sampleFinding>, ReturnType<typeof sampleFinding>, ReturnType<typeof sampleFinding>];
    await outbox.put([a, b, c]);
    fake.refuseOnce(a.Id, 'InternalException', 'Internal service error');
    fake.refuseOnce(b.Id, 'InvalidInput', 'Finding does not adhere to the AWS Security Finding Format');

    const result = await publish();

    expect(result).toEqual({ imported: 2, failed: 1, heldBack: 0, requests: 2, throttled: 0, accountsOff: 0 });
    expect(fake.calls.map((call) => call.ids)).toEqual([[a.Id, b.Id, c.Id], [a.Id]]);
    expect(idsOf(fake.findings())).toEqual(idsOf([a, c]));
    expect(await pending(outbox)).toEqual([{ finding: b, attempts: 1, lastError: 'Security Hub refused the finding: InvalidInput: Finding does not adhere to the AWS Security Finding Format' }]);
    expect(logged.filter(([level]) => level === 'warn')).toEqual([['warn', 'finding refused', { account: prod, region: 'eu-west-1', findingId: b.Id, code: 'InvalidInput' }]]);
    expect(logged.filter(([, message]) => message === 'import request')).toEqual([
      ['info', 'import request', { account: prod, region: 'eu-west-1', count: 3, failedCount: 2, codes: ['InternalException', 'InvalidInput'] }],
      ['info', 'import request', { account: prod, region: 'eu-west-1', count: 1, failedCount: 0, codes: [] }],
    ]);
  });

  it('keeps the findings of an account where Security Hub is off, opens one gap and stops sending there', async () => {
    const { fake, outbox, archive, coverage, publish } = setup({ off: [`${prod}/eu-west-1`] });
    const off = findingsIn([`${prod}/eu-west-1`], 150);
    const on = findingsIn([`${dev}/eu-west-1`], 2);
    await outbox.put([...off, ...on]);

    const result = await publish();

    expect(result).toEqual({ imported: 2, failed: 100, heldBack: 50, requests: 2, throttled: 0, accountsOff: 1 });
    expect(fake.calls.map((c) => [c.account, c.ids.length])).toEqual([[prod, 100], [dev, 2]]);
    expect(coverage.calls).toEqual([
      ['open', 'security-hub-off', prod, 'eu-west-1', 'BatchImportFindings answered InvalidAccess in eu-west-1: Security Hub is not enabled there; findings wait in the outbox.'],
      ['close', 'security-hub-off', dev, 'eu-west-1'],
    ]);
    const left = await pending(outbox);
    expect(idsOf(left.map((i) => i.finding))).toEqual(idsOf(off));
    expect(left.filter((i) => i.attempts === 1).map((i) => i.lastError)).toEqual(Array(100).fill(`Security Hub is off in ${prod}/eu-west-1 (InvalidAccess)`));
    expect(left.filter((i) => i.attempts === 0)).toHaveLength(50);
    expect(archive.records.map((r) => r.finding_info.uid).sort()).toEqual(idsOf(on));

    fake.turnOn(prod, 'eu-west-1');
    const after = await publish();

    expect(after).toEqual({ imported: 150, failed: 0, heldBack: 0, requests: 2, throttled: 0, accountsOff: 0 });
    expect(coverage.calls.slice(2)).toEqual([['close', 'security-hub-off', prod, 'eu-west-1']]);
    expect(outbox.size).toBe(0);
  });

  it('raises exactly one coverage finding for Security Hub off, in the central account, and archives it once it is on again', async () => {
    const { fake, outbox, clock, deps } = setup({ off: [`${dev}/us-east-1`] });
    const coverage = new CoverageTracker({ state: new MemoryStateStore(), outbox, clock, centralAccount: central, homeRegion: 'eu-west-1' });
    const publish = () => publishOutbox({ ...deps, coverage });
    const held = findingsIn([`${dev}/us-east-1`], 3);
    await outbox.put(held);
    const gapId = `skywatch/coverage/security-hub-off/${dev}`;

    await publish();
    clock.advance(60_000);
    // The gap's finding waits in the outbox next to the held findings; the next run imports it centrally.
    await publish();
    clock.advance(60_000);
    await publish();

    const gap = fake.finding(`arn:aws:securityhub:eu-west-1:${central}:product/${central}/default`, gapId);
    expect(gap?.RecordState).toBe('ACTIVE');
    expect(fake.findings().map((f) => f.Id)).toEqual([gapId]);
    expect(idsOf((await pending(outbox)).map((i) => i.finding))).toEqual(idsOf(held));

    fake.turnOn(dev, 'us-east-1');
    clock.advance(60_000);
    await publish();
    await publish();

    const closed = fake.finding(`arn:aws:securityhub:eu-west-1:${central}:product/${central}/default`, gapId);
    expect(closed?.RecordState).toBe('ARCHIVED');
    expect(closed?.CreatedAt).toBe(gap?.CreatedAt);
    expect(fake.findings()).toHaveLength(4);
    expect(outbox.size).toBe(0);
  });

  it('assumes the role again once when Security Hub says the credentials expired', async () => {
    const { fake, outbox, publish } = setup();
    const [finding] = findingsIn([`${prod}/eu-west-1`], 1);
    await outbox.put([finding!]);
    await publish();
    fake.expireCredentials(prod);
    await outbox.put([laterVersion(finding!)]);

    const result = await publish();

    expect(result).toEqual({ imported: 1, failed: 0, heldBack: 0, requests: 1, throttled: 0, accountsOff: 0 });
    expect(fake.calls.map((c) => c.outcome)).toEqual(['accepted', 'expired', 'accepted']);
    expect(fake.counters.assumeRoles).toBe(2);
    expect(fake.findings()[0]?.UpdatedAt).toBe(laterVersion(finding!).UpdatedAt);
  });

  it('holds back an account whose role cannot be assumed and publishes the others', async () => {
    const { fake, outbox, publish } = setup();
    fake.refuseRole(dev);
    const blocked = findingsIn([`${dev}/eu-west-1`, `${dev}/us-east-1`], 2);
    const fine = findingsIn([`${prod}/eu-west-1`], 2);
    await outbox.put([...blocked, ...fine]);

    const result = await publish();

    expect(result).toEqual({ imported: 2, failed: 2, heldBack: 2, requests: 2, throttled: 0, accountsOff: 0 });
    const left = await pending(outbox);
    expect(idsOf(left.map((i) => i.finding))).toEqual(idsOf(blocked));
    expect(left.map((i) => i.lastError).filter(Boolean)).toEqual(Array(2).fill(`no usable credentials for ${dev} (AccessDenied)`));
  });

  it('holds back a region where the import call itself is denied', async () => {
    const { fake, outbox, publish } = setup();
    await outbox.put(findingsIn([`${prod}/eu-west-1`], 150));
    fake.failNext('denied');

    const result = await publish();

    expect(result).toEqual({ imported: 0, failed: 100, heldBack: 50, requests: 1, throttled: 0, accountsOff: 0 });
    expect((await pending(outbox))[0]?.lastError).toBe(`Security Hub refused an import in ${prod}/eu-west-1 (AccessDeniedException)`);
  });

  it('removes a finding only when Security Hub accepted that version: a newer one put meanwhile stays pending', async () => {
    const { fake, outbox, archive, publish } = setup();
    const [finding] = findingsIn([`${data}/eu-central-1`], 1);
    const newer = laterVersion(finding!);
    await outbox.put([finding!]);
    archive.onWrite = async () => {
      // A detector updates the finding while the first version is being delivered.
      if (archive.records.length === 0) await outbox.put([newer]);
    };

    expect((await publish()).imported).toBe(1);
    expect(await pending(outbox)).toEqual([{ finding: newer, attempts: 0 }]);
    expect(fake.findings()[0]?.UpdatedAt).toBe(finding!.UpdatedAt);

    expect((await publish()).imported).toBe(1);
    expect(outbox.size).toBe(0);
    expect(fake.findings()).toEqual([{ ...newer, CreatedAt: finding!.CreatedAt }]);
    expect(archive.records.map((r) => [r.activity_name, r.finding_info.modified_time])).toEqual([
      ['Create', Date.parse(finding!.UpdatedAt)],
      ['Update', Date.parse(newer.UpdatedAt)],
    ]);
  });

  it('keeps a finding pending when its OCSF record could not be written, though Security Hub has it', async () => {
    const { fake, outbox, archive, publish } = setup();
    await outbox.put(findingsIn([`${prod}/eu-west-1`], 1));
    archive.onWrite = async () => {
      throw new Error('archive unavailable');
    };

    await expect(publish()).rejects.toThrow('archive unavailable');
    expect(fake.findings()).toHaveLength(1);
    expect(outbox.size).toBe(1);

    archive.onWrite = async () => {};
    expect((await publish()).imported).toBe(1);
    // Security Hub ignores the version it already has; the outbox is emptied all the same.
    expect(fake.counters.ignoredStale).toBe(1);
    expect(outbox.size).toBe(0);
  });

  it('writes OCSF records only for the findings Security Hub accepted', async () => {
    const { fake, outbox, archive, publish } = setup({ off: [`${data}/eu-west-1`] });
    const accepted = findingsIn([`${prod}/eu-west-1`], 2);
    const refused = sampleFinding(dev, 'eu-west-1', 9);
    await outbox.put([...accepted, refused, ...findingsIn([`${data}/eu-west-1`], 2)]);
    fake.refuseOnce(refused.Id, 'InvalidInput');

    await publish();

    expect(archive.records.map((r) => r.finding_info.uid).sort()).toEqual(idsOf(accepted));
    for (const record of archive.records) {
      expect(record).toMatchObject({ class_uid: 2004, category_uid: 2, activity_id: 1, type_uid: 200401, severity_id: 4, cloud: { provider: 'AWS', region: 'eu-west-1', account: { uid: prod } } });
    }
  });

  it('does not send a finding over 240 KB and keeps it in the outbox with the reason', async () => {
    const { fake, outbox, publish } = setup();
    const small = sampleFinding(prod, 'eu-west-1', 1);
    const big = sampleFinding(prod, 'eu-west-1', 2, { Title: 'x'.repeat(250 * 1024) });
    await outbox.put([small, big]);

    const result = await publish();

    expect(result).toEqual({ imported: 1, failed: 1, heldBack: 0, requests: 1, throttled: 0, accountsOff: 0 });
    expect(fake.calls.map((c) => c.ids)).toEqual([[small.Id]]);
    const [left] = await pending(outbox);
    expect(left?.finding.Id).toBe(big.Id);
    expect(left?.lastError).toMatch(/^finding is \d+ bytes of JSON; Security Hub accepts at most 245760$/);
  });

  it('waits for its own rate limit instead of being throttled', async () => {
    const { fake, outbox, sleeps, publish } = setup();
    await outbox.put(findingsIn([`${prod}/eu-west-1`], 4_000));

    const result = await publish();

    expect(result).toEqual({ imported: 4_000, failed: 0, heldBack: 0, requests: 40, throttled: 0, accountsOff: 0 });
    // 30 requests in the burst, then one every 100 ms.
    expect(sleeps).toEqual(Array(10).fill(100));
    expect(fake.counters.throttled).toBe(0);
  });

  it('backs off until the service lets it through when it sends faster than Security Hub allows', async () => {
    const { fake, outbox, publish } = setup();
    await outbox.put(findingsIn([`${prod}/eu-west-1`], 4_000));

    const result = await publish({ limits: { rate: { rate: 1000, burst: 1000 } } });

    expect(result.imported).toBe(4_000);
    expect(result.throttled).toBe(fake.counters.throttled);
    expect(result.throttled).toBeGreaterThan(0);
    expect(result.requests).toBe(40 + result.throttled);
  });

  it('starts no request at or after the deadline and holds the rest back untouched', async () => {
    const { fake, outbox, clock, publish } = setup();
    await outbox.put(findingsIn([`${prod}/eu-west-1`, `${dev}/eu-west-1`], 3));

    const result = await publish({ deadline: clock.now() });

    expect(result).toEqual({ imported: 0, failed: 0, heldBack: 6, requests: 0, throttled: 0, accountsOff: 0 });
    expect(fake.calls).toEqual([]);
    expect((await pending(outbox)).every((i) => i.attempts === 0)).toBe(true);
  });

  it('gives up a retry whose backoff would end after the deadline', async () => {
    const { fake, outbox, clock, sleeps, publish } = setup();
    await outbox.put(findingsIn([`${prod}/eu-west-1`], 2));
    fake.failNext('throttle');

    const result = await publish({ deadline: new Date(clock.now().getTime() + 50) });

    expect(result).toEqual({ imported: 0, failed: 2, heldBack: 0, requests: 1, throttled: 1, accountsOff: 0 });
    expect(sleeps).toEqual([]);
  });

  it('delivers everything over a run of seeded throttling and server errors, never to the wrong account', async () => {
    const { fake, outbox, clock, publish } = setup({ seed: 20261121, throttleProbability: 0.3, serverErrorProbability: 0.15 });
    const places = [prod, dev, data].flatMap((a) => [`${a}/eu-west-1`, `${a}/us-east-1`]);
    const findings = findingsIn(places, 120);
    await outbox.put(findings);

    let runs = 0;
    while (outbox.size > 0 && runs < 10) {
      await publish();
      clock.advance(5 * 60_000);
      runs += 1;
    }

    expect(outbox.size).toBe(0);
    expect(idsOf(fake.findings())).toEqual(idsOf(findings));
    expect(fake.counters.throttled).toBeGreaterThan(0);
    expect(fake.counters.serverErrors).toBeGreaterThan(0);
    expect(fake.counters.wrongAccount).toBe(0);
  });

  it('writes no credential value to the console, whatever goes wrong', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...args) => void lines.push(args.join(' ')));
    vi.spyOn(console, 'error').mockImplementation((...args) => void lines.push(args.join(' ')));
    const { fake, outbox, publish } = setup({ off: [`${data}/eu-west-1`] });
    const [first] = findingsIn([`${prod}/eu-west-1`], 1);
    await outbox.put([first!, ...findingsIn([`${dev}/eu-west-1`, `${data}/eu-west-1`], 2)]);
    await publish({ log });
    fake.expireCredentials();
    fake.failNext('throttle');
    fake.failNext('server');
    fake.refuseOnce(sampleFinding(dev, 'eu-west-1', 0).Id, 'InvalidInput', 'Finding is invalid');
    await outbox.put([laterVersion(first!), ...findingsIn([`${dev}/eu-west-1`], 2).map((f) => laterVersion(f))]);
    await publish({ log });

    const output = lines.join('\n');
    expect(output).toContain('"message":"import request"');
    expect(output).toContain('"message":"security hub off"');
    expect(output).toContain('"message":"finding refused"');
    const secrets = fake.issuedSecrets();
    // Three accounts, each assumed twice (the second time after the expiry): key id, secret and token each.
    expect(secrets.length).toBe(18);
    for (const secret of secrets) expect(output).not.toContain(secret);
  });
});
