/** Findings, an archive and a coverage reporter for the delivery tests: realistic, valid ASFF. */
import type { CoverageReporter, GapKind } from '../../central/core/coverage/reporter.js';
import type { FindingArchive, OcsfDetectionFinding } from '../../central/core/delivery/ocsf.js';
import { productArn, type AsffFinding } from '../../central/core/findings/asff.js';

/** Three member accounts and the central one, as in the demo organization. */
export const ACCOUNTS = { prod: '111122223333', dev: '444455556666', data: '777788889999', central: '123456789012' } as const;

/** A valid Skywatch finding in `account` and `region`; `n` makes the Id and resource unique. */
export function sampleFinding(account: string, region: string, n: number, overrides: Partial<AsffFinding> = {}): AsffFinding {
  const id = `skywatch/${region}/${account}/root-account-usage/${n.toString(16).padStart(32, '0')}`;
  const severity = { Label: 'HIGH' as const, Original: 'HIGH' };
  const types = ['TTPs/Privilege Escalation/Root account usage'];
  return {
    SchemaVersion: '2018-10-08',
    Id: id,
    ProductArn: productArn(region, account),
    ProductName: 'Skywatch',
    CompanyName: 'Skywatch',
    GeneratorId: 'skywatch/root-account-usage',
    AwsAccountId: account,
    Region: region,
    Types: types,
    FirstObservedAt: '2026-11-21T11:58:03Z',
    LastObservedAt: '2026-11-21T11:59:41Z',
    CreatedAt: '2026-11-21T11:59:50.000Z',
    UpdatedAt: '2026-11-21T11:59:50.000Z',
    Severity: severity,
    Title: 'Root account used',
    Description: `The root user of ${account} called s3:ListBuckets from 192.0.2.10.`,
    Remediation: { Recommendation: { Text: 'Confirm with the account owner; lock the root user away behind MFA.', Url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html' } },
    ProductFields: {
      'skywatch/RuleId': 'root-account-usage',
      'skywatch/Status': 'active',
      'skywatch/EventIds': `3e8b2c1a-0000-4000-8000-${n.toString().padStart(12, '0')}`,
      'skywatch/EventCount': '1',
      'skywatch/EventSource': 's3.amazonaws.com',
      'skywatch/EventName': 'ListBuckets',
      'skywatch/ActorType': 'Root',
      'skywatch/ActorArn': `arn:aws:iam::${account}:root`,
      'skywatch/SourceIp': '192.0.2.10',
    },
    Resources: [{ Type: 'AwsAccount', Id: `AWS::::Account:${account}`, Partition: 'aws', Region: region }],
    Action: {
      ActionType: 'AWS_API_CALL',
      AwsApiCallAction: { Api: 'ListBuckets', ServiceName: 's3.amazonaws.com', CallerType: 'remoteip', RemoteIpDetails: { IpAddressV4: '192.0.2.10' }, FirstSeen: '2026-11-21T11:58:03Z', LastSeen: '2026-11-21T11:59:41Z' },
    },
    FindingProviderFields: { Severity: { ...severity }, Types: [...types] },
    RecordState: 'ACTIVE',
    ...overrides,
  };
}

/** `count` findings in each of the places (`account/region`). */
export function findingsIn(places: readonly string[], count: number): AsffFinding[] {
  return places.flatMap((place, p) => {
    const [account = '', region = ''] = place.split('/');
    return Array.from({ length: count }, (_, i) => sampleFinding(account, region, p * 10_000 + i));
  });
}

/** The same finding one minute later: a new version Security Hub must accept. */
export function laterVersion(finding: AsffFinding, minutes = 1): AsffFinding {
  const updatedAt = new Date(Date.parse(finding.UpdatedAt) + minutes * 60_000).toISOString();
  return { ...structuredClone(finding), UpdatedAt: updatedAt, LastObservedAt: updatedAt, ProductFields: { ...finding.ProductFields, 'skywatch/EventCount': '2' } };
}

/** An archive in memory. */
export class MemoryArchive implements FindingArchive {
  readonly records: OcsfDetectionFinding[] = [];
  /** Runs before each write is kept (a test's hook, e.g. a concurrent detector). */
  onWrite: (records: readonly OcsfDetectionFinding[]) => Promise<void> = async () => {};

  async write(records: readonly OcsfDetectionFinding[]): Promise<void> {
    await this.onWrite(records);
    this.records.push(...structuredClone(records));
  }
}

/** One coverage call. */
export type CoverageCall = ['open', GapKind, string, string | undefined, string] | ['close', GapKind, string, string | undefined];

/** A coverage reporter that records its calls. */
export class RecordingCoverage implements CoverageReporter {
  readonly calls: CoverageCall[] = [];

  async open(kind: GapKind, account: string, region: string | undefined, detail: string): Promise<void> {
    this.calls.push(['open', kind, account, region, detail]);
  }

  async close(kind: GapKind, account: string, region: string | undefined): Promise<void> {
    this.calls.push(['close', kind, account, region]);
  }
}
