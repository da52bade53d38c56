import { describe, expect, it } from 'vitest';
import { classifyNetworkInput, layoutOfPath, sniffNetworkLog } from '../../../central/core/netlogs/log-layout.js';

const FLOW_HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const FLOW_RECORD = '2 123456789012 eni-1235b8ca123456789 192.0.2.10 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';
const WAF_LINE = JSON.stringify({ timestamp: 1576280412771, webaclId: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/Shop/1a2b', httpRequest: { clientIp: '192.0.2.10' } });
const TRAIL_LINE = '{"Records":[{"eventVersion":"1.08","eventSource":"s3.amazonaws.com"}]}';

describe('the layout of a network log path', () => {
  it.each([
    ['a daily flow-log folder', 'AWSLogs/123456789012/vpcflowlogs/eu-west-1/2024/05/01/123456789012_vpcflowlogs_eu-west-1_fl-0a1b2c3d_20240501T1305Z_fe123456.log.gz', { kind: 'flow', account: '123456789012', region: 'eu-west-1', day: '2024-05-01' }],
    ['an hourly flow-log folder', 'AWSLogs/123456789012/vpcflowlogs/us-gov-west-1/2024/05/01/13/123456789012_vpcflowlogs_us-gov-west-1_fl-0a1b2c3d_20240501T1305Z_fe123456.log.gz', { kind: 'flow', account: '123456789012', region: 'us-gov-west-1', day: '2024-05-01' }],
    ['a flow log under a bucket prefix, not compressed', 'flows/prod/AWSLogs/123456789012/vpcflowlogs/ap-southeast-2/2024/12/31/x.log', { kind: 'flow', account: '123456789012', region: 'ap-southeast-2', day: '2024-12-31' }],
    ['a Hive-compatible flow-log prefix', 'AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=eu-west-1/year=2024/month=05/day=01/hour=13/x.log.gz', { kind: 'flow', account: '123456789012', region: 'eu-west-1', day: '2024-05-01' }],
    ['a local Windows copy of a flow-log folder', 'C:\\logs\\AWSLogs\\123456789012\\vpcflowlogs\\eu-west-1\\2024\\05\\01\\x.log.gz', { kind: 'flow', account: '123456789012', region: 'eu-west-1', day: '2024-05-01' }],
    ['a regional WAF log folder', 'AWSLogs/111122223333/WAFLogs/us-east-2/TestWebACL/2021/10/28/19/50/111122223333_waflogs_us-east-2_TestWebACL_20211028T1950Z_e0ca43b5.log.gz', { kind: 'waf', account: '111122223333', region: 'us-east-2', webAcl: 'TestWebACL', day: '2021-10-28' }],
    ['a CloudFront WAF log folder', 'waf/AWSLogs/111122223333/WAFLogs/cloudfront/Edge-ACL/2021/10/28/19/55/111122223333_waflogs_cloudfront_Edge-ACL_20211028T1955Z_e0ca43b5.log.gz', { kind: 'waf', account: '111122223333', region: 'cloudfront', webAcl: 'Edge-ACL', day: '2021-10-28' }],
    ['a Firehose WAF object under a prefix', 'waf-firehose/2024/05/01/13/aws-waf-logs-shop-1-2024-05-01-13-05-42-2b4f4d8e-6c2a-4a8f-9a55-3a1f2c7d9e10.gz', { kind: 'waf', firehose: true, day: '2024-05-01' }],
    ['an uncompressed Firehose WAF object at the bucket root', '2024/05/01/13/aws-waf-logs-shop-1-2024-05-01-13-05-42-2b4f4d8e-6c2a-4a8f-9a55-3a1f2c7d9e10', { kind: 'waf', firehose: true, day: '2024-05-01' }],
  ])('reads %s', (_, path, layout) => {
    expect(layoutOfPath(path)).toEqual(layout);
  });

  it.each([
    ['a trail file', 'AWSLogs/123456789012/CloudTrail/eu-west-1/2024/05/01/123456789012_CloudTrail_eu-west-1_20240501T1305Z_abc.json.gz'],
    ['a flow log in Parquet, which is not read', 'AWSLogs/123456789012/vpcflowlogs/eu-west-1/2024/05/01/x.log.parquet'],
    ['an account folder that is not 12 digits', 'AWSLogs/12345/vpcflowlogs/eu-west-1/2024/05/01/x.log.gz'],
    ['a WAF folder without its minute', 'AWSLogs/111122223333/WAFLogs/us-east-2/TestWebACL/2021/10/28/19/x.log.gz'],
    ['a Firehose object of another stream', '2024/05/01/13/cloudtrail-stream-1-2024-05-01-13-05-42-2b4f4d8e-6c2a-4a8f-9a55-3a1f2c7d9e10.gz'],
  ])('says nothing about %s', (_, path) => {
    expect(layoutOfPath(path)).toBeUndefined();
  });
});

describe('sniffing the first line of a network log', () => {
  it.each([
    ['the default flow-log header', FLOW_HEADER, 'flow'],
    ['a custom header of known fields', 'srcaddr dstaddr start end action ecs-task-id reject-reason', 'flow'],
    ['a default-format record', FLOW_RECORD, 'flow'],
    ['a default-format record with CRLF and a byte-order mark', `\uFEFF${FLOW_RECORD}\r`, 'flow'],
    ['a CloudWatch export line', `2024-05-01T13:05:42.000Z ${FLOW_RECORD}`, 'flow'],
    ['a WAF JSON record', WAF_LINE, 'waf'],
  ])('takes %s for a network log', (_, line, kind) => {
    expect(sniffNetworkLog(line)).toBe(kind);
  });

  it.each([
    ['a trail document', TRAIL_LINE],
    ['JSON naming webaclId without an httpRequest', '{"webaclId":"x"}'],
    ['truncated WAF JSON', WAF_LINE.slice(0, 60) + '"httpRequest"'],
    ['a record of 13 fields', FLOW_RECORD.split(' ').slice(0, 13).join(' ')],
    ['a record of version 1', FLOW_RECORD.replace(/^2/, '1')],
    ['a record whose account is not 12 digits', FLOW_RECORD.replace('123456789012', '12345')],
    ['a header with an unknown word', `${FLOW_HEADER} colour`],
    ['a single field name', 'version'],
    ['an empty line', ''],
  ])('leaves %s to others', (_, line) => {
    expect(sniffNetworkLog(line)).toBeUndefined();
  });
});

describe('classifying a network input', () => {
  it('trusts the path over the content', () => {
    const path = 'AWSLogs/123456789012/vpcflowlogs/eu-west-1/2024/05/01/x.log.gz';
    expect(classifyNetworkInput(path, 'garbage')).toEqual({ kind: 'flow', account: '123456789012', region: 'eu-west-1', day: '2024-05-01' });
  });

  it('falls back on the first line of a loose file, with no account or region', () => {
    expect(classifyNetworkInput('/tmp/flows.txt', FLOW_HEADER)).toEqual({ kind: 'flow' });
    expect(classifyNetworkInput('/tmp/waf.jsonl', WAF_LINE)).toEqual({ kind: 'waf' });
  });

  it('returns undefined for a trail file, whose decoder is elsewhere', () => {
    expect(classifyNetworkInput('AWSLogs/123456789012/CloudTrail/eu-west-1/2024/05/01/x.json.gz', TRAIL_LINE)).toBeUndefined();
  });
});
