import { EventBridgeClient, PutEventsCommand, PutEventsRequest$ } from '@aws-sdk/client-eventbridge';
import { GetBucketTaggingCommand, GetBucketTaggingRequest$, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { S3ObjectStore } from '../../central/aws/adapters/s3-object-store.js';
import { BucketTagOptIn } from '../../member/scanner/aws/bucket-opt-in.js';
import { CentralBusResults } from '../../member/scanner/aws/central-bus-results.js';
import { buildScanner, readRuleFolders } from '../../member/scanner/build-scanner.js';
import { DEFAULT_EXPAND_LIMITS } from '../../member/scanner/objects/limits.js';
import { ScanResultSchema, type ScanResult } from '../../member/scanner/scan-result.js';
import { scannerHandler, type ScannerRuntime } from '../../member/scanner/scanner-runtime.js';
import { validateAsffFinding, validateRequest } from '../support/aws-model.js';
import { ManualClock } from '../support/detector.js';
import { FIXTURES } from '../support/fixtures.js';
import { startS3, type LocalS3 } from '../support/s3rver.js';
import { notificationKey, sqsEvent, sqsRecord } from '../support/sqs-events.js';
import { buildZip } from '../support/zip-writer.js';
import { normalizeEnvelope } from '../../central/core/decode/eventbridge.js';
import { Detector } from '../../central/core/detector.js';
import { RuleEngine } from '../../central/core/rules/engine.js';
import { MemoryStateStore } from '../../central/core/state/memory-store.js';
import { RecordingSink } from '../support/detector.js';

const BUCKET = 'example-uploads';
const BUS = 'arn:aws:events:eu-west-1:999988887777:event-bus/skywatch';
const KEY_ID = 'AKIAQYLPMN5HHHFPZAM2';
const SECRET = 'r7Tq9XvLm2Kp4Zs8Wd1Ny6Hb3Fg5Jc0Ve/Ua+QoP';
const EICAR = Buffer.from(JSON.parse(readFileSync(join(FIXTURES, 'yara/yara_test_samples.json'), 'utf8'))[0].content_b64, 'base64');
const { scanner } = buildScanner(readRuleFolders('rules'), { limits: DEFAULT_EXPAND_LIMITS, skipMedia: false });

/** The EventBridge "Object Created" event S3 sends, as the member queue delivers it. */
function created(key: string, size: number, extra: Record<string, unknown> = {}) {
  return JSON.stringify({
    version: '0', id: '17793124-05d4-b198-2fde-7ededc63b103', 'detail-type': 'Object Created', source: 'aws.s3', account: '111122223333',
    time: '2026-11-21T11:58:00Z', region: 'eu-west-1', resources: [`arn:aws:s3:::${BUCKET}`],
    detail: { version: '0', bucket: { name: BUCKET }, object: { key: notificationKey(key), size, etag: 'b1946ac92492d2347c6235b4d2611184', sequencer: '00617F08299329D189', ...extra }, 'request-id': 'N4N7GDK58NMKJ12R', requester: '111122223333', 'source-ip-address': '192.0.2.10', reason: 'PutObject' },
  });
}

let s3: LocalS3;
const objects: Record<string, Buffer> = {
  'notes/readme.txt': Buffer.from('Quarterly report drafts. Nothing to see here.\n'),
  'deploy/prod env+(old).env': Buffer.from(`# deploy settings\nREGION=eu-west-1\nAWS_ACCESS_KEY_ID=${KEY_ID}\nAWS_SECRET_ACCESS_KEY=${SECRET}\n`),
  'downloads/eicar.com.gz': gzipSync(EICAR),
  'big/dump.bin': Buffer.alloc(4096, 7),
  // 64 MiB of zeros deflated to about 64 KB, the shape of a zip bomb's layer.
  'uploads/bomb.zip': buildZip([{ name: 'layer/zeros.bin', data: Buffer.alloc(64 * 1024 * 1024) }, { name: 'notes.txt', data: 'hello' }]),
};
beforeAll(async () => {
  s3 = await startS3();
  await s3.createBucket(BUCKET);
  for (const [key, body] of Object.entries(objects)) await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
});
afterAll(() => s3.close());

const bus = mockClient(EventBridgeClient);
let sent: ScanResult[];
let logged: string[];
beforeEach(() => {
  sent = [];
  logged = [];
  bus.reset();
  bus.on(PutEventsCommand).callsFake((input) => {
    expect(validateRequest(PutEventsRequest$, input)).toEqual([]);
    const entry = input.Entries[0];
    expect(entry).toMatchObject({ EventBusName: BUS, Source: 'skywatch.scanner', DetailType: 'Skywatch Object Scan Result' });
    sent.push(ScanResultSchema.parse(JSON.parse(entry.Detail)));
    return { FailedEntryCount: 0, Entries: [{ EventId: 'e0c1f2d3-a4b5-4c6d-8e7f-0a1b2c3d4e5f' }] };
  });
  const capture = (...args: unknown[]) => void logged.push(args.map(String).join(' '));
  vi.spyOn(console, 'log').mockImplementation(capture);
  vi.spyOn(console, 'error').mockImplementation(capture);
});
afterEach(() => vi.restoreAllMocks());

/** What the central detector makes of the results sent, as the central bus would deliver them. */
async function centralFindings(results: readonly ScanResult[]) {
  const detector = new Detector({ engine: new RuleEngine([]), state: new MemoryStateStore(), sink: new RecordingSink(), clock: new ManualClock() });
  const events = results.map((detail, i) => normalizeEnvelope({ version: '0', id: `0d9c8b7a-6f5e-4d3c-8b2a-${String(i).padStart(12, '0')}`, 'detail-type': 'Skywatch Object Scan Result', source: 'skywatch.scanner', account: detail.account, time: detail.scannedAt, region: detail.region, resources: [], detail }));
  const { findings } = await detector.process(events);
  for (const f of findings) expect(validateAsffFinding(f)).toEqual([]);
  return findings;
}

function handler(options: { optedIn?: boolean; maxObjectBytes?: number } = {}) {
  const runtime: ScannerRuntime = {
    scanner,
    objects: new S3ObjectStore(s3.client),
    results: new CentralBusResults(new EventBridgeClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }), BUS),
    optIn: { isOptedIn: async (bucket) => bucket === BUCKET && options.optedIn !== false },
    maxObjectBytes: options.maxObjectBytes ?? 1024 * 1024,
    clock: new ManualClock(),
  };
  return scannerHandler(async () => runtime);
}

