import { AwsSecurityFinding$, BatchImportFindingsRequest$ } from '@aws-sdk/client-securityhub';
import { STSClient } from '@aws-sdk/client-sts';
import { afterEach, describe, expect, it } from 'vitest';
import { AssumedCredentials } from '../../central/aws/adapters/assumed-credentials.js';
import { SecurityHubImporter } from '../../central/aws/adapters/security-hub-importer.js';
import {
  correlationCandidate,
  correlationFindingId,
  correlationSeverity,
  wideSpreadAccounts,
  WIDE_SPREAD_ACCOUNTS,
  type CorrelationCandidate,
  type HomePlace,
} from '../../central/core/correlation/finding.js';
import type { CompiledCorrelation } from '../../central/core/correlation/compile.js';
import type { CorrelationMatch } from '../../central/core/correlation/engine.js';
import { MemoryOutbox } from '../../central/core/delivery/outbox.js';
import { publishOutbox } from '../../central/core/delivery/publisher.js';
import { isSignalFinding, SignalRoutingSink } from '../../central/core/delivery/signals.js';
import { SnapshotDirectory } from '../../central/core/directory/stored-directory.js';
import { buildFinding, productArn, type AsffFinding, type FindingDraft } from '../../central/core/findings/asff.js';
import { findingId } from '../../central/core/findings/finding-id.js';
import { FindingLedger, type Evidence } from '../../central/core/findings/ledger.js';
import type { SeverityLabel } from '../../central/core/rules/schema.js';
import type { AccountDirectory } from '../../central/core/suppressions/match.js';
import { MemoryStateStore } from '../../central/core/state/memory-store.js';
import { FINDING_WRITER_ROLE_NAME } from '../../stacks/names.js';
import { MemoryArchive, RecordingCoverage } from '../delivery/samples.js';
import { validateAsffFinding, validateRequest, validateShape } from '../support/aws-model.js';
import { ManualClock } from '../support/detector.js';
import { restoreCheckedFakes, SecurityHubFake } from '../support/security-hub-fake.js';
import { baseFinding, DATA, DEV, directory, HOME, observation, PROD, rule, threeAccountMatch } from './samples.js';

// The candidate is what the detector's private `persist` takes: this fails to compile if it stops fitting.
type PersistCandidate = { id: string; evidence: readonly Evidence[]; severity: SeverityLabel; draft: () => FindingDraft };
const fits = (c: CorrelationCandidate): PersistCandidate => c;

/** Valid under the SDK's model and ASFF's documented limits, alone and as an import request. */
function expectValid(finding: AsffFinding): void {
  expect(validateShape(AwsSecurityFinding$, finding)).toEqual([]);
  expect(validateAsffFinding(finding)).toEqual([]);
  expect(validateRequest(BatchImportFindingsRequest$, { Findings: [finding] })).toEqual([]);
}

/** Records a candidate in a ledger as the detector does and builds its finding (undefined: nothing new). */
async function record(ledger: FindingLedger, candidate: CorrelationCandidate): Promise<AsffFinding | undefined> {
  const recorded = await ledger.record(candidate.id, candidate.evidence, candidate.severity);
  if (!recorded) return undefined;
  const finding = buildFinding(fits(candidate).draft(), recorded.entry);
  await ledger.commit(candidate.id, recorded.fresh);
  expectValid(finding);
  return finding;
}

async function findingOf(match: CorrelationMatch, names: AccountDirectory | undefined = directory, home: HomePlace = HOME): Promise<AsffFinding> {
  return (await record(new FindingLedger(new MemoryStateStore(), new ManualClock()), correlationCandidate(match, home, names)))!;
}

/** `n` accounts 100000000000, 100000000001, ... with one observation each, a minute apart. */
function spread(n: number, summary = (i: number) => `IAM user backup-admin created in account ${i}`): CorrelationMatch {
  const accounts = Array.from({ length: n }, (_, i) => String(100_000_000_000 + i));
  return threeAccountMatch({
    accounts,
    observations: accounts.map((a, i) => observation(a, 'iam-user-created', `2026-11-21T11:${String(i % 60).padStart(2, '0')}:00Z`, summary(i), i + 1)),
  });
}

