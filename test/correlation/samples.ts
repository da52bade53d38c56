/** A correlation rule, its observations and an organization, for the correlation finding tests. */
import type { CompiledCorrelation } from '../../central/core/correlation/compile.js';
import type { CorrelationMatch } from '../../central/core/correlation/engine.js';
import type { StoredObservation } from '../../central/core/correlation/observation.js';
import { SnapshotDirectory } from '../../central/core/directory/stored-directory.js';
import { productArn } from '../../central/core/findings/asff.js';

/** Three member accounts (two of them named in the directory) and the central account. */
export const PROD = '111122223333';
export const DEV = '444455556666';
export const DATA = '777788889999';
export const HOME = { account: '123456789012', region: 'eu-west-1' } as const;

/** The organization as onboarding saw it; DATA is not in it. */
export const directory = new SnapshotDirectory({
  takenAt: '2026-11-21T06:00:00Z',
  accounts: [
    { id: PROD, name: 'prod-payments', state: 'ACTIVE', ous: ['r-a1b2', 'ou-a1b2-prod0001'], tags: {} },
    { id: DEV, name: 'dev-sandbox', state: 'ACTIVE', ous: ['r-a1b2', 'ou-a1b2-dev00001'], tags: {} },
    { id: HOME.account, name: 'security', state: 'ACTIVE', ous: ['r-a1b2', 'ou-a1b2-sec00001'], tags: {} },
  ],
});

/** One source address changing IAM in several accounts within an hour. */
export const rule: CompiledCorrelation = {
  id: 'iam-changes-from-one-address-across-accounts',
  file: 'rules/correlation/iam-changes-from-one-address-across-accounts.yaml',
  title: 'IAM changes from one address in several accounts',
  description: 'One source address made IAM changes in two or more accounts within an hour: an intruder holding credentials for several accounts, or one automation acting outside its pipeline.',
  type: 'value_count',
  refs: ['iam-user-created', 'iam-access-key-created', 'iam-policy-attached-admin'],
  groupBy: ['sourceIp'],
  timespanMs: 3_600_000,
  minimum: 2,
  field: 'account',
  aliases: {},
  severity: 'HIGH',
  status: 'active',
  types: ['TTPs/Persistence/IAM changes across accounts'],
  mitre: ['T1098', 'T1136.003'],
  tactics: ['persistence'],
  runbook: 'Find who holds credentials used from the address in every account named, and whether the changes were planned; if not, remove the users and keys created and revoke the sessions.',
  reference: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html',
  falsePositives: ['an organization-wide automation run from one NAT address'],
  tests: [],
  // The finding is built from a match; matching is the engine's job (test/correlation/engine.test.ts).
  refOf: () => -1,
  groupsOf: () => [],
};

/** The base finding of a rule hit in `account` (us-east-1, where IAM calls are recorded). */
export function baseFinding(account: string, label: string, n: number): { productArn: string; id: string } {
  return { productArn: productArn('us-east-1', account), id: `skywatch/us-east-1/${account}/${label}/${n.toString(16).padStart(32, '0')}` };
}

/** An observation of `label` in `account` at `time`; `n` makes its event id unique. */
export function observation(account: string, label: string, time: string, summary: string, n: number, extra: Partial<StoredObservation> = {}): StoredObservation {
  return {
    id: `0f1e2d3c-4b5a-4968-8776-${n.toString().padStart(12, '0')}#${label}`,
    time,
    account,
    label,
    severity: 'MEDIUM',
    summary,
    ref: 0,
    values: [account],
    finding: baseFinding(account, label, n),
    ...extra,
  };
}

/** The three-account match the exact-fields test reads. */
export function threeAccountMatch(overrides: Partial<CorrelationMatch> = {}): CorrelationMatch {
  return {
    rule,
    group: { sourceIp: '203.0.113.7' },
    windowStart: '2026-11-21T11:00:00Z',
    windowEnd: '2026-11-21T12:00:00Z',
    observations: [
      observation(DEV, 'iam-user-created', '2026-11-21T11:02:10Z', 'IAM user backup-admin created by arn:aws:iam::444455556666:user/ci', 1),
      observation(DEV, 'iam-access-key-created', '2026-11-21T11:02:41Z', 'Access key created for IAM user backup-admin', 2),
      observation(PROD, 'iam-user-created', '2026-11-21T11:09:05Z', 'IAM user backup-admin created by arn:aws:iam::111122223333:user/ci', 3),
      observation(DATA, 'iam-policy-attached-admin', '2026-11-21T11:15:30Z', 'AdministratorAccess attached to IAM user backup-admin', 4),
    ],
    accounts: [PROD, DEV, DATA],
    ...overrides,
  };
}
