import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ScanResult } from '../../member/scanner/scan-result.js';
import { startS3, type LocalS3 } from '../support/s3rver.js';
import { notificationKey, sqsEvent, sqsRecord } from '../support/sqs-events.js';

const ASSETS = 'skywatch-member-assets-111122223333-eu-west-1';
const UPLOADS = 'example-uploads';
const PREFIX = 'member/rules/';

// "Billion laughs": nine aliases of nine aliases, nine levels deep, in an otherwise plausible detector file.
const ALIAS_BOMB = [
  'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
  ...'bcdefghi'.split('').map((name, i) => `${name}: &${name} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`),
  'id: internal-api-token',
  'title: Internal API token',
  'severity: HIGH',
  'findingType: Sensitive Data Identifications/Passwords/Internal token',
  "pattern: 'itk_[a-z0-9]{32}'",
  'tests: { positive: [itk_0123456789abcdef0123456789abcdef], negative: [itk_short] }',
].join('\n');

const INTERNAL_TOOLS = 'rule Internal_Exfil_Tool {\n  strings:\n    $a = "exfil-helper v2"\n  condition:\n    $a\n}\n';
const UPDATES: Record<string, string> = {
  'index.json': JSON.stringify({ files: ['yara/internal-tools.yar', 'yara/skywatch/webshells.yar', 'yara/team/slow-export.yar', 'secrets/internal-api-token.yaml'] }),
  'yara/internal-tools.yar': INTERNAL_TOOLS,
  // Meant to replace the bundled web shell rules, but does not compile: the bundled file must stay.
  'yara/skywatch/webshells.yar': 'rule Team_Webshell_Marker {\n  strings:\n    $a = "team-marker-7731"\n  condition:\n    $a and missing_identifier\n}\n',
  'yara/team/slow-export.yar': 'rule Export_Marker_Anywhere {\n  strings:\n    $a = { 7e [0-] 7c }\n  condition:\n    $a\n}\n',
  'secrets/internal-api-token.yaml': ALIAS_BOMB,
};
// Another team's prefix: an index naming a file that was never published.
const OTHER_PREFIX = 'team-b/member/rules/';
const OTHER_UPDATES: Record<string, string> = {
  'index.json': JSON.stringify({ files: ['yara/internal-tools.yar', 'secrets/not-published.yaml'] }),
  'yara/internal-tools.yar': INTERNAL_TOOLS,
};
const LOG = 'exfil-helper v2 started\n<?php @eval(base64_decode($_POST["c"])); ?>\n';

let s3: LocalS3;
let logged: Array<Record<string, unknown>> = [];
let sent: ScanResult[] = [];
const bus = mockClient(EventBridgeClient);
const saved = { ...process.env };

beforeAll(async () => {
  s3 = await startS3();
  await s3.createBucket(ASSETS);
  await s3.createBucket(UPLOADS);
  for (const [file, body] of Object.entries(UPDATES)) await s3.client.send(new PutObjectCommand({ Bucket: ASSETS, Key: PREFIX + file, Body: body }));
  for (const [file, body] of Object.entries(OTHER_UPDATES)) await s3.client.send(new PutObjectCommand({ Bucket: ASSETS, Key: OTHER_PREFIX + file, Body: body }));
  await s3.client.send(new PutObjectCommand({ Bucket: UPLOADS, Key: 'tools/run.log', Body: LOG }));
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_ENDPOINT_URL_S3: s3.endpoint,
    CENTRAL_BUS_ARN: 'arn:aws:events:eu-west-1:999988887777:event-bus/skywatch', MAX_OBJECT_BYTES: String(1024 * 1024),
    OPT_IN_TAG_KEY: 'skywatch:scan', OPT_IN_TAG_VALUE: 'true', RULES_BUCKET: ASSETS, RULES_DIR: 'rules',
  });
  bus.on(PutEventsCommand).callsFake((input) => {
    sent.push(JSON.parse(input.Entries[0].Detail));
    return { FailedEntryCount: 0, Entries: [{ EventId: '6a8c0e2f-4b6d-4f8a-9c0e-2f4b6d8f0a1c' }] };
  });
  const capture = (line: unknown) => void logged.push(JSON.parse(String(line)));
  vi.spyOn(console, 'log').mockImplementation(capture);
  vi.spyOn(console, 'error').mockImplementation(capture);
});
afterAll(async () => {
  vi.restoreAllMocks();
  bus.restore();
  process.env = saved;
  await s3.close();
});