describe('the finding of a correlation match', () => {
  it('has exactly these fields: home place, generator, accounts, window, base findings, no Action', async () => {
    const finding = await findingOf(threeAccountMatch());
    const id = 'skywatch/eu-west-1/123456789012/correlation/iam-changes-from-one-address-across-accounts/';
    expect(finding.Id.startsWith(id) && /^[0-9a-f]{32}$/.test(finding.Id.slice(id.length))).toBe(true);
    const place = { Partition: 'aws', Region: 'eu-west-1' };
    expect(finding).toEqual({
      SchemaVersion: '2018-10-08',
      Id: finding.Id,
      ProductArn: 'arn:aws:securityhub:eu-west-1:123456789012:product/123456789012/default',
      ProductName: 'Skywatch',
      CompanyName: 'Skywatch',
      GeneratorId: 'skywatch/correlation/iam-changes-from-one-address-across-accounts',
      AwsAccountId: '123456789012',
      Region: 'eu-west-1',
      Types: ['TTPs/Persistence/IAM changes across accounts'],
      FirstObservedAt: '2026-11-21T11:02:10Z',
      LastObservedAt: '2026-11-21T11:15:30Z',
      CreatedAt: '2026-11-21T12:00:00.000Z',
      UpdatedAt: '2026-11-21T12:00:00.000Z',
      Severity: { Label: 'HIGH', Original: 'HIGH' },
      Title: 'IAM changes from one address in several accounts: prod-payments (111122223333), dev-sandbox (444455556666), 777788889999',
      Description:
        'Correlation iam-changes-from-one-address-across-accounts (value_count) matched 4 observations in 3 accounts between 2026-11-21T11:00:00Z and 2026-11-21T12:00:00Z for sourceIp 203.0.113.7. ' +
        'dev-sandbox (444455556666): 11:02:10 IAM user backup-admin created by arn:aws:iam::444455556666:user/ci; 11:02:41 Access key created for IAM user backup-admin. ' +
        'prod-payments (111122223333): 11:09:05 IAM user backup-admin created by arn:aws:iam::111122223333:user/ci. ' +
        '777788889999: 11:15:30 AdministratorAccess attached to IAM user backup-admin. ' +
        rule.description,
      Remediation: { Recommendation: { Text: rule.runbook, Url: rule.reference } },
      ProductFields: {
        'skywatch/RuleId': 'iam-changes-from-one-address-across-accounts',
        'skywatch/Status': 'active',
        'skywatch/EventKind': 'correlation',
        'skywatch/ObservationIds': [4, 3, 2, 1].map((n) => threeAccountMatch().observations[n - 1]!.id).join(','),
        'skywatch/ObservationCount': '4',
        'skywatch/MitreTechniques': 'T1098,T1136.003',
        'skywatch/CorrelationRule': 'iam-changes-from-one-address-across-accounts',
        'skywatch/CorrelationType': 'value_count',
        'skywatch/Accounts': '111122223333,444455556666,777788889999',
        'skywatch/AccountCount': '3',
        'skywatch/Window': '2026-11-21T11:00:00Z/2026-11-21T12:00:00Z',
        'skywatch/BaseRules': 'iam-user-created,iam-access-key-created,iam-policy-attached-admin',
        'skywatch/MitreTactics': 'persistence',
        'skywatch/GroupBy': 'sourceIp',
        'skywatch/SourceIp': '203.0.113.7',
        'skywatch/Group/sourceIp': '203.0.113.7',
        'skywatch/FalsePositives': 'an organization-wide automation run from one NAT address',
      },
      Resources: [
        { Type: 'Other', Id: '203.0.113.7', ...place },
        { Type: 'AwsAccount', Id: 'AWS::::Account:111122223333', ...place },
        { Type: 'AwsAccount', Id: 'AWS::::Account:444455556666', ...place },
        { Type: 'AwsAccount', Id: 'AWS::::Account:777788889999', ...place },
      ],
      RelatedFindings: [
        baseFinding(DEV, 'iam-user-created', 1),
        baseFinding(DEV, 'iam-access-key-created', 2),
        baseFinding(PROD, 'iam-user-created', 3),
        baseFinding(DATA, 'iam-policy-attached-admin', 4),
      ].map((f) => ({ ProductArn: f.productArn, Id: f.id })),
      FindingProviderFields: { Severity: { Label: 'HIGH', Original: 'HIGH' }, Types: ['TTPs/Persistence/IAM changes across accounts'] },
      RecordState: 'ACTIVE',
    });
    expect(finding).not.toHaveProperty('Action');
  });

  it('is staged when its rule is, and falls back to a type when the rule names none', async () => {
    const finding = await findingOf(threeAccountMatch({ rule: { ...rule, status: 'staged', types: [] } }));
    expect(finding.ProductFields['skywatch/Status']).toBe('staged');
    expect(finding.Types).toEqual(['Unusual Behaviors/User']);
  });

  it('names the rule of a Sigma correlation by its name as well, when it has one', async () => {
    expect((await findingOf(threeAccountMatch({ rule: { ...rule, name: 'iam_changes_one_address' } }))).ProductFields['skywatch/CorrelationName']).toBe('iam_changes_one_address');
  });
});

