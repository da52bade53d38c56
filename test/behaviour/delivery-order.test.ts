import { describe, expect, it } from 'vitest';
import { inDeliveryOrder } from '../../central/local/delivery-order.js';

describe('the order a replay reads trail files in', () => {
  it('follows the delivery time in CloudTrail file names across regions and accounts, not folder order', () => {
    const paths = [
      'AWSLogs/o-abc/111122223333/CloudTrail/ap-south-1/2026/11/16/111122223333_CloudTrail_ap-south-1_20261116T1506Z_Mu3Cf1173c8rvTIO.json.gz',
      'AWSLogs/o-abc/111122223333/CloudTrail/us-east-1/2026/11/09/111122223333_CloudTrail_us-east-1_20261109T0905Z_KuQorui8DSql01oV.json.gz',
      'AWSLogs/o-abc/444455556666/CloudTrail/eu-west-1/2026/11/10/444455556666_CloudTrail_eu-west-1_20261110T0000Z_a1b2c3d4e5f6a7b8.json.gz',
      'AWSLogs/o-abc/111122223333/CloudTrail/us-east-1/2026/11/16/111122223333_CloudTrail_us-east-1_20261116T1455Z_Zz9Yy8Xx7Ww6Vv5U.json.gz',
    ];
    expect(inDeliveryOrder(paths.map((path) => ({ path }))).map((f) => f.path)).toEqual([paths[1], paths[2], paths[3], paths[0]]);
  });

  it('keeps files without a delivery time first, in the order they were listed', () => {
    const files = [{ path: 'b/events.json' }, { path: 'x/111122223333_CloudTrail_us-east-1_20261109T0905Z_KuQorui8DSql01oV.json.gz' }, { path: 'a/export.jsonl' }];
    expect(inDeliveryOrder(files).map((f) => f.path)).toEqual(['b/events.json', 'a/export.jsonl', files[1]!.path]);
  });
});
