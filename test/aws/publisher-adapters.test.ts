/**
 * The publisher's AWS adapters: assumed-role credentials (STS fake), the Security Hub importer's error
 * taxonomy (Security Hub fake) and the OCSF archive (s3rver).
 */
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AssumedCredentials, type CredentialSource } from '../../central/aws/adapters/assumed-credentials.js';
import { S3FindingArchive } from '../../central/aws/adapters/s3-ocsf-archive.js';
import { SecurityHubImporter } from '../../central/aws/adapters/security-hub-importer.js';
import { ImportCredentialsError, ImportDeniedError, ImportServerError, ImportThrottledError } from '../../central/core/delivery/importer.js';
import { toOcsfDetectionFinding } from '../../central/core/delivery/ocsf.js';
import { FINDING_WRITER_ROLE_NAME } from '../../stacks/names.js';
import { ACCOUNTS, findingsIn, sampleFinding } from '../delivery/samples.js';
import { ManualClock } from '../support/detector.js';
import { startS3, type LocalS3 } from '../support/s3rver.js';
import { restoreCheckedFakes, SecurityHubFake } from '../support/security-hub-fake.js';

const { prod, dev } = ACCOUNTS;
const fakes: SecurityHubFake[] = [];

afterEach(() => {
  restoreCheckedFakes(fakes);
});

function setup() {
  const clock = new ManualClock();
  const fake = new SecurityHubFake({ clock });
  fakes.push(fake);
  const sts = new STSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' } });
  const credentials = new AssumedCredentials({ sts, roleName: FINDING_WRITER_ROLE_NAME, clock });
  return { clock, fake, credentials, importer: new SecurityHubImporter(credentials) };
}

/** What an import rejects with, for exact assertions on the error's data. */
async function rejection(promise: Promise<unknown>): Promise<{ error: unknown; name: string; code: string; account: string; region: string; causeName: string }> {
  const error = await promise.then(
    () => expect.fail('expected the import to fail'),
    (e: unknown) => e,
  );
  const e = error as { name: string; code: string; account: string; region: string; cause?: { name?: string } };
  return { error, name: e.name, code: e.code, account: e.account, region: e.region, causeName: String(e.cause?.name) };
}

describe('assumed FindingWriter credentials', () => {
  it('assumes the FindingWriter role of the account for an hour as skywatch-publisher', async () => {
    const { fake, credentials, clock } = setup();
    const identity = await credentials.get(prod);
    expect(fake.assumed).toEqual([{ roleArn: `arn:aws:iam::${prod}:role/skywatch-finding-writer`, sessionName: 'skywatch-publisher', durationSeconds: 3600 }]);
    expect(identity.expiration.getTime()).toBe(clock.now().getTime() + 3_600_000);
    expect(fake.issuedSecrets()).toEqual([identity.accessKeyId, identity.secretAccessKey, identity.sessionToken]);
  });

  it('uses the cached credentials until five minutes before they expire', async () => {
    const { fake, credentials, clock } = setup();
    const first = await credentials.get(prod);
    clock.advance(55 * 60_000 - 1);
    expect(await credentials.get(prod)).toBe(first);
    clock.advance(1);
    const renewed = await credentials.get(prod);
    expect(renewed.accessKeyId).not.toBe(first.accessKeyId);
    expect(fake.counters.assumeRoles).toBe(2);
  });

  it('keeps credentials per account and assumes each once for concurrent callers', async () => {
    const { fake, credentials } = setup();
    const [a, b, c] = await Promise.all([credentials.get(prod), credentials.get(prod), credentials.get(dev)]);
    expect(a).toBe(b);
    expect(c.accessKeyId).not.toBe(a.accessKeyId);
    expect(fake.assumed.map((r) => r.roleArn)).toEqual([`arn:aws:iam::${prod}:role/skywatch-finding-writer`, `arn:aws:iam::${dev}:role/skywatch-finding-writer`]);
  });

  it('assumes the role again after invalidate, and does not cache a refusal', async () => {
    const { fake, credentials } = setup();
    const first = await credentials.get(prod);
    credentials.invalidate(prod);
    expect((await credentials.get(prod)).accessKeyId).not.toBe(first.accessKeyId);
    fake.refuseRole(dev);
    await expect(credentials.get(dev)).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(credentials.get(dev)).rejects.toMatchObject({ name: 'AccessDenied' });
    expect(fake.counters.assumeRoles).toBe(4);
  });

  it('names the role in the partition it is deployed in', () => {
    const credentials = new AssumedCredentials({ sts: new STSClient({ region: 'cn-north-1' }), roleName: 'skywatch-finding-writer', clock: new ManualClock(), partition: 'aws-cn' });
    expect(credentials.roleArn(prod)).toBe(`arn:aws-cn:iam::${prod}:role/skywatch-finding-writer`);
  });
});