describe('the finding Id', () => {
  const match = threeAccountMatch();

  it('is the same on every call and for every later state of the same window', () => {
    const id = correlationFindingId(match, HOME);
    expect(correlationCandidate(match, HOME, directory).id).toBe(id);
    expect(correlationCandidate(match, HOME).id).toBe(id);
    expect(correlationFindingId(threeAccountMatch({ observations: match.observations.slice(0, 2), accounts: [DEV] }), HOME)).toBe(id);
    // The same instant written another way is the same window.
    expect(correlationFindingId({ ...match, windowStart: '2026-11-21T11:00:00.000Z' }, HOME)).toBe(id);
    expect(id).toBe(findingId('correlation/iam-changes-from-one-address-across-accounts', HOME.account, HOME.region, JSON.stringify(['203.0.113.7', '2026-11-21T11:00:00.000Z'])));
  });

  it('differs by window, group value, rule and home place', () => {
    const id = correlationFindingId(match, HOME);
    const others = [
      correlationFindingId({ ...match, windowStart: '2026-11-21T12:00:00Z' }, HOME),
      correlationFindingId({ ...match, group: { sourceIp: '203.0.113.8' } }, HOME),
      correlationFindingId({ ...match, rule: { ...rule, id: 'another-correlation' } }, HOME),
      correlationFindingId(match, { ...HOME, region: 'us-east-1' }),
      correlationFindingId(match, { ...HOME, account: '210987654321' }),
      // Not the Id a detection rule of the same id would give in the same place.
      findingId(rule.id, HOME.account, HOME.region, JSON.stringify(['203.0.113.7', '2026-11-21T11:00:00.000Z'])),
    ];
    expect(new Set([id, ...others]).size).toBe(others.length + 1);
  });

  it('reads the group values in the rule\'s group-by order, so swapped values are another group', () => {
    const two: CompiledCorrelation = { ...rule, groupBy: ['actor.accessKeyId', 'sourceIp'] };
    const a = correlationFindingId({ ...match, rule: two, group: { sourceIp: '203.0.113.7', 'actor.accessKeyId': 'AKIAIOSFODNN7EXAMPLE' } }, HOME);
    const b = correlationFindingId({ ...match, rule: two, group: { 'actor.accessKeyId': 'AKIAIOSFODNN7EXAMPLE', sourceIp: '203.0.113.7' } }, HOME);
    const swapped = correlationFindingId({ ...match, rule: two, group: { 'actor.accessKeyId': '203.0.113.7', sourceIp: 'AKIAIOSFODNN7EXAMPLE' } }, HOME);
    expect(a).toBe(b);
    expect(swapped).not.toBe(a);
  });
});

