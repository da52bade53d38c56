import { readFileSync } from 'node:fs';
import * as securityhub from '@aws-sdk/client-securityhub';
import {
  AccountFreeTrialStatus$,
  AwsSecurityFinding$,
  BatchImportFindings$,
  BatchImportFindingsRequest$,
  ConfigurationPolicyAssociation$,
  CreateAggregatorV2Request$,
  Resource$,
} from '@aws-sdk/client-securityhub';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_RESOURCE_TYPES, validateAsffFinding, validateRequest, validateShape } from './aws-model.js';
import { FIXTURES } from './fixtures.js';

// Sample findings from the archived AWS Security Hub user guide (see PROVENANCE.md next to the file).
const DOC_EXAMPLES = `${FIXTURES}aws-docs/securityhub_asff_doc_examples.json`;
type DocExample = { source_file: string; heading: string; json: Record<string, unknown> };
const docFindings = (JSON.parse(readFileSync(DOC_EXAMPLES, 'utf8')) as DocExample[]).filter((e) => 'SchemaVersion' in e.json);

const ACCOUNT = '111122223333';

/** A finding as our provider would send it; every mutation test starts from a fresh copy. */
function validFinding(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    SchemaVersion: '2018-10-08',
    Id: 'skywatch/us-east-1/console-login-without-mfa/0001',
    ProductArn: `arn:aws:securityhub:us-east-1:${ACCOUNT}:product/${ACCOUNT}/default`,
    GeneratorId: 'skywatch/console-login-without-mfa',
    AwsAccountId: ACCOUNT,
    Types: ['TTPs/Initial Access/Console login without MFA'],
    FirstObservedAt: '2024-05-01T11:58:00Z',
    LastObservedAt: '2024-05-01T12:00:00.123+02:00',
    CreatedAt: '2024-05-01T12:00:00.000Z',
    UpdatedAt: '2024-05-01T12:05:00Z',
    Severity: { Label: 'HIGH', Original: 'HIGH' },
    Title: 'Console login without MFA',
    Description: 'An IAM user signed in to the console without multi-factor authentication.',
    Resources: [{ Type: 'AwsIamUser', Id: `arn:aws:iam::${ACCOUNT}:user/alice`, Partition: 'aws', Region: 'us-east-1', Tags: { team: 'ops' } }],
    ProductFields: { 'skywatch/RuleId': 'console-login-without-mfa' },
    FindingProviderFields: { Severity: { Label: 'HIGH' }, Types: ['TTPs/Initial Access'] },
    RecordState: 'ACTIVE',
    Region: 'us-east-1',
    ...overrides,
  };
}

describe('validateShape against the securityhub model', () => {
  it('finds the ASFF findings among the documentation examples', () => {
    expect(docFindings.length).toBeGreaterThanOrEqual(6);
  });

  it.each(docFindings)('accepts the documented finding "$heading" as an AwsSecurityFinding', ({ json }) => {
    expect(validateShape(AwsSecurityFinding$, json)).toEqual([]);
  });

  it('accepts the documented findings under validateAsffFinding except for the customer-owned Workflow they carry', () => {
    // They come out of GetFindings, so Workflow is set and the ProductArn is an AWS product's (no account).
    for (const { json } of docFindings) {
      expect(validateAsffFinding(json)).toEqual(['$.Workflow: belongs to the customer; a finding provider must not set it']);
    }
  });

  it('rejects an unknown key, a missing required member and a wrong primitive deep inside', () => {
    const f = validFinding({ Colour: 'red' });
    delete f.Description;
    (f.Resources as Record<string, unknown>[])[0]!.Type = 42;
    expect(validateShape(AwsSecurityFinding$, f)).toEqual([
      '$.Colour: unknown member of AwsSecurityFinding',
      '$.Description: missing required member of AwsSecurityFinding',
      '$.Resources[0].Type: expected string, got number',
    ]);
  });

  it('checks map values, quoting keys that are not identifiers in the path', () => {
    expect(validateShape(Resource$, { Type: 'Other', Id: 'x', Tags: { 'cost center': 7 } })).toEqual([
      '$.Tags["cost center"]: expected string, got number',
    ]);
  });

  it('requires exactly one member of a union', () => {
    expect(validateShape(ConfigurationPolicyAssociation$, { Target: { AccountId: ACCOUNT } })).toEqual([]);
    expect(validateShape(ConfigurationPolicyAssociation$, { Target: { AccountId: ACCOUNT, RootId: 'r-abcd' } })).toEqual([
      '$.Target: union Target must set exactly one member, got 2',
    ]);
  });

  it('accepts Date objects and RFC 3339 strings for timestamps but not impossible dates or epoch numbers', () => {
    const status = (EvaluatedAt: unknown) => ({ AccountId: ACCOUNT, EvaluatedAt, FreeTrialStatuses: [] });
    expect(validateShape(AccountFreeTrialStatus$, status(new Date()))).toEqual([]);
    expect(validateShape(AccountFreeTrialStatus$, status('2024-02-29T23:59:60.5-05:30'))).toEqual([]);
    expect(validateShape(AccountFreeTrialStatus$, status('2023-02-29T00:00:00Z'))).toEqual(['$.EvaluatedAt: expected RFC 3339 date-time, got "2023-02-29T00:00:00Z"']);
    expect(validateShape(AccountFreeTrialStatus$, status(1_700_000_000))).toEqual(['$.EvaluatedAt: expected timestamp (Date or RFC 3339 string), got number']);
  });

  it('treats an operation schema as its input and leaves idempotency tokens to the SDK', () => {
    expect(validateShape(BatchImportFindings$, {})).toEqual(['$.Findings: missing required member of BatchImportFindingsRequest']);
    expect(validateShape(CreateAggregatorV2Request$, { RegionLinkingMode: 'ALL_REGIONS', LinkedRegions: ['eu-west-1', 3] })).toEqual([
      '$.LinkedRegions[1]: expected string, got number',
    ]);
  });

  it('resolves every schema the client exports without meeting an unsupported encoding', () => {
    const schemas = Object.entries(securityhub).filter(([name]) => name.endsWith('$'));
    expect(schemas.length).toBeGreaterThan(1000);
    for (const [, schema] of schemas) expect(() => validateShape(schema as never, {})).not.toThrow();
  });
});