describe('the Security Hub importer', () => {
  it('imports in the account of the findings, in their region, and returns the failed findings', async () => {
    const { fake, importer } = setup();
    const findings = findingsIn([`${prod}/ap-southeast-2`], 2);
    fake.refuseOnce(findings[1]!.Id, 'InvalidInput', 'Finding is invalid');
    expect(await importer.import(prod, 'ap-southeast-2', findings)).toEqual([{ id: findings[1]!.Id, code: 'InvalidInput', message: 'Finding is invalid' }]);
    expect(fake.calls).toEqual([{ account: prod, region: 'ap-southeast-2', ids: findings.map((f) => f.Id), outcome: 'accepted' }]);
  });

  it('turns throttling into ImportThrottledError', async () => {
    const { fake, importer } = setup();
    fake.failNext('throttle');
    const e = await rejection(importer.import(prod, 'eu-west-1', [sampleFinding(prod, 'eu-west-1', 1)]));
    expect(e.error).toBeInstanceOf(ImportThrottledError);
    expect([e.name, e.code, e.account, e.region, e.causeName]).toEqual(['ImportThrottledError', 'TooManyRequestsException', prod, 'eu-west-1', 'TooManyRequestsException']);
  });

  it('turns a 500 into ImportServerError', async () => {
    const { fake, importer } = setup();
    fake.failNext('server');
    const e = await rejection(importer.import(prod, 'eu-west-1', [sampleFinding(prod, 'eu-west-1', 1)]));
    expect(e.error).toBeInstanceOf(ImportServerError);
    expect([e.code, e.causeName]).toEqual(['InternalException', 'InternalException']);
  });

  it('turns AccessDenied on the call into ImportDeniedError', async () => {
    const { fake, importer } = setup();
    fake.failNext('denied');
    const e = await rejection(importer.import(prod, 'eu-west-1', [sampleFinding(prod, 'eu-west-1', 1)]));
    expect(e.error).toBeInstanceOf(ImportDeniedError);
    expect(e.code).toBe('AccessDeniedException');
  });

  it('turns a role it cannot assume into ImportCredentialsError', async () => {
    const { fake, importer } = setup();
    fake.refuseRole(dev);
    const e = await rejection(importer.import(dev, 'eu-west-1', [sampleFinding(dev, 'eu-west-1', 1)]));
    expect(e.error).toBeInstanceOf(ImportCredentialsError);
    expect([e.code, e.account, e.causeName]).toEqual(['AccessDenied', dev, 'AccessDenied']);
    expect(fake.calls).toEqual([]);
  });

  it('assumes the role again and retries once when the credentials expired', async () => {
    const { fake, importer } = setup();
    await importer.import(prod, 'eu-west-1', [sampleFinding(prod, 'eu-west-1', 1)]);
    fake.expireCredentials(prod);
    expect(await importer.import(prod, 'eu-west-1', [sampleFinding(prod, 'eu-west-1', 2)])).toEqual([]);
    expect(fake.calls.map((c) => c.outcome)).toEqual(['accepted', 'expired', 'accepted']);
    expect(fake.counters.assumeRoles).toBe(2);
  });

  it('gives up with ImportCredentialsError when the refreshed credentials are expired too', async () => {
    const { fake, credentials } = setup();
    // A source that cannot refresh: the second attempt gets the same expired key.
    const stuck: CredentialSource = { get: (account) => credentials.get(account), invalidate: () => {} };
    const importer = new SecurityHubImporter(stuck);
    await importer.import(prod, 'eu-west-1', [sampleFinding(prod, 'eu-west-1', 1)]);
    fake.expireCredentials(prod);
    const e = await rejection(importer.import(prod, 'eu-west-1', [sampleFinding(prod, 'eu-west-1', 2)]));
    expect(e.error).toBeInstanceOf(ImportCredentialsError);
    expect([e.code, e.causeName]).toEqual(['ExpiredTokenException', 'ExpiredTokenException']);
    expect(fake.calls.map((c) => c.outcome)).toEqual(['accepted', 'expired', 'expired']);
  });

  it('uses new credentials once the cached ones are near expiry', async () => {
    const { fake, importer, clock } = setup();
    await importer.import(prod, 'eu-west-1', [sampleFinding(prod, 'eu-west-1', 1)]);
    clock.advance(56 * 60_000);
    await importer.import(prod, 'eu-west-1', [sampleFinding(prod, 'eu-west-1', 2)]);
    expect(fake.calls.map((c) => c.outcome)).toEqual(['accepted', 'accepted']);
    expect(fake.counters.assumeRoles).toBe(2);
  });

  it('passes an error it does not know through untouched', async () => {
    const { fake, importer } = setup();
    const invalid = { ...sampleFinding(prod, 'eu-west-1', 1), AwsAccountId: '1234' };
    await expect(importer.import(prod, 'eu-west-1', [invalid])).rejects.toThrow(/^fake Security Hub: invalid BatchImportFindings request: /);
    expect(fake.violations.splice(0)).toEqual(['BatchImportFindings: $.Findings[0].AwsAccountId: expected 12 digits, got "1234"']);
  });
});

