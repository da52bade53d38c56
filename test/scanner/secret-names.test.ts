import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { S3ObjectStore } from '../../central/aws/adapters/s3-object-store.js';
import { normalizeEnvelope } from '../../central/core/decode/eventbridge.js';
import { Detector } from '../../central/core/detector.js';
import { RuleEngine } from '../../central/core/rules/engine.js';
import { MemoryStateStore } from '../../central/core/state/memory-store.js';
import { CentralBusResults } from '../../member/scanner/aws/central-bus-results.js';
import { buildScanner, readRuleFolders } from '../../member/scanner/build-scanner.js';
import { DEFAULT_EXPAND_LIMITS } from '../../member/scanner/objects/limits.js';
import { ScanResultSchema, type ScanResult } from '../../member/scanner/scan-result.js';
import { scannerHandler } from '../../member/scanner/scanner-runtime.js';
import { validateAsffFinding } from '../support/aws-model.js';
import { ManualClock, RecordingSink } from '../support/detector.js';
import { FIXTURES } from '../support/fixtures.js';
import { startS3, type LocalS3 } from '../support/s3rver.js';
import { notificationKey, sqsEvent, sqsRecord } from '../support/sqs-events.js';
import { buildZip } from '../support/zip-writer.js';

// Made for this test: the shapes of a GitHub token and an AWS access key id, valid nowhere.
const TOKEN = 'ghp_R2mX9kLq4TzW7vBn3YcJ8pHs5DfG1aKe6UoN';
const KEY_ID = 'AKIAWQ5TZR3MXH7KPL2D';
const BUCKET = 'example-uploads';
const KEY = `handoff/${TOKEN}/bundle.zip`;
const EICAR = Buffer.from(JSON.parse(readFileSync(join(FIXTURES, 'yara/yara_test_samples.json'), 'utf8'))[0].content_b64, 'base64');
// An EICAR file named after a key id, a token in a folder name, and zeros named after it that stop at the ratio limit (a note).
const BUNDLE = buildZip([
  { name: `exports/${KEY_ID}.txt`, data: EICAR },
  { name: `creds/${TOKEN}/readme.txt`, data: 'nothing to see\n' },
  { name: `dumps/${TOKEN}.bin`, data: Buffer.alloc(4 * 1024 * 1024) },
]);
const { scanner } = buildScanner(readRuleFolders('rules'), { limits: DEFAULT_EXPAND_LIMITS, skipMedia: false });

let s3: LocalS3;
beforeAll(async () => {
  s3 = await startS3();
  await s3.createBucket(BUCKET);
  await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body: BUNDLE }));
});
afterAll(() => s3.close());
afterEach(() => vi.restoreAllMocks());

function created(key: string, size: number): string {
  return JSON.stringify({
    version: '0', id: '5b7c9d1e-3f5a-4b7c-9d1e-3f5a7b9c1d2e', 'detail-type': 'Object Created', source: 'aws.s3', account: '111122223333', time: '2026-11-21T11:58:00Z', region: 'eu-west-1', resources: [`arn:aws:s3:::${BUCKET}`],
    detail: { version: '0', bucket: { name: BUCKET }, object: { key: notificationKey(key), size, etag: '0a2c4e6f8b1d3f5a7c9e1b3d5f7a9c1e' }, 'request-id': 'W2Q8M4T6Z1X3C5V7', requester: '111122223333', 'source-ip-address': '192.0.2.10', reason: 'PutObject' },
  });
}

