import { describe, expect, it } from 'vitest';
import { RejectedEnvelopeError } from '../../central/core/decode/envelope-sender.js';
import { normalizeEnvelope } from '../../central/core/decode/eventbridge.js';
import { accountOfTrailKey, keepTrailAccount } from '../../central/core/decode/trail-key.js';
import { decodeInput } from '../../central/core/decode/log-object.js';
import { apiCallEnvelope, cloudTrailRecord } from '../support/cloudtrail.js';
import { FORGER, forgedEnvelopes, VICTIM, victimConfigChange, victimGuardDutyFinding, victimRootKey } from '../support/forged.js';

const rejection = (envelope: Record<string, unknown>) => {
  try {
    normalizeEnvelope(envelope);
  } catch (err) {
    if (err instanceof RejectedEnvelopeError) return { reason: err.reason, sender: err.sender, claimed: err.claimed, field: err.field, source: err.source, message: err.message };
    throw err;
  }
  throw new Error('the envelope was accepted');
};

describe('the account of an EventBridge envelope', () => {
  it('rejects every forgery a member could send about another account', () => {
    expect(forgedEnvelopes().map(({ name, envelope }) => [name, rejection(envelope).reason])).toEqual([
      ['CloudTrail call with a custom source', 'untrusted-source'],
      ['CloudTrail call about the victim', 'account-mismatch'],
      ['console sign-in about the victim', 'account-mismatch'],
      ['GuardDuty finding with a custom source', 'untrusted-source'],
      ['GuardDuty finding about the victim', 'account-mismatch'],
      ['Config change with a custom source', 'untrusted-source'],
      ['Config change about the victim', 'account-mismatch'],
      ['scan result about the victim', 'account-mismatch'],
    ]);
  });

  it('names both accounts and the field that made the claim', () => {
    const [, cloudTrail, , , guardDuty, , config, scan] = forgedEnvelopes().map((f) => rejection(f.envelope));
    expect(cloudTrail).toEqual({
      reason: 'account-mismatch', sender: FORGER, claimed: VICTIM, field: 'recipientAccountId', source: undefined,
      message: `rejected: "AWS API Call via CloudTrail" event sent by account ${FORGER} claims account ${VICTIM} in detail.recipientAccountId`,
    });
    expect([guardDuty!.field, config!.field, scan!.field]).toEqual(['accountId', 'awsAccountId', 'account']);
    expect(rejection(forgedEnvelopes()[0]!.envelope).message).toBe(`rejected: "AWS API Call via CloudTrail" event with source "attacker.custom" from account ${FORGER}; only AWS can send it`);
  });

  it('takes the account from the envelope, not from the caller, when the record has no recipientAccountId', () => {
    const record = victimRootKey({ recipientAccountId: undefined });
    const event = normalizeEnvelope({ ...apiCallEnvelope(record), account: FORGER });
    expect(event.account).toBe(FORGER);
    expect(event.actor.accountId).toBe(VICTIM);
  });

  it('rejects an envelope without a sender account', () => {
    const { account: _, ...unsigned } = apiCallEnvelope(cloudTrailRecord());
    expect(rejection(unsigned)).toMatchObject({ reason: 'no-sender', message: 'rejected: "AWS API Call via CloudTrail" envelope has no 12-digit account, so its sender is unknown' });
  });

  it('accepts the genuine envelopes of the victim itself', () => {
    const own = (detailType: string, source: string, detail: Record<string, unknown>) => ({ version: '0', id: 'c8c4daa7-a20c-2f03-0070-b7393dd542ad', 'detail-type': detailType, source, account: VICTIM, time: '2026-11-02T11:00:00Z', region: 'us-east-1', resources: [], detail });
    expect(normalizeEnvelope(apiCallEnvelope(victimRootKey())).account).toBe(VICTIM);
    expect(normalizeEnvelope(own('GuardDuty Finding', 'aws.guardduty', victimGuardDutyFinding()))).toMatchObject({ kind: 'guardduty', account: VICTIM });
    expect(normalizeEnvelope(own('Config Rules Compliance Change', 'aws.config', victimConfigChange()))).toMatchObject({ kind: 'config', account: VICTIM });
  });

  it('reports a forged envelope in a replayed file as a rejected record and keeps the other lines', async () => {
    const forged = { ...apiCallEnvelope(victimRootKey()), account: FORGER };
    const genuine = apiCallEnvelope(cloudTrailRecord());
    const decoded = await decodeInput('exports/bus.jsonl', Buffer.from(`${JSON.stringify(forged)}\n${JSON.stringify(genuine)}\n`));
    expect(decoded.events.map((e) => e.account)).toEqual(['111122223333']);
    expect(decoded.problems).toEqual([{ input: 'exports/bus.jsonl', line: 1, index: undefined, level: 'error', reason: `rejected: "AWS API Call via CloudTrail" event sent by account ${FORGER} claims account ${VICTIM} in detail.recipientAccountId` }]);
  });
});

describe('the account of a trail file', () => {
  const KEY = 'AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/us-east-1/2026/11/02/111122223333_CloudTrail_us-east-1_20261102T0915Z_AbCdEfGh12345678.json.gz';

  it('keeps the records of the key\'s account and rejects a record about another one', async () => {
    const own = cloudTrailRecord();
    const decoded = await decodeInput(KEY, Buffer.from(JSON.stringify({ Records: [own, victimRootKey()] })));
    expect(decoded.events.map((e) => e.id)).toEqual([own.eventID]);
    expect(decoded.problems).toEqual([{ input: KEY, index: 1, line: undefined, level: 'error', reason: `rejected: a record about account ${VICTIM} in a trail file of account 111122223333` }]);
  });

  it('gives a record without recipientAccountId the key\'s account, not its caller\'s', async () => {
    const old = cloudTrailRecord({ recipientAccountId: undefined, userIdentity: { type: 'AWSAccount', principalId: 'AIDAEXAMPLE', accountId: VICTIM } });
    expect((await decodeInput('exports/old.json', Buffer.from(JSON.stringify({ Records: [old] })))).events[0]!.account).toBe(VICTIM);
    expect((await decodeInput(KEY, Buffer.from(JSON.stringify({ Records: [old] })))).events.map((e) => e.account)).toEqual(['111122223333']);
  });

  it('leaves inputs without the trail layout alone, and reads the account of every trail layout', () => {
    expect(keepTrailAccount('exports/any.json', [])).toEqual({ events: [], problems: [] });
    expect(['s3://logs/AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/us-east-1/x.json.gz', '/home/me/trail/AWSLogs/111122223333/CloudTrail/eu-west-1/x.json.gz', 'AWSLogs/111122223333/CloudTrail-Digest/x'].map(accountOfTrailKey)).toEqual(['111122223333', '111122223333', undefined]);
  });
});