describe('validateShape on the other encodings the SDK emits', () => {
  // Forms seen in the sts/athena clients: a named simple shape (sensitive string), member pairs carrying
  // traits (4 = idempotencyToken), lists/maps of sentinels, documents, big numbers and a recursive structure.
  const Secret = [0, 'test', 'SecretType', 8, 0];
  const Node$: unknown[] = [3, 'test', 'Node', 0,
    ['Name', 'Token', 'Children', 'Scores', 'Meta', 'Doc', 'Size', 'Secret', 'Raw'],
    [0, [0, 4], () => NodeList, 64 | 1, 128 | 2, 15, 17, [() => Secret, 0], 21], 2];
  const NodeList = [1, 'test', 'NodeList', 0, () => Node$];

  it('accepts a valid value of every encoding, with a required idempotency token left out', () => {
    const value = {
      Name: 'root', Scores: [1, 2.5], Meta: { a: true }, Doc: { x: [1, null, 'y'] }, Size: 10n, Secret: 's', Raw: new Uint8Array(2),
      Children: [{ Name: 'leaf', Children: [] }],
    };
    expect(validateShape(Node$, value)).toEqual([]);
  });

  it('reports each wrong value at its own path', () => {
    const value = {
      Name: 'root', Scores: [1, Number.NaN], Meta: { a: 'yes' }, Doc: { f: () => 1 }, Size: 1.5, Secret: 5, Raw: {},
      Children: [{ Children: [{ Name: 1 }] }],
    };
    expect(validateShape(Node$, value, '$in')).toEqual([
      '$in.Children[0].Name: missing required member of Node',
      '$in.Children[0].Children[0].Name: expected string, got number',
      '$in.Scores[1]: expected finite number, got NaN',
      '$in.Meta.a: expected boolean, got string',
      '$in.Doc.f: expected JSON value, got function',
      '$in.Size: expected integer or bigint, got number',
      '$in.Secret: expected string, got number',
      '$in.Raw: expected Uint8Array or string, got object',
    ]);
  });

  it('reports a value that contains itself instead of recursing forever', () => {
    const node: Record<string, unknown> = { Name: 'loop' };
    node.Children = [node];
    expect(validateShape(Node$, node)).toEqual(['$.Children[0]: circular reference']);
  });
});