/** Runs the member scanner on `key` as S3 notifies it; what it sends, logs, and the central findings of it. */
async function scanThroughToFindings(key: string, size: number) {
  const sent: ScanResult[] = [];
  const entries: unknown[] = [];
  const logged: string[] = [];
  const bus = mockClient(EventBridgeClient);
  bus.on(PutEventsCommand).callsFake((input) => {
    entries.push(input.Entries[0]);
    sent.push(ScanResultSchema.parse(JSON.parse(input.Entries[0].Detail)));
    return { FailedEntryCount: 0, Entries: [{ EventId: '3c5e7a9b-1d3f-4a5c-8e7a-9b1d3f5a7c9e' }] };
  });
  vi.spyOn(console, 'log').mockImplementation((line: unknown) => void logged.push(String(line)));
  vi.spyOn(console, 'error').mockImplementation((line: unknown) => void logged.push(String(line)));
  const runtime = {
    scanner,
    objects: new S3ObjectStore(s3.client),
    results: new CentralBusResults(new EventBridgeClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }), 'arn:aws:events:eu-west-1:999988887777:event-bus/skywatch'),
    optIn: { isOptedIn: async () => true },
    maxObjectBytes: 1024 * 1024,
    clock: new ManualClock(),
  };
  const response = await scannerHandler(async () => runtime)(sqsEvent([sqsRecord(created(key, size))]));
  bus.restore();
  const detector = new Detector({ engine: new RuleEngine([]), state: new MemoryStateStore(), sink: new RecordingSink(), clock: new ManualClock() });
  const events = sent.map((detail) => normalizeEnvelope({ version: '0', id: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b', 'detail-type': 'Skywatch Object Scan Result', source: 'skywatch.scanner', account: detail.account, time: detail.scannedAt, region: detail.region, resources: [], detail }));
  const { findings } = await detector.process(events);
  for (const f of findings) expect(validateAsffFinding(f)).toEqual([]);
  return { response, sent, entries, logged, findings };
}

describe('secrets in object keys and archive entry names', () => {
  it('are reported as matches in the name, and masked in the result, the event, the log and the central findings', async () => {
    const { response, sent, entries, logged, findings } = await scanThroughToFindings(KEY, BUNDLE.length);
    expect(response.batchItemFailures).toEqual([]);
    const [result] = sent;
    expect(result).toMatchObject({ key: 'handoff/ghp_****6UoN/bundle.zip', keyMasked: true, status: 'matched' });
    expect(result!.matches.map((m) => [m.rule, m.entry ?? '(key)', m.inName ?? false, m.offset]).sort()).toEqual([
      ['SUSP_Just_EICAR', 'handoff/ghp_****6UoN/bundle.zip!exports/AKIA****PL2D.txt', false, 0],
      ['aws-access-key-id', 'handoff/ghp_****6UoN/bundle.zip!exports/AKIA****PL2D.txt', true, 8],
      ['github-personal-access-token', '(key)', true, 8],
      ['github-personal-access-token', 'handoff/ghp_****6UoN/bundle.zip!creds/ghp_****6UoN/readme.txt', true, 6],
    ]);
    // The archive-wide ratio stops at the zeros: the note is the archive's, and its detail names the entry, masked.
    expect(result!.notes).toEqual([
      { path: 'handoff/ghp_****6UoN/bundle.zip', reason: 'ratio', detail: expect.stringMatching(/^entry dumps\/ghp_\*\*\*\*6UoN\.bin declares 4194304 bytes: /) },
    ]);
    const malware = findings.find((f) => f.ProductFields['skywatch/RuleId'] === 'object-malware')!;
    expect(malware.Malware).toEqual([{ Name: 'SUSP_Just_EICAR', Path: 'handoff/ghp_****6UoN/bundle.zip!exports/AKIA****PL2D.txt', State: 'OBSERVED' }]);
    expect(malware.Resources[0]!.Id).toBe('arn:aws:s3:::example-uploads/handoff/ghp_****6UoN/bundle.zip');
    expect(findings.map((f) => f.ProductFields['skywatch/RuleId']).sort()).toEqual(['object-archive-bomb', 'object-malware', 'object-secret', 'object-secret']);
    // The values themselves appear nowhere: not in the event sent, a log line, or any field of any finding.
    for (const text of [JSON.stringify(entries), ...logged, JSON.stringify(findings)]) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(KEY_ID);
    }
    expect(logged.some((l) => l.includes('"message":"object scanned"') && l.includes('"key":"handoff/ghp_****6UoN/bundle.zip"'))).toBe(true);
  });

  it('masks a secret in the key of an object too large to scan, and still reports it', async () => {
    const { sent, entries, logged } = await scanThroughToFindings(`handoff/${TOKEN}/huge.bin`, 5 * 1024 * 1024);
    expect(sent[0]).toMatchObject({ key: 'handoff/ghp_****6UoN/huge.bin', keyMasked: true, status: 'matched', notes: [{ path: 'handoff/ghp_****6UoN/huge.bin', reason: 'too-large' }] });
    expect(sent[0]!.matches.map((m) => [m.rule, m.inName])).toEqual([['github-personal-access-token', true]]);
    for (const text of [JSON.stringify(entries), ...logged]) expect(text).not.toContain(TOKEN);
  });
});