describe('evidence', () => {
  it('is one { id, time } per observation, by the observation id, so the ledger counts each once', async () => {
    const match = threeAccountMatch();
    const candidate = correlationCandidate(match, HOME, directory);
    expect(candidate.evidence).toEqual(match.observations.map((o) => ({ id: o.id, time: o.time })));

    const ledger = new FindingLedger(new MemoryStateStore(), new ManualClock());
    const first = await record(ledger, candidate);
    expect(first!.ProductFields['skywatch/ObservationCount']).toBe('4');
    // The same window evaluated again with nothing new: no update.
    expect(await record(ledger, correlationCandidate(match, HOME, directory))).toBeUndefined();
    // One more observation joins: one update, counted once.
    const joined = threeAccountMatch({ observations: [...match.observations, observation(PROD, 'iam-access-key-created', '2026-11-21T11:20:00Z', 'Access key created for IAM user backup-admin', 5)] });
    const second = await record(ledger, correlationCandidate(joined, HOME, directory));
    expect(second!.Id).toBe(first!.Id);
    expect(second!.ProductFields['skywatch/ObservationCount']).toBe('5');
    expect(second!.LastObservedAt).toBe('2026-11-21T11:20:00Z');
    expect(second!.CreatedAt).toBe(first!.CreatedAt);
  });

  it('tells two detectors seeing one event apart: the observation id, not the event id, is the evidence', () => {
    const [o] = threeAccountMatch().observations;
    const twice = threeAccountMatch({ observations: [o!, { ...o!, id: o!.id.replace('#iam-user-created', '#iam-user-created-sigma'), label: 'iam-user-created-sigma' }] });
    expect(new Set(correlationCandidate(twice, HOME).evidence.map((e) => e.id)).size).toBe(2);
  });
});

describe('accounts', () => {
  it('are sorted by id wherever they are listed, whatever order they came in', async () => {
    const match = threeAccountMatch({ accounts: [DATA, PROD, DEV] });
    const finding = await findingOf(match);
    expect(finding.ProductFields['skywatch/Accounts']).toBe('111122223333,444455556666,777788889999');
    expect(finding.Resources.filter((r) => r.Type === 'AwsAccount').map((r) => r.Id)).toEqual([PROD, DEV, DATA].map((a) => `AWS::::Account:${a}`));
    // The engine's list and the observations' accounts are joined: none is lost.
    expect((await findingOf(threeAccountMatch({ accounts: [PROD] }))).ProductFields['skywatch/Accounts']).toBe('111122223333,444455556666,777788889999');
  });

  it('are named from the directory where it knows them, by id alone where it does not or without one', async () => {
    const named = await findingOf(threeAccountMatch());
    expect(named.Title).toContain('prod-payments (111122223333), dev-sandbox (444455556666), 777788889999');
    expect(named.Description).toContain('prod-payments (111122223333): ');
    const unnamed = await findingOf(threeAccountMatch(), { describe: () => undefined });
    expect(unnamed.Title).toBe('IAM changes from one address in several accounts: 111122223333, 444455556666, 777788889999');
    expect(unnamed.Description).toContain(' 444455556666: 11:02:10 IAM user backup-admin');
  });

  it('keep to 32 resources: the group first, then as many accounts as fit; all are still in skywatch/Accounts', async () => {
    const finding = await findingOf(spread(40));
    expect(finding.Resources).toHaveLength(32);
    expect(finding.Resources[0]).toMatchObject({ Type: 'Other', Id: '203.0.113.7' });
    expect(finding.Resources.slice(1).map((r) => r.Id)).toEqual(Array.from({ length: 31 }, (_, i) => `AWS::::Account:${100_000_000_000 + i}`));
    expect(finding.ProductFields['skywatch/Accounts']!.split(',')).toHaveLength(40);
    expect(finding.ProductFields['skywatch/AccountCount']).toBe('40');
  });
});