describe('validateAsffFinding', () => {
  it('accepts the finding our provider sends', () => {
    expect(validateAsffFinding(validFinding())).toEqual([]);
  });

  it('exports every ResourceDetails member plus AwsAccount and Other as resource types', () => {
    expect(SUPPORTED_RESOURCE_TYPES.has('AwsS3Bucket')).toBe(true);
    expect(SUPPORTED_RESOURCE_TYPES.has('AwsAccount')).toBe(true);
    expect(SUPPORTED_RESOURCE_TYPES.has('Other')).toBe(true);
    expect(SUPPORTED_RESOURCE_TYPES.has('AwsToaster')).toBe(false);
  });

  const many = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));
  const resource = (i: number) => ({ Type: 'Other', Id: `resource-${i}` });
  const cases: [string, Record<string, unknown>, string[]][] = [
    ['an unknown top-level key', { Colour: 'red' }, ['$.Colour: unknown member of AwsSecurityFinding']],
    ['a missing required member', { Title: undefined }, ['$.Title: missing required member of AwsSecurityFinding']],
    ['a number as a resource Type', { Resources: [{ Type: 7, Id: 'x' }] }, ['$.Resources[0].Type: expected string, got number']],
    ['a Types entry with an unknown namespace', { Types: ['Bad Things/Happened'] }, ['$.Types[0]: unknown namespace "Bad Things"']],
    ['a Types entry with four parts', { Types: ['TTPs/a/b/c'] }, ['$.Types[0]: expected namespace/category/classifier, got "TTPs/a/b/c"']],
    ['no Types at all', { Types: undefined }, ['$.Types: required by ASFF (optional in the model)']],
    ['a Title of 257 characters', { Title: 'x'.repeat(257) }, ['$.Title: expected 1-256 characters, got 257']],
    ['33 resources', { Resources: many(33, resource) }, ['$.Resources: expected 1-32 resources, got 33']],
    ['an unsupported resource Type', { Resources: [{ Type: 'AwsToaster', Id: 'x' }] }, ['$.Resources[0].Type: unsupported resource type "AwsToaster"']],
    ['11 RelatedFindings', { RelatedFindings: many(11, (i) => ({ ProductArn: `arn:aws:securityhub:us-east-1:${ACCOUNT}:product/${ACCOUNT}/default`, Id: `f-${i}` })) },
      ['$.RelatedFindings: expected 1-10 related findings, got 11']],
    ['an empty RelatedFindings list', { RelatedFindings: [] }, ['$.RelatedFindings: expected 1-10 related findings, got 0']],
    ['a blank RelatedFindings Id', { RelatedFindings: [{ ProductArn: `arn:aws:securityhub:us-east-1:${ACCOUNT}:product/${ACCOUNT}/default`, Id: ' ' }] },
      ['$.RelatedFindings[0].Id: expected a non-blank string']],
    ['51 ProductFields', { ProductFields: Object.fromEntries(many(51, (i) => [`k${i}`, 'v'])) }, ['$.ProductFields: expected at most 50 pairs, got 51']],
    ['an 11-digit AwsAccountId', { AwsAccountId: '11112222333' }, ['$.AwsAccountId: expected 12 digits, got "11112222333"']],
    ['a default ProductArn of another account', { ProductArn: 'arn:aws:securityhub:us-east-1:444455556666:product/444455556666/default' },
      [`$.ProductArn: expected arn:aws:securityhub:us-east-1:${ACCOUNT}:product/${ACCOUNT}/default, got "arn:aws:securityhub:us-east-1:444455556666:product/444455556666/default"`]],
    ['UpdatedAt before CreatedAt', { UpdatedAt: '2024-05-01T11:59:59.999Z' }, ['$.UpdatedAt: must not be earlier than CreatedAt']],
    ['a CreatedAt that is not RFC 3339', { CreatedAt: '2024-05-01 12:00:00' }, ['$.CreatedAt: expected RFC 3339 date-time, got "2024-05-01 12:00:00"']],
    ['a severity label outside the enum', { Severity: { Label: 'SEVERE' } }, ['$.Severity.Label: expected one of CRITICAL, HIGH, INFORMATIONAL, LOW, MEDIUM, got "SEVERE"']],
    ['a provider severity label outside the enum', { FindingProviderFields: { Severity: { Label: 'low' } } },
      ['$.FindingProviderFields.Severity.Label: expected one of CRITICAL, HIGH, INFORMATIONAL, LOW, MEDIUM, got "low"']],
    ['a RecordState outside the enum', { RecordState: 'DELETED' }, ['$.RecordState: expected one of ACTIVE, ARCHIVED, got "DELETED"']],
    ['a Region that is not region-shaped', { Region: 'US East' }, ['$.Region: expected an AWS region, got "US East"']],
    ['Workflow set', { Workflow: { Status: 'NEW' } }, ['$.Workflow: belongs to the customer; a finding provider must not set it']],
    ['Note set', { Note: { Text: 't', UpdatedBy: 'u', UpdatedAt: '2024-05-01T12:00:00Z' } }, ['$.Note: belongs to the customer; a finding provider must not set it']],
  ];

  it.each(cases)('rejects %s with exactly the expected error', (_, overrides, expected) => {
    expect(validateAsffFinding(validFinding(overrides))).toEqual(expected);
  });
});

describe('validateRequest for BatchImportFindings', () => {
  const batch = (n: number) => ({ Findings: Array.from({ length: n }, (_, i) => validFinding({ Id: `finding-${i}` })) });

  it('accepts a full batch of 100 findings', () => {
    expect(validateRequest(BatchImportFindingsRequest$, batch(100))).toEqual([]);
  });

  it('rejects a batch of 101 findings', () => {
    expect(validateRequest(BatchImportFindingsRequest$, batch(101))).toEqual(['$.Findings: expected 1-100 findings, got 101']);
  });

  it('applies the ASFF rules to each finding under its own path', () => {
    const request = { Findings: [validFinding(), validFinding({ Workflow: { Status: 'NEW' }, Title: 3 })] };
    expect(validateRequest(BatchImportFindings$, request)).toEqual([
      '$.Findings[1].Title: expected string, got number',
      '$.Findings[1].Workflow: belongs to the customer; a finding provider must not set it',
    ]);
  });

  it('rejects a finding whose JSON is larger than 240 KB', () => {
    const big = validFinding({ Resources: [{ Type: 'Other', Id: 'x', Details: { Other: { blob: 'x'.repeat(250_000) } } }] });
    const errors = validateRequest(BatchImportFindingsRequest$, { Findings: [big] });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^\$\.Findings\[0\]: finding is \d+ bytes of JSON, more than 240 KB$/);
  });
});