describe('the member scanner on s3rver', () => {
  it('scans each opted-in object and sends one result per object to the central bus, secrets redacted', async () => {
    const response = await handler()(sqsEvent([
      sqsRecord(created('notes/readme.txt', objects['notes/readme.txt']!.length)),
      sqsRecord(created('deploy/prod env+(old).env', objects['deploy/prod env+(old).env']!.length)),
      sqsRecord(created('downloads/eicar.com.gz', objects['downloads/eicar.com.gz']!.length)),
    ]));
    expect(response.batchItemFailures).toEqual([]);
    expect(sent.map((r) => [r.key, r.status, r.matches.map((m) => `${m.kind}:${m.rule}`)])).toEqual([
      ['notes/readme.txt', 'clean', []],
      ['deploy/prod env+(old).env', 'matched', ['secret:aws-secret-access-key']],
      ['downloads/eicar.com.gz', 'matched', ['yara:SUSP_Just_EICAR']],
    ]);
    const key = sent[1]!.matches[0]!;
    expect(key).toMatchObject({ rule: 'aws-secret-access-key', line: 4, preview: 'r7Tq****+QoP', severity: 'CRITICAL' });
    expect(sent[2]!.matches[0]).toMatchObject({ entry: 'downloads/eicar.com.gz!eicar.com', offset: 0 });
    expect(sent[0]).toMatchObject({ account: '111122223333', region: 'eu-west-1', bucket: BUCKET, size: objects['notes/readme.txt']!.length, rulesVersion: scanner.rulesVersion });
    // Nothing the scanner sends or logs holds the secret.
    for (const text of [JSON.stringify(sent), ...logged]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(KEY_ID);
    }
    expect(logged.some((l) => l.includes('"message":"object scanned"') && l.includes('"key":"deploy/prod env+(old).env"'))).toBe(true);
    const findings = await centralFindings(sent);
    expect(findings.map((f) => [f.ProductFields['skywatch/RuleId'], f.Resources[0]!.Id, f.AwsAccountId])).toEqual([
      ['object-secret', 'arn:aws:s3:::example-uploads/deploy/prod env+(old).env', '111122223333'],
      ['object-malware', 'arn:aws:s3:::example-uploads/downloads/eicar.com.gz', '111122223333'],
    ]);
    expect(JSON.stringify(findings)).not.toContain(SECRET);
  });

  it('reports an object over the size limit as not scanned: too large, without reading it', async () => {
    const response = await handler({ maxObjectBytes: 1024 })(sqsEvent([sqsRecord(created('big/dump.bin', 4096))]));
    expect(response.batchItemFailures).toEqual([]);
    expect(sent).toEqual([expect.objectContaining({ key: 'big/dump.bin', status: 'not-scanned', matches: [], notes: [{ path: 'big/dump.bin', reason: 'too-large', detail: 'not scanned: too large (4096 bytes, limit 1024)' }] })]);
  });

  it('stops at the limit while reading when the event understates the size', async () => {
    await handler({ maxObjectBytes: 1024 })(sqsEvent([sqsRecord(created('big/dump.bin', 100))]));
    expect(sent[0]).toMatchObject({ status: 'not-scanned', notes: [{ reason: 'too-large' }] });
  });

  it('stops a zip bomb at the ratio limit, scans the rest of the archive, and says so in the result', async () => {
    const size = objects['uploads/bomb.zip']!.length;
    expect((await handler()(sqsEvent([sqsRecord(created('uploads/bomb.zip', size))]))).batchItemFailures).toEqual([]);
    expect(sent).toEqual([expect.objectContaining({ key: 'uploads/bomb.zip', status: 'partial', matches: [], notes: [expect.objectContaining({ path: 'uploads/bomb.zip!layer/zeros.bin', reason: 'ratio' })] })]);
    const [finding] = await centralFindings(sent);
    expect(finding).toMatchObject({ Title: 'Archive bomb in s3://example-uploads/uploads/bomb.zip: unpacking stopped at the ratio limit', Types: ['TTPs/Defense Evasion/Archive bomb'] });
  });

  it('fails only the record of a missing object, naming bucket and key, and sends nothing for it', async () => {
    const missing = sqsRecord(created('notes/gone.txt', 10));
    const response = await handler()(sqsEvent([missing, sqsRecord(created('notes/readme.txt', 46))]));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: missing.messageId }]);
    expect(sent.map((r) => r.key)).toEqual(['notes/readme.txt']);
    expect(logged.some((l) => l.includes('"message":"object not scanned"') && l.includes('"bucket":"example-uploads"') && l.includes('"key":"notes/gone.txt"'))).toBe(true);
  });

  it('fails the record when the bus refuses the entry, so SQS retries it', async () => {
    bus.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }] });
    const record = sqsRecord(created('notes/readme.txt', 46));
    expect((await handler()(sqsEvent([record]))).batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(logged.some((l) => l.includes('the central bus refused the scan result: ThrottlingException (Rate exceeded)'))).toBe(true);
  });

  it('leaves buckets without the opt-in tag alone', async () => {
    expect((await handler({ optedIn: false })(sqsEvent([sqsRecord(created('notes/readme.txt', 46))]))).batchItemFailures).toEqual([]);
    expect(sent).toEqual([]);
  });

  it('fails a message that is not an Object Created event, alone', async () => {
    const bad = sqsRecord('{"detail-type":"Object Deleted","detail":{}}');
    const response = await handler()(sqsEvent([bad, sqsRecord(created('notes/readme.txt', 46))]));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: bad.messageId }]);
    expect(sent).toHaveLength(1);
  });
});