describe('the group as resources', () => {
  const grouped = (groupBy: string[], group: Record<string, string>) => findingOf(threeAccountMatch({ rule: { ...rule, groupBy }, group }));

  it.each([
    ['an access key', 'actor.accessKeyId', 'AKIAIOSFODNN7EXAMPLE', 'AwsIamAccessKey'],
    ['a role', 'actor.roleArn', 'arn:aws:iam::111122223333:role/deploy/ci-deployer', 'AwsIamRole'],
    ['a user', 'actor.arn', 'arn:aws:iam::111122223333:user/backup-admin', 'AwsIamUser'],
    ['a role session (no role ARN: its path is unknown)', 'actor.arn', 'arn:aws:sts::111122223333:assumed-role/ci-deployer/run-42', 'Other'],
    ['a GovCloud role', 'actor.roleArn', 'arn:aws-us-gov:iam::111122223333:role/ci-deployer', 'AwsIamRole'],
    ['an address', 'sourceIp', '2001:db8::7', 'Other'],
    ['a principal id', 'actor.principalId', 'AROAEXAMPLEROLEID0901:run-42', 'Other'],
  ])('names %s by the type the ARN or value says', async (_, name, value, type) => {
    const finding = await grouped([name], { [name]: value });
    expect(finding.Resources[0]).toEqual({ Type: type, Id: value, Partition: 'aws', Region: 'eu-west-1' });
    expect(finding.Resources.slice(1).every((r) => r.Type === 'AwsAccount')).toBe(true);
  });

  it('leaves out group values that are no resource (an API name), and names the caller as other findings do', async () => {
    const finding = await grouped(['eventName', 'actor.accessKeyId', 'actor.arn'], { eventName: 'CreateUser', 'actor.accessKeyId': 'AKIAIOSFODNN7EXAMPLE', 'actor.arn': 'arn:aws:iam::111122223333:user/ci' });
    expect(finding.Resources.slice(0, 2)).toEqual([
      { Type: 'AwsIamAccessKey', Id: 'AKIAIOSFODNN7EXAMPLE', Partition: 'aws', Region: 'eu-west-1' },
      { Type: 'AwsIamUser', Id: 'arn:aws:iam::111122223333:user/ci', Partition: 'aws', Region: 'eu-west-1' },
    ]);
    expect(finding.Resources).toHaveLength(5);
    expect(finding.ProductFields).toMatchObject({
      'skywatch/GroupBy': 'eventName,actor.accessKeyId,actor.arn',
      'skywatch/Group/eventName': 'CreateUser',
      'skywatch/AccessKeyId': 'AKIAIOSFODNN7EXAMPLE',
      'skywatch/ActorArn': 'arn:aws:iam::111122223333:user/ci',
    });
    expect(finding.ProductFields).not.toHaveProperty('skywatch/SourceIp');
  });
});

describe('RelatedFindings', () => {
  it('lists each base finding once, and only the 10 most recent (the API model\'s maximum), counting the rest', async () => {
    // 14 base findings over 14 observations, then the oldest two seen again at the end (most recent now).
    const observations = Array.from({ length: 14 }, (_, i) => observation(i % 2 ? PROD : DEV, 'iam-user-created', `2026-11-21T11:${String(10 + i).padStart(2, '0')}:00Z`, `user ${i}`, i + 1));
    const again = [0, 1].map((i) => observation(i % 2 ? PROD : DEV, 'iam-user-created', `2026-11-21T11:${String(40 + i)}:00Z`, `user ${i} again`, 100 + i, { finding: observations[i]!.finding }));
    const finding = await findingOf(threeAccountMatch({ observations: [...observations, ...again], accounts: [PROD, DEV] }));
    const expected = [...observations.slice(6), ...observations.slice(0, 2)].map((o) => ({ ProductArn: o.finding!.productArn, Id: o.finding!.id }));
    expect(finding.RelatedFindings).toEqual(expected);
    expect(finding.ProductFields['skywatch/RelatedFindingsOmitted']).toBe('4');
  });

  it('is left out, with no omitted count, when no observation has a base finding (signals no rule restated)', async () => {
    const match = threeAccountMatch();
    const finding = await findingOf(threeAccountMatch({ observations: match.observations.map(({ finding: _, ...o }) => o) }));
    expect(finding).not.toHaveProperty('RelatedFindings');
    expect(finding.ProductFields).not.toHaveProperty('skywatch/RelatedFindingsOmitted');
  });
});

