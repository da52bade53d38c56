import { beforeAll, describe, expect, it } from 'vitest';
import { emailOf, slackOf, subjectOf } from '../../central/core/delivery/messages.js';
import { noticeOfFinding, noticeOfSignal, type Notice } from '../../central/core/delivery/notice.js';
import { payloadProblem } from '../support/slack-receiver.js';
import { snsPublishLimits } from '../support/sns-fake.js';
import { configEnvelope, directory, guardDutyEnvelope, rootFinding, signalOf } from './notifier-samples.js';

const LINK =
  'https://us-east-1.console.aws.amazon.com/securityhub/home?region=us-east-1#/findings?search=Id%3D%255Coperator%255C%253AEQUALS%255C%253A' +
  'skywatch%252Fus-east-1%252F123456789012%252Froot-account-usage%252F6f67ccccb24a320824a93b591949b703';

let root: Notice;
beforeAll(async () => {
  root = noticeOfFinding(await rootFinding(), directory, 'us-east-1');
});

describe('the email', () => {
  it('has the exact subject and body for a root API call', () => {
    const { subject, body } = emailOf(root);
    expect(subject).toBe('[HIGH] Root user called ListBuckets in account 123456789012 - prod-payments us-east-1');
    expect(body).toBe(
      [
        '[HIGH] Root user called ListBuckets in account 123456789012',
        '',
        'What:      Root user called ListBuckets in account 123456789012',
        'Severity:  HIGH',
        'Account:   prod-payments (123456789012)',
        'Region:    us-east-1',
        'Actor:     arn:aws:iam::123456789012:root',
        'Source IP: 192.0.2.10',
        'When:      2026-11-21T11:59:30Z',
        'Rule:      root-account-usage',
        'Resources: AWS::::Account:123456789012',
        'Investigate: skywatch query run actor-activity --param actor=arn:aws:iam::123456789012:root',
        '',
        "The account's root user made an API call or signed in. Root credentials bypass IAM policies and SCPs' permission boundaries for many actions; day-to-day work should never use them.",
        '',
        'Open in Security Hub:',
        LINK,
        '',
        'Runbook:',
        '1. Confirm with the account owner whether root was used on purpose (billing, account recovery, a task that needs root).',
        '2. If not: reset the root password, rotate or delete root access keys, check the root MFA device.',
        "3. Review every call made by root in the hour around this one (Athena: `userIdentity.type = 'Root'`).",
        'Reference: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html',
        '',
        'Notice id: skywatch/us-east-1/123456789012/root-account-usage/6f67ccccb24a320824a93b591949b703',
        '',
      ].join('\n'),
    );
  });

  it('names the account by name and id when the title does not', () => {
    expect(subjectOf({ ...root, title: 'Root account used' })).toBe('[HIGH] Root account used - prod-payments (123456789012) us-east-1');
    expect(subjectOf({ ...root, title: 'Root account used', accountName: undefined })).toBe('[HIGH] Root account used - 123456789012 us-east-1');
  });

  it('keeps the subject printable ASCII on one line, under 100 characters, clipping the title first', () => {
    const title = 'Rôle “deploy—prod” assumed\nfrom a new ASN… by ' + 'x'.repeat(120);
    const subject = subjectOf({ ...root, title, accountName: 'prod-paiements-é' });
    expect(subject).toBe('[HIGH] Role "deploy-prod" assumed from a new ASN...... - prod-paiements-e (123456789012) us-east-1');
    expect(subject.length).toBeLessThan(100);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
  });

  it('says RESOLVED for a closed coverage gap', () => {
    expect(subjectOf({ ...root, source: 'coverage', status: 'archived', title: 'Security Hub is off in 123456789012' })).toBe('[RESOLVED] Security Hub is off in 123456789012 - prod-payments us-east-1');
  });

  it('passes the documented SNS limits for every kind of notice', () => {
    const notices = [root, noticeOfSignal(signalOf(guardDutyEnvelope()), directory), noticeOfSignal(signalOf(configEnvelope('NON_COMPLIANT')), directory)];
    for (const notice of notices) {
      const { subject, body } = emailOf(notice);
      expect(snsPublishLimits({ TopicArn: 'arn:aws:sns:us-east-1:222222222222:skywatch-findings', Subject: subject, Message: body })).toEqual([]);
    }
    expect(emailOf(notices[1]!).subject).toBe('[LOW] 199.241.229.197 is performing SSH brute force a... - sandbox-network (193043430472) us-east-1');
  });
});

describe('the Slack message', () => {
  it('is the exact Block Kit payload for a root API call', () => {
    expect(slackOf(root)).toEqual({
      text: '[HIGH] Root user called ListBuckets in account 123456789012 - prod-payments (123456789012) us-east-1',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: '[HIGH] Root user called ListBuckets in account 123456789012' } },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*Severity*\nHIGH' },
            { type: 'mrkdwn', text: '*Account*\nprod-payments (123456789012)' },
            { type: 'mrkdwn', text: '*Region*\nus-east-1' },
            { type: 'mrkdwn', text: '*Actor*\n`arn:aws:iam::123456789012:root`' },
            { type: 'mrkdwn', text: '*Source IP*\n`192.0.2.10`' },
          ],
        },
        { type: 'section', text: { type: 'mrkdwn', text: root.description } },
        { type: 'section', text: { type: 'mrkdwn', text: '*Investigate*\n`skywatch query run actor-activity --param actor=arn:aws:iam::123456789012:root`' } },
        { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in Security Hub' }, url: LINK }] },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'Rule: `root-account-usage` · seen 2026-11-21T11:59:30Z' }] },
      ],
    });
    expect(payloadProblem(slackOf(root))).toBeUndefined();
  });

  it('escapes what could mention people or hide a link', () => {
    const message = slackOf({ ...root, description: 'User <!channel> & <https://example.com|click here>', actor: 'arn:aws:iam::123456789012:user/`<@U012AB3CD>`' });
    const blocks = message.blocks as ReadonlyArray<Record<string, any>>;
    expect(blocks[2]!.text.text).toBe('User &lt;!channel&gt; &amp; &lt;https://example.com|click here&gt;');
    expect(blocks[1]!.fields[3].text).toBe("*Actor*\n`arn:aws:iam::123456789012:user/'&lt;@U012AB3CD&gt;'`");
  });

  it('clips a long description to Slack\'s 3000 characters without cutting an escape in half', () => {
    const description = 'a'.repeat(2996) + '&&&&&&&&';
    const text = (slackOf({ ...root, description }).blocks[2] as { text: { text: string } }).text.text;
    expect(text).toBe('a'.repeat(2996) + '…');
    expect(payloadProblem(slackOf({ ...root, description: 'é'.repeat(5000), title: 'T'.repeat(400) }))).toBeUndefined();
  });

  it('leaves out the actor and source IP a notice does not have', () => {
    const config = noticeOfSignal(signalOf(configEnvelope('NON_COMPLIANT')), directory);
    const fields = (slackOf(config).blocks[1] as { readonly fields: ReadonlyArray<{ text: string }> }).fields.map((f) => f.text);
    expect(fields).toEqual(['*Severity*\nMEDIUM', '*Account*\nprod-payments (123456789012)', '*Region*\nus-east-2']);
    expect(slackOf(config).blocks[4]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: 'Config rule: `cloudtrail-enabled` · seen 2016-09-27T20:02:11.204Z' }] });
  });
});
