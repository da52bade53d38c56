import { ListObjectsV2Command, ListObjectsV2Request$, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { listWebAcls } from '../../central/aws/adapters/s3-web-acl-lister.js';
import { validateRequest } from '../support/aws-model.js';

describe('listing the web ACLs that deliver WAF logs', () => {
  it('reads the web ACL folders of every account and region, CloudFront included, across pages', async () => {
    const s3 = mockClient(S3Client);
    s3.on(ListObjectsV2Command).callsFake((input: { Prefix: string; ContinuationToken?: string }) => {
      expect(validateRequest(ListObjectsV2Request$, input)).toEqual([]);
      if (input.Prefix === 'waf/AWSLogs/111122223333/WAFLogs/us-east-1/') {
        return input.ContinuationToken
          ? { CommonPrefixes: [{ Prefix: `${input.Prefix}shop-web/` }], IsTruncated: false }
          : { CommonPrefixes: [{ Prefix: `${input.Prefix}api-gateway/` }], IsTruncated: true, NextContinuationToken: 'page-2' };
      }
      if (input.Prefix === 'waf/AWSLogs/444455556666/WAFLogs/cloudfront/') return { CommonPrefixes: [{ Prefix: `${input.Prefix}payments-cdn/` }, { Prefix: `${input.Prefix}shop-web/` }] };
      return {};
    });
    const names = await listWebAcls({ client: new S3Client({ region: 'us-east-1' }), bucket: 'org-log-archive', prefix: 'waf/', regions: ['us-east-1', 'eu-west-1'] }, ['111122223333', '444455556666']);
    expect(names).toEqual(['api-gateway', 'payments-cdn', 'shop-web']);
    const prefixes = s3.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input.Prefix);
    expect(new Set(prefixes)).toEqual(new Set(['111122223333', '444455556666'].flatMap((a) => ['us-east-1', 'eu-west-1', 'cloudfront'].map((r) => `waf/AWSLogs/${a}/WAFLogs/${r}/`))));
    for (const c of s3.commandCalls(ListObjectsV2Command)) expect(c.args[0].input).toMatchObject({ Bucket: 'org-log-archive', Delimiter: '/' });
  });
});
