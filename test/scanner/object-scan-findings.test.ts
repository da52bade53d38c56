import { describe, expect, it } from 'vitest';
import { normalizeEnvelope } from '../../central/core/decode/eventbridge.js';
import { RejectedEnvelopeError } from '../../central/core/decode/envelope-sender.js';
import { isSignalFinding } from '../../central/core/delivery/signals.js';
import { OBJECT_SCAN_RULES } from '../../central/core/scans/object-scan-findings.js';
import { compileSuppression } from '../../central/core/suppressions/match.js';
import { Detector } from '../../central/core/detector.js';
import { RuleEngine } from '../../central/core/rules/engine.js';
import { MemoryStateStore } from '../../central/core/state/memory-store.js';
import { SCAN_RESULT_DETAIL_TYPE, SCAN_RESULT_SOURCE, type ScanResult } from '../../member/scanner/scan-result.js';
import { validateAsffFinding } from '../support/aws-model.js';
import { ManualClock, RecordingSink } from '../support/detector.js';

const ACCOUNT = '111122223333';

/** A result as the member scanner sends it: a leaked key pair twice, and an EICAR file inside a zip. */
function result(overrides: Partial<ScanResult> = {}): ScanResult {
  return {
    schemaVersion: 1,
    account: ACCOUNT,
    region: 'eu-west-1',
    bucket: 'example-build-artifacts',
    key: 'releases/2026-11/app bundle.zip',
    versionId: 'IYV3p45BT0ac8hjHg1houSdS1a.Mro8e',
    etag: 'b1946ac92492d2347c6235b4d2611184',
    size: 48213,
    scannedAt: '2026-11-21T11:58:02.000Z',
    status: 'matched',
    matches: [
      { kind: 'secret', rule: 'aws-access-key-pair', title: 'AWS access key ID with its secret access key', offset: 120, line: 4, preview: 'AKIA****3QXZ', hash: '0f3a9c2b7d11', entry: 'releases/2026-11/app bundle.zip!config/.env', severity: 'CRITICAL', findingType: 'Sensitive Data Identifications/Passwords/AWS access key' },
      { kind: 'secret', rule: 'aws-access-key-pair', title: 'AWS access key ID with its secret access key', offset: 88, line: 2, preview: 'AKIA****7PLM', hash: '9a8b7c6d5e4f', entry: 'releases/2026-11/app bundle.zip!deploy.sh', severity: 'CRITICAL', findingType: 'Sensitive Data Identifications/Passwords/AWS access key' },
      { kind: 'yara', rule: 'SUSP_Just_EICAR', title: 'Just an EICAR test file - this is boring but users asked for it', offset: 0, line: 1, preview: 'X5O!****H+H*', hash: '275a021bbfb6', entry: 'releases/2026-11/app bundle.zip!eicar.com', severity: 'LOW', findingType: 'TTPs/Execution/Malicious content', attribution: 'Florian Roth (Nextron Systems), http://2016.eicar.org/85-0-Download.html' },
    ],
    matchCount: 3,
    notes: [],
    rulesVersion: '5d41402abc4b',
    ...overrides,
  };
}

function envelope(detail: unknown, account = ACCOUNT) {
  return { version: '0', id: 'c3f5a1e2-7b9d-4e6f-8a1b-2c3d4e5f6a7b', 'detail-type': SCAN_RESULT_DETAIL_TYPE, source: SCAN_RESULT_SOURCE, account, time: '2026-11-21T11:58:03Z', region: 'eu-west-1', resources: [], detail };
}

function detector(suppressions: ReturnType<typeof compileSuppression>[] = []) {
  const sink = new RecordingSink();
  const state = new MemoryStateStore();
  return { sink, detector: new Detector({ engine: new RuleEngine([]), state, sink, clock: new ManualClock(), suppressions }) };
}