function created(key: string, size: number): string {
  return JSON.stringify({
    version: '0', id: '2d4f6a8c-0e2f-4b6d-8f0a-1c3e5a7c9e1b', 'detail-type': 'Object Created', source: 'aws.s3', account: '111122223333', time: '2026-11-21T11:58:00Z', region: 'eu-west-1', resources: [`arn:aws:s3:::${UPLOADS}`],
    detail: { version: '0', bucket: { name: UPLOADS }, object: { key: notificationKey(key), size }, 'request-id': 'C3D5F7H9J1K3M5N7', requester: '111122223333', 'source-ip-address': '192.0.2.10', reason: 'PutObject' },
  });
}

/** A cold start of the scanner Lambda reading updates under `prefix`, and its first message. */
async function coldStart(prefix: string) {
  [logged, sent] = [[], []];
  process.env.RULES_PREFIX = prefix;
  vi.resetModules();
  // s3rver has no bucket tagging: the opt-in check (tested on its own elsewhere) says yes.
  const { BucketTagOptIn } = await import('../../member/scanner/aws/bucket-opt-in.js');
  vi.spyOn(BucketTagOptIn.prototype, 'isOptedIn').mockResolvedValue(true);
  const { handler } = await import('../../member/scanner/handler.js');
  return handler(sqsEvent([sqsRecord(created('tools/run.log', LOG.length))]));
}

const at = (prefix: string, file: string) => `s3://${ASSETS}/${prefix}${file}`;

describe('the member scanner starting with bad rule updates in the asset bucket', () => {
  it('starts with the bundled rules and the good updates, and logs each bad file with its key', async () => {
    const response = await coldStart(PREFIX);
    expect(response.batchItemFailures).toEqual([]);
    // The good update applies; the bundled web shell rules stay, since their replacement did not compile.
    expect(sent.map((r) => r.matches.map((m) => m.rule).sort())).toEqual([['Internal_Exfil_Tool', 'Skywatch_Webshell_PHP_Eval_Request']]);
    const problems = logged.filter((l) => l.level !== 'info').map(({ time: _time, ...l }) => l);
    expect(problems).toEqual([
      { level: 'error', message: 'rule file not loaded', file: 'yara/skywatch/webshells.yar', key: at(PREFIX, 'yara/skywatch/webshells.yar'), line: 5, reason: 'E009: unknown identifier `missing_identifier`', bundledKept: true },
      { level: 'error', message: 'rule file not loaded', file: 'secrets/internal-api-token.yaml', line: 2, key: at(PREFIX, 'secrets/internal-api-token.yaml'), reason: 'invalid YAML: Excessive alias count indicates a resource exhaustion attack', bundledKept: false },
      { level: 'warn', message: 'rule file warning', file: 'yara/team/slow-export.yar', key: at(PREFIX, 'yara/team/slow-export.yar'), line: 3, reason: 'slow_pattern: slow pattern' },
    ]);
    expect(logged.find((l) => l.message === 'scanner ready')).toMatchObject({ updates: 2 });
  }, 60_000);

  it('applies the files of an index that names one never published, and logs the missing key', async () => {
    const response = await coldStart(OTHER_PREFIX);
    expect(response.batchItemFailures).toEqual([]);
    expect(sent.map((r) => r.matches.map((m) => m.rule).sort())).toEqual([['Internal_Exfil_Tool', 'Skywatch_Webshell_PHP_Eval_Request']]);
    expect(logged.filter((l) => l.level !== 'info').map(({ time: _time, ...l }) => l)).toEqual([
      { level: 'error', message: 'rule update not loaded', key: at(OTHER_PREFIX, 'secrets/not-published.yaml'), reason: 'listed in index.json but does not exist' },
    ]);
    expect(logged.find((l) => l.message === 'scanner ready')).toMatchObject({ updates: 1 });
  }, 60_000);
});