describe('the opt-in check', () => {
  // Mocked here only: a client mock replaces every S3Client, s3rver's included.
  let s3mock: ReturnType<typeof mockClient>;
  beforeEach(() => (s3mock = mockClient(S3Client)));
  afterEach(() => s3mock.restore());

  it('reads the bucket tags once per bucket within five minutes, and treats NoSuchTagSet as not opted in', async () => {
    const calls: string[] = [];
    s3mock.on(GetBucketTaggingCommand).callsFake((input: { Bucket: string }) => {
      expect(validateRequest(GetBucketTaggingRequest$, input)).toEqual([]);
      calls.push(input.Bucket);
      if (input.Bucket === 'untagged-bucket') throw Object.assign(new Error('The TagSet does not exist'), { name: 'NoSuchTagSet' });
      return { TagSet: [{ Key: 'team', Value: 'data' }, ...(input.Bucket === BUCKET ? [{ Key: 'skywatch:scan', Value: 'true' }] : [])] };
    });
    const clock = new ManualClock();
    const optIn = new BucketTagOptIn(new S3Client({ region: 'eu-west-1' }), { key: 'skywatch:scan', value: 'true' }, clock);
    expect([await optIn.isOptedIn(BUCKET), await optIn.isOptedIn(BUCKET), await optIn.isOptedIn('other-bucket'), await optIn.isOptedIn('untagged-bucket')]).toEqual([true, true, false, false]);
    clock.advance(5 * 60 * 1000);
    await optIn.isOptedIn(BUCKET);
    expect(calls).toEqual([BUCKET, 'other-bucket', 'untagged-bucket', BUCKET]);
  });
});
