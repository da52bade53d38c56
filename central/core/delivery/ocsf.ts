/**
 * OCSF 1.1 Detection Findings (class 2004) from our ASFF findings, for the log archive: the schema
 * Security Lake and the newer Security Hub use. Skywatch registers no Security Lake source or table
 * over them; whatever reads them is set up by you. One record per finding version Security Hub accepted.
 */
import type { AsffFinding } from '../findings/asff.js';
import type { SeverityLabel } from '../rules/schema.js';

/** The OCSF schema version the records follow. */
export const OCSF_VERSION = '1.1.0';

/** Where accepted findings are archived as OCSF. */
export interface FindingArchive {
  /** Stores the records; resolves only once they are durable. */
  write(records: readonly OcsfDetectionFinding[]): Promise<void>;
}

/** An OCSF Detection Finding as Skywatch writes it. */
export interface OcsfDetectionFinding {
  class_uid: 2004;
  class_name: 'Detection Finding';
  category_uid: 2;
  category_name: 'Findings';
  activity_id: ActivityId;
  activity_name: string;
  type_uid: number;
  type_name: string;
  severity_id: number;
  severity: string;
  /** When this version was produced (the finding's UpdatedAt), epoch ms. */
  time: number;
  status_id: number;
  status: string;
  message: string;
  finding_info: {
    uid: string;
    title: string;
    desc: string;
    types: string[];
    created_time: number;
    modified_time: number;
    first_seen_time: number;
    last_seen_time: number;
    analytic: { uid: string; name: string; type_id: 1; type: 'Rule' };
    product_uid: string;
  };
  cloud: { provider: 'AWS'; region: string; account: { uid: string; type_id: 10; type: 'AWS Account' } };
  resources: Array<{ uid: string; type: string; region: string; cloud_partition: string; owner: { account: { uid: string; type_id: 10; type: 'AWS Account' } } }>;
  remediation?: { desc: string; references?: string[] };
  metadata: { version: string; product: { name: 'Skywatch'; vendor_name: 'Skywatch'; uid: string }; uid: string; profiles: ['cloud'] };
  unmapped: Record<string, unknown>;
}

type ActivityId = 1 | 2 | 3;
const ACTIVITY_NAMES: Record<ActivityId, string> = { 1: 'Create', 2: 'Update', 3: 'Close' };
const SEVERITY: Record<SeverityLabel, [number, string]> = {
  INFORMATIONAL: [1, 'Informational'],
  LOW: [2, 'Low'],
  MEDIUM: [3, 'Medium'],
  HIGH: [4, 'High'],
  CRITICAL: [5, 'Critical'],
};
// Mapped into named OCSF fields below; every other product field goes to `unmapped`.
const MAPPED_PRODUCT_FIELDS = new Set(['skywatch/RuleId']);

/** The OCSF record of one finding version. */
export function toOcsfDetectionFinding(finding: AsffFinding): OcsfDetectionFinding {
  const created = Date.parse(finding.CreatedAt);
  const updated = Date.parse(finding.UpdatedAt);
  const activity: ActivityId = finding.RecordState === 'ARCHIVED' ? 3 : updated > created ? 2 : 1;
  const [severityId, severity] = SEVERITY[finding.Severity.Label] ?? [0, 'Unknown'];
  const [statusId, status] = statusOf(finding);
  const ruleId = finding.ProductFields['skywatch/RuleId'] ?? finding.GeneratorId;
  const account = { uid: finding.AwsAccountId, type_id: 10 as const, type: 'AWS Account' as const };
  return {
    class_uid: 2004,
    class_name: 'Detection Finding',
    category_uid: 2,
    category_name: 'Findings',
    activity_id: activity,
    activity_name: ACTIVITY_NAMES[activity],
    type_uid: 200400 + activity,
    type_name: `Detection Finding: ${ACTIVITY_NAMES[activity]}`,
    severity_id: severityId,
    severity,
    time: updated,
    status_id: statusId,
    status,
    message: finding.Title,
    finding_info: {
      uid: finding.Id,
      title: finding.Title,
      desc: finding.Description,
      types: [...finding.Types],
      created_time: created,
      modified_time: updated,
      first_seen_time: Date.parse(finding.FirstObservedAt),
      last_seen_time: Date.parse(finding.LastObservedAt),
      analytic: { uid: ruleId, name: ruleId, type_id: 1, type: 'Rule' },
      product_uid: finding.ProductArn,
    },
    cloud: { provider: 'AWS', region: finding.Region, account },
    resources: finding.Resources.map((r) => ({ uid: r.Id, type: r.Type, region: r.Region, cloud_partition: r.Partition, owner: { account } })),
    ...(finding.Remediation && {
      remediation: { desc: finding.Remediation.Recommendation.Text, ...(finding.Remediation.Recommendation.Url && { references: [finding.Remediation.Recommendation.Url] }) },
    }),
    metadata: {
      version: OCSF_VERSION,
      product: { name: 'Skywatch', vendor_name: 'Skywatch', uid: finding.ProductArn },
      // One uid per version: a record written twice (a retried run) is recognisably the same event.
      uid: `${finding.Id}@${finding.UpdatedAt}`,
      profiles: ['cloud'],
    },
    unmapped: unmapped(finding),
  };
}

/** OCSF finding status: archived is resolved, a suppressed finding is suppressed, the rest is new. */
function statusOf(finding: AsffFinding): [number, string] {
  if (finding.RecordState === 'ARCHIVED') return [4, 'Resolved'];
  if (finding.ProductFields['skywatch/SuppressedBy']) return [3, 'Suppressed'];
  return [1, 'New'];
}

function unmapped(finding: AsffFinding): Record<string, unknown> {
  const productFields = Object.fromEntries(Object.entries(finding.ProductFields).filter(([k]) => !MAPPED_PRODUCT_FIELDS.has(k)));
  return {
    generator_id: finding.GeneratorId,
    record_state: finding.RecordState,
    severity_original: finding.Severity.Original,
    product_fields: productFields,
    ...(finding.Action && { action: finding.Action }),
  };
}
