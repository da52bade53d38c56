/**
 * The Outbox contract: what every outbox (memory, DynamoDB) must do so the publisher never loses a
 * finding nor re-sends an outdated one. Each test gets a fresh, empty outbox.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Outbox, OutboxItem } from '../../central/core/delivery/outbox.js';
import { productArn, type AsffFinding } from '../../central/core/findings/asff.js';

/** A fresh outbox for one test, and how to dispose of it. */
export type MakeOutbox = () => Promise<{ outbox: Outbox; close?: () => Promise<void> }>;

/** What varies between the sample findings. */
export interface SampleFindingOptions {
  readonly account?: string;
  readonly region?: string;
  readonly rule?: string;
  readonly updatedAt?: string;
  readonly title?: string;
}

/** A complete Skywatch finding as the detector builds it (Security Hub accepts it; a test checks). */
export function sampleFinding({ account = '123456789012', region = 'us-east-1', rule = 'root-account-usage', updatedAt = '2026-11-21T12:00:00.000Z', title }: SampleFindingOptions = {}): AsffFinding {
  const severity = { Label: 'HIGH', Original: 'HIGH' } as const;
  const types = ['TTPs/Privilege Escalation/Root account usage'];
  return {
    SchemaVersion: '2018-10-08',
    Id: `skywatch/${region}/${account}/${rule}/3f2a9c0d8e7b6a5f4e3d2c1b0a998877`,
    ProductArn: productArn(region, account),
    ProductName: 'Skywatch',
    CompanyName: 'Skywatch',
    GeneratorId: `skywatch/${rule}`,
    AwsAccountId: account,
    Region: region,
    Types: types,
    FirstObservedAt: '2026-11-21T11:58:03Z',
    LastObservedAt: updatedAt,
    CreatedAt: '2026-11-21T12:00:00.000Z',
    UpdatedAt: updatedAt,
    Severity: severity,
    Title: title ?? `Root account used in ${account}`,
    Description: 'The root user called s3:ListBuckets from 192.0.2.10. Root should only be used for the few tasks that need it.',
    ProductFields: {
      'skywatch/RuleId': rule,
      'skywatch/Status': 'active',
      'skywatch/EventIds': '6f1c2a3b-4d5e-4f60-8a1b-2c3d4e5f6a7b',
      'skywatch/EventCount': '1',
      'skywatch/ActorArn': `arn:aws:iam::${account}:root`,
      'skywatch/SourceIp': '192.0.2.10',
    },
    Resources: [{ Type: 'AwsAccount', Id: `AWS::::Account:${account}`, Partition: 'aws', Region: region }],
    FindingProviderFields: { Severity: { ...severity }, Types: [...types] },
    RecordState: 'ACTIVE',
  };
}

/** Every pending item, page by page. */
export async function drain(outbox: Outbox, pageSize?: number): Promise<OutboxItem[][]> {
  const pages: OutboxItem[][] = [];
  for await (const page of outbox.pages(pageSize)) pages.push(page);
  return pages;
}

const at = (minute: number) => new Date(Date.UTC(2026, 10, 21, 12, minute)).toISOString();