describe('severity', () => {
  const eventCount: CompiledCorrelation = { ...rule, type: 'event_count', field: undefined, minimum: 20, severity: 'MEDIUM' };

  it('is the rule\'s below the spread threshold and one step higher from it', () => {
    expect(wideSpreadAccounts(eventCount)).toBe(WIDE_SPREAD_ACCOUNTS);
    expect(correlationSeverity(eventCount, 4)).toBe('MEDIUM');
    expect(correlationSeverity(eventCount, 5)).toBe('HIGH');
    // A rule counting accounts fires at `minimum` of them; twice that is wide.
    expect(wideSpreadAccounts(rule)).toBe(4);
    expect([1, 2, 3, 4, 9].map((n) => correlationSeverity(rule, n))).toEqual(['HIGH', 'HIGH', 'HIGH', 'CRITICAL', 'CRITICAL']);
    expect(wideSpreadAccounts({ ...rule, minimum: 5 })).toBe(10);
    expect(correlationSeverity({ ...rule, minimum: 5 }, 9)).toBe('HIGH');
    expect(wideSpreadAccounts({ ...rule, minimum: 1 })).toBe(2);
    // A value_count over anything else counts values, not accounts.
    expect(wideSpreadAccounts({ ...rule, field: 'eventName', minimum: 1 })).toBe(WIDE_SPREAD_ACCOUNTS);
  });

  it('stops at CRITICAL and raises INFORMATIONAL to LOW', () => {
    expect(correlationSeverity({ ...eventCount, severity: 'CRITICAL' }, 50)).toBe('CRITICAL');
    expect(correlationSeverity({ ...eventCount, severity: 'INFORMATIONAL' }, 5)).toBe('LOW');
  });

  it('is what the candidate carries and the finding shows', async () => {
    const match = threeAccountMatch({ rule: eventCount });
    expect(correlationCandidate(match, HOME).severity).toBe('MEDIUM');
    const wide = { ...spread(5), rule: eventCount };
    expect(correlationCandidate(wide, HOME).severity).toBe('HIGH');
    expect((await findingOf(wide)).Severity).toEqual({ Label: 'HIGH', Original: 'HIGH' });
  });
});