describe('the OCSF archive in S3', () => {
  let s3: LocalS3;
  beforeAll(async () => {
    s3 = await startS3();
    await s3.createBucket('org-log-archive-123456789012');
  });
  afterAll(async () => s3.close());

  it('writes one JSON-lines object per account and region under partitioned keys', async () => {
    const clock = new ManualClock(Date.parse('2026-11-21T12:34:56.789Z'));
    let n = 0;
    const archive = new S3FindingArchive({ client: s3.client, bucket: 'org-log-archive-123456789012', prefix: 'skywatch/ocsf/', clock, suffix: () => `s${++n}` });
    const findings = findingsIn([`${prod}/eu-west-1`, `${prod}/us-east-1`, `${dev}/eu-west-1`], 2);
    const records = findings.map(toOcsfDetectionFinding);

    await archive.write(records);

    const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: 'org-log-archive-123456789012', Prefix: 'skywatch/ocsf/' }));
    expect(listed.Contents?.map((o) => o.Key).sort()).toEqual([
      `skywatch/ocsf/account=${prod}/region=eu-west-1/date=2026-11-21/123456789-s1.jsonl`,
      `skywatch/ocsf/account=${prod}/region=us-east-1/date=2026-11-21/123456789-s2.jsonl`,
      `skywatch/ocsf/account=${dev}/region=eu-west-1/date=2026-11-21/123456789-s3.jsonl`,
    ].sort());
    const key = `skywatch/ocsf/account=${dev}/region=eu-west-1/date=2026-11-21/123456789-s3.jsonl`;
    const head = await s3.client.send(new HeadObjectCommand({ Bucket: 'org-log-archive-123456789012', Key: key }));
    expect(head.ContentType).toBe('application/x-ndjson');
    const body = await (await s3.client.send(new GetObjectCommand({ Bucket: 'org-log-archive-123456789012', Key: key }))).Body!.transformToString();
    expect(body.endsWith('\n')).toBe(true);
    expect(body.trimEnd().split('\n').map((line) => JSON.parse(line))).toEqual(records.slice(4));
  });

  it('writes nothing for no records', async () => {
    const archive = new S3FindingArchive({ client: s3.client, bucket: 'org-log-archive-123456789012', prefix: 'empty/', clock: new ManualClock() });
    await archive.write([]);
    const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: 'org-log-archive-123456789012', Prefix: 'empty/' }));
    expect(listed.KeyCount).toBe(0);
  });
});