describe('object scan results on the central side', () => {
  it('normalizes a scan result into an objectscan event of the object\'s account', () => {
    const event = normalizeEnvelope(envelope(result()));
    expect(event).toMatchObject({ kind: 'objectscan', account: ACCOUNT, region: 'eu-west-1', source: 'skywatch.scanner', name: 'ObjectScanResult', time: '2026-11-21T11:58:02.000Z' });
    expect(event.resources).toEqual([{ type: 'AwsS3Object', id: 'arn:aws:s3:::example-build-artifacts/releases/2026-11/app bundle.zip' }]);
  });

  it('refuses a result about another account than the sender\'s, and an invalid one, naming the field', () => {
    expect(() => normalizeEnvelope(envelope(result(), '444455556666'))).toThrow(new RejectedEnvelopeError('account-mismatch', 'Skywatch Object Scan Result', '444455556666', '111122223333', 'account'));
    expect(() => normalizeEnvelope(envelope(result(), '444455556666'))).toThrow('rejected: "Skywatch Object Scan Result" event sent by account 444455556666 claims account 111122223333 in detail.account');
    expect(() => normalizeEnvelope(envelope({ ...result(), matches: [{ ...result().matches[0], hash: 'not-a-hash' }] }))).toThrow(/invalid at matches\.0\.hash/);
    expect(() => normalizeEnvelope({ ...envelope(result()), source: 'aws.s3' })).toThrow('rejected: "Skywatch Object Scan Result" event with source "aws.s3" from account 111122223333; only AWS can send it');
  });

  it('makes one valid ASFF finding per object and rule, in the object\'s account, with the YARA rule in Malware', async () => {
    const { detector: d, sink } = detector();
    const outcome = await d.process([normalizeEnvelope(envelope(result()))]);
    expect(outcome.findings).toHaveLength(2);
    for (const f of outcome.findings) expect(validateAsffFinding(f)).toEqual([]);
    const [secret, yara] = [outcome.findings.find((f) => f.ProductFields['skywatch/RuleId'] === OBJECT_SCAN_RULES.secret)!, outcome.findings.find((f) => f.ProductFields['skywatch/RuleId'] === OBJECT_SCAN_RULES.yara)!];
    expect(secret).toMatchObject({
      AwsAccountId: ACCOUNT,
      Region: 'eu-west-1',
      ProductArn: `arn:aws:securityhub:eu-west-1:${ACCOUNT}:product/${ACCOUNT}/default`,
      Types: ['Sensitive Data Identifications/Passwords/AWS access key'],
      Severity: { Label: 'CRITICAL' },
      Title: 'AWS access key ID with its secret access key in s3://example-build-artifacts/releases/2026-11/app bundle.zip',
      Resources: [
        { Type: 'AwsS3Object', Id: 'arn:aws:s3:::example-build-artifacts/releases/2026-11/app bundle.zip', Partition: 'aws', Region: 'eu-west-1' },
        { Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::example-build-artifacts', Partition: 'aws', Region: 'eu-west-1' },
      ],
    });
    expect(secret.Description).toContain('config/.env line 4 (offset 120): AKIA****3QXZ [hash 0f3a9c2b7d11]');
    expect(secret.ProductFields).toMatchObject({ 'skywatch/MatchRule': 'aws-access-key-pair', 'skywatch/MatchCount': '2', 'skywatch/MatchHashes': '0f3a9c2b7d11,9a8b7c6d5e4f', 'skywatch/ObjectVersionId': 'IYV3p45BT0ac8hjHg1houSdS1a.Mro8e', 'skywatch/EventKind': 'objectscan' });
    expect(secret.Malware).toBeUndefined();
    expect(yara).toMatchObject({ Types: ['TTPs/Execution/Malicious content'], Severity: { Label: 'LOW' }, Malware: [{ Name: 'SUSP_Just_EICAR', Path: 'releases/2026-11/app bundle.zip!eicar.com', State: 'OBSERVED' }] });
    expect(yara.ProductFields['skywatch/RuleAttribution']).toBe('Florian Roth (Nextron Systems), http://2016.eicar.org/85-0-Download.html');
    // Scan findings are imported, not routed to the notifier only as GuardDuty and Config signals are.
    expect(outcome.findings.some(isSignalFinding)).toBe(false);
    expect(sink.versions).toHaveLength(2);
  });

  it('updates the same finding when the object is written again with the same secret', async () => {
    const { detector: d } = detector();
    const first = await d.process([normalizeEnvelope(envelope(result({ matches: [result().matches[0]!], matchCount: 1 })))]);
    const again = await d.process([normalizeEnvelope({ ...envelope(result({ matches: [result().matches[0]!], matchCount: 1, scannedAt: '2026-11-21T12:30:00.000Z' })), id: 'a9e1f7c3-0d2b-4c6e-9f8a-7b6c5d4e3f2a' })]);
    expect(again.findings[0]!.Id).toBe(first.findings[0]!.Id);
    expect(again.findings[0]!.ProductFields['skywatch/EventCount']).toBe('2');
  });

  it('reports an archive bomb as its own finding, naming the limit', async () => {
    const { detector: d } = detector();
    const bomb = result({ status: 'partial', matches: [], matchCount: 0, notes: [{ path: 'releases/2026-11/app bundle.zip!layer.gz', reason: 'ratio', detail: 'gzip stream expands more than 100 times its size' }] });
    const [finding, ...rest] = (await d.process([normalizeEnvelope(envelope(bomb))])).findings;
    expect(rest).toEqual([]);
    expect(validateAsffFinding(finding)).toEqual([]);
    expect(finding).toMatchObject({ Title: 'Archive bomb in s3://example-build-artifacts/releases/2026-11/app bundle.zip: unpacking stopped at the ratio limit', Types: ['TTPs/Defense Evasion/Archive bomb'], Severity: { Label: 'MEDIUM' } });
  });

  it('makes no finding of a clean or too-large object', async () => {
    const { detector: d } = detector();
    const clean = await d.process([normalizeEnvelope(envelope(result({ status: 'clean', matches: [], matchCount: 0 })))]);
    const large = await d.process([normalizeEnvelope({ ...envelope(result({ status: 'not-scanned', matches: [], matchCount: 0, notes: [{ path: 'releases/2026-11/app bundle.zip', reason: 'too-large', detail: 'not scanned: too large (209715200 bytes, limit 104857600)' }] })), id: 'other-id' })]);
    expect([clean.findings, large.findings]).toEqual([[], []]);
  });

  it('marks a finding covered by a suppression on the object-secret rule and a bucket', async () => {
    const suppression = compileSuppression({ id: 'fixtures-bucket', reason: 'Test fixtures with fake keys', owner: 'appsec@example.com', expires: '2027-06-30', match: { rules: ['object-secret'], resources: ['arn:aws:s3:::example-build-artifacts/*'] } } as never, 'suppressions.yaml');
    const { detector: d } = detector([suppression]);
    const { findings } = await d.process([normalizeEnvelope(envelope(result()))]);
    expect(findings.find((f) => f.ProductFields['skywatch/RuleId'] === 'object-secret')!.ProductFields['skywatch/SuppressedBy']).toBe('fixtures-bucket');
    expect(findings.find((f) => f.ProductFields['skywatch/RuleId'] === 'object-malware')!.ProductFields['skywatch/SuppressedBy']).toBeUndefined();
  });
});