describe('Title and Description', () => {
  const longName = new SnapshotDirectory({
    takenAt: '2026-11-21T06:00:00Z',
    accounts: Array.from({ length: 60 }, (_, i) => ({ id: String(100_000_000_000 + i), name: `workload-account-with-a-long-name-${String(i).padStart(2, '0')}`, state: 'ACTIVE', ous: [], tags: {} })),
  });

  it('give way in the rule\'s title first, so the accounts appear', async () => {
    const finding = await findingOf(threeAccountMatch({ rule: { ...rule, title: 'IAM changes '.repeat(30).trim() } }));
    expect(finding.Title.length).toBeLessThanOrEqual(256);
    expect(finding.Title.endsWith(': prod-payments (111122223333), dev-sandbox (444455556666), 777788889999')).toBe(true);
    expect(finding.Title.startsWith('IAM changes IAM changes')).toBe(true);
  });

  it('count the accounts a title has no room for', async () => {
    const finding = await findingOf(spread(40), longName);
    expect(finding.Title.length).toBeLessThanOrEqual(256);
    expect(finding.Title).toMatch(/^IAM changes from one address in several accounts: workload-account-with-a-long-name-00 \(100000000000\), .* and 3\d more$/);
  });

  it('give every account its share of the description, with its first activity, however busy another is', async () => {
    const busy = Array.from({ length: 60 }, (_, i) => observation(DEV, 'iam-user-created', `2026-11-21T11:${String(i).padStart(2, '0')}:00Z`, `IAM user temp-${i} created by a long-running script ${'x'.repeat(80)}`, i + 1));
    const quiet = [observation(PROD, 'iam-policy-attached-admin', '2026-11-21T11:30:30Z', 'AdministratorAccess attached to IAM user backup-admin', 500), observation(DATA, 'iam-user-created', '2026-11-21T11:59:30Z', 'IAM user backup-admin created', 501)];
    const finding = await findingOf(threeAccountMatch({ observations: [...busy, ...quiet] }));
    expect(finding.Description.length).toBeLessThanOrEqual(1024);
    expect(finding.Description).toContain('prod-payments (111122223333): 11:30:30 AdministratorAccess attached to IAM user backup-admin.');
    expect(finding.Description).toContain('777788889999: 11:59:30 IAM user backup-admin created.');
    expect(finding.Description).toMatch(/dev-sandbox \(444455556666\): 11:00:00 IAM user temp-0 created .* \(\+\d+ more\)\./);
    // The busy account comes first: it became active first.
    expect(finding.Description.indexOf('dev-sandbox')).toBeLessThan(finding.Description.indexOf('prod-payments'));
  });

  it('list the accounts when even one line each does not fit, and leave out the rule description', async () => {
    const finding = await findingOf(spread(60), longName);
    expect(finding.Description.length).toBeLessThanOrEqual(1024);
    expect(finding.Description).toContain('Accounts, in the order they became active: workload-account-with-a-long-name-00 (100000000000), ');
    expect(finding.Description).toMatch(/ and \d+ more\.$/);
    expect(finding.Description).not.toContain(rule.description);
  });

  it('shows full times when the window spans two days, and keeps a summary on one line', async () => {
    const match = threeAccountMatch({
      windowStart: '2026-11-21T23:30:00Z',
      windowEnd: '2026-11-22T00:30:00Z',
      observations: [observation(PROD, 'iam-user-created', '2026-11-22T00:05:00.250Z', 'IAM user\nbackup-admin\tcreated', 1)],
      accounts: [PROD],
    });
    const finding = await findingOf(match);
    expect(finding.Description).toContain('prod-payments (111122223333): 2026-11-22T00:05:00Z IAM user backup-admin created.');
    expect(finding.Title).toBe('IAM changes from one address in several accounts: prod-payments (111122223333)');
  });
});

describe('where the finding goes', () => {
  const fakes: SecurityHubFake[] = [];
  afterEach(() => restoreCheckedFakes(fakes.splice(0)));

  it('is no signal: the routing sink puts it in the outbox, for Security Hub', async () => {
    const finding = await findingOf(threeAccountMatch());
    expect(isSignalFinding(finding)).toBe(false);
    const outbox = new MemoryOutbox();
    const signals = { put: async () => {}, putFindings: async () => expect.fail('a correlation finding is no signal') };
    await new SignalRoutingSink(outbox, signals).put([finding]);
    expect(outbox.size).toBe(1);
  });

  it('is imported in the central account and home region, through the central account\'s FindingWriter role', async () => {
    const clock = new ManualClock();
    const fake = new SecurityHubFake({ clock });
    fakes.push(fake);
    const sts = new STSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' } });
    const outbox = new MemoryOutbox();
    const finding = await findingOf(threeAccountMatch());
    await outbox.put([finding]);
    const result = await publishOutbox({
      outbox,
      importer: new SecurityHubImporter(new AssumedCredentials({ sts, roleName: FINDING_WRITER_ROLE_NAME, clock })),
      archive: new MemoryArchive(),
      coverage: new RecordingCoverage(),
      clock,
      sleep: async (ms) => clock.advance(ms),
      random: () => 0.5,
    });
    expect(result).toMatchObject({ imported: 1, failed: 0, heldBack: 0 });
    expect(fake.calls.map((c) => `${c.account}/${c.region}:${c.outcome}`)).toEqual(['123456789012/eu-west-1:accepted']);
    expect(fake.counters.wrongAccount).toBe(0);
    expect(fake.findings().map((f) => f.Id)).toEqual([finding.Id]);
    expect(finding.ProductArn).toBe(productArn(HOME.region, HOME.account));
  });
});