/** Declares the Outbox contract tests for one adapter. */
export function outboxContract(name: string, makeOutbox: MakeOutbox): void {
  describe(name, () => {
    let outbox: Outbox;
    let close: (() => Promise<void>) | undefined;

    beforeEach(async () => {
      ({ outbox, close } = await makeOutbox());
    });
    afterEach(async () => {
      await close?.();
    });

    it('has nothing pending at first', async () => {
      expect(await drain(outbox)).toEqual([]);
    });

    it('pages pending findings ordered by account, region and Id, with no attempts yet', async () => {
      const findings = [
        sampleFinding({ account: '444455556666', region: 'us-east-1' }),
        sampleFinding({ account: '123456789012', region: 'us-east-1', rule: 'stop-logging' }),
        sampleFinding({ account: '123456789012', region: 'eu-west-1' }),
        sampleFinding({ account: '123456789012', region: 'us-east-1', rule: 'console-login-without-mfa' }),
      ];
      await outbox.put(findings);
      const [f4, f2, f1, f3] = findings;
      expect(await drain(outbox)).toEqual([[f1, f3, f2, f4].map((finding) => ({ finding, attempts: 0 }))]);
    });

    it('replaces a pending finding with a newer version of it', async () => {
      await outbox.put([sampleFinding({ updatedAt: at(0) })]);
      const newer = sampleFinding({ updatedAt: at(5), title: 'Root account used again in 123456789012' });
      await outbox.put([newer]);
      expect(await drain(outbox)).toEqual([[{ finding: newer, attempts: 0 }]]);
    });

    it('keeps a pending finding when an older or equally old version arrives late', async () => {
      const pending = sampleFinding({ updatedAt: at(5) });
      await outbox.put([pending]);
      await outbox.put([sampleFinding({ updatedAt: at(0), title: 'older' })]);
      await outbox.put([sampleFinding({ updatedAt: at(5), title: 'same time, other text' })]);
      expect(await drain(outbox)).toEqual([[{ finding: pending, attempts: 0 }]]);
    });

    it('keeps the newest when one put carries several versions of a finding', async () => {
      const newest = sampleFinding({ updatedAt: at(9) });
      await outbox.put([sampleFinding({ updatedAt: at(3) }), newest, sampleFinding({ updatedAt: at(6) })]);
      expect(await drain(outbox)).toEqual([[{ finding: newest, attempts: 0 }]]);
    });

    it('removes only the exact version delivered', async () => {
      const pending = sampleFinding({ updatedAt: at(5) });
      const other = sampleFinding({ account: '444455556666' });
      await outbox.put([pending, other]);
      await outbox.remove([sampleFinding({ updatedAt: at(0) }), sampleFinding({ updatedAt: at(9) })]);
      expect(await drain(outbox)).toEqual([[{ finding: pending, attempts: 0 }, { finding: other, attempts: 0 }]]);
      await outbox.remove([pending, sampleFinding({ account: '777788889999' })]);
      expect(await drain(outbox)).toEqual([[{ finding: other, attempts: 0 }]]);
    });

    it('counts failed attempts on the exact version, keeps the latest reason, and carries both to a newer version', async () => {
      const pending = sampleFinding({ updatedAt: at(5) });
      await outbox.put([pending]);
      await outbox.failed([pending], 'AccessDenied: not authorized to perform sts:AssumeRole');
      await outbox.failed([pending], 'InvalidAccess: Account 123456789012 is not subscribed to AWS Security Hub');
      await outbox.failed([sampleFinding({ updatedAt: at(0) })], 'stale version: must not count');
      const reason = 'InvalidAccess: Account 123456789012 is not subscribed to AWS Security Hub';
      expect(await drain(outbox)).toEqual([[{ finding: pending, attempts: 2, lastError: reason }]]);
      const newer = sampleFinding({ updatedAt: at(9) });
      await outbox.put([newer]);
      expect(await drain(outbox)).toEqual([[{ finding: newer, attempts: 2, lastError: reason }]]);
    });

    it('records nothing for a failed finding that is not pending', async () => {
      await outbox.failed([sampleFinding()], 'ThrottlingException: Rate exceeded');
      expect(await drain(outbox)).toEqual([]);
    });

    it('pages through more findings than one page holds, in order, without an empty last page', async () => {
      const findings = Array.from({ length: 25 }, (_, i) => sampleFinding({ rule: `rule-${String(i).padStart(2, '0')}` }));
      await outbox.put([...findings].reverse());
      const pages = await drain(outbox, 10);
      expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
      expect(pages.flat().map((item) => item.finding)).toEqual(findings);
      await outbox.remove(findings.slice(20));
      expect((await drain(outbox, 10)).map((p) => p.length)).toEqual([10, 10]);
    });

    it('keeps a newer version put between reading a page and removing what was delivered', async () => {
      await outbox.put([sampleFinding({ updatedAt: at(0) })]);
      const [read] = await drain(outbox);
      const newer = sampleFinding({ updatedAt: at(1) });
      await outbox.put([newer]);
      await outbox.remove(read!.map((item) => item.finding));
      await outbox.failed(read!.map((item) => item.finding), 'late failure of the old version');
      expect(await drain(outbox)).toEqual([[{ finding: newer, attempts: 0 }]]);
    });

    it('keeps copies: changing a finding after put or after paging changes nothing pending', async () => {
      const pending = sampleFinding();
      await outbox.put([pending]);
      pending.Title = 'changed by the writer';
      const [[item]] = (await drain(outbox)) as [[OutboxItem]];
      item.finding.Title = 'changed by a reader';
      expect(await drain(outbox)).toEqual([[{ finding: sampleFinding(), attempts: 0 }]]);
    });
  });
}
