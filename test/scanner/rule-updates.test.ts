import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRuleUpdates } from '../../member/scanner/aws/rule-updates.js';
import { buildScanner, overlayRules, readRuleFolders } from '../../member/scanner/build-scanner.js';
import { DEFAULT_EXPAND_LIMITS } from '../../member/scanner/objects/limits.js';
import { startS3, type LocalS3 } from '../support/s3rver.js';

const ASSETS = 'skywatch-member-assets-999988887777-eu-west-1';
let s3: LocalS3;
const put = (key: string, body: string) => s3.client.send(new PutObjectCommand({ Bucket: ASSETS, Key: key, Body: body }));

beforeAll(async () => {
  s3 = await startS3();
  await s3.createBucket(ASSETS);
  await put('team-a/member/rules/index.json', JSON.stringify({ files: ['yara/internal-tools.yar', 'yara/skywatch/webshells.yar'] }));
  await put('team-a/member/rules/yara/internal-tools.yar', 'rule Internal_Exfil_Tool {\n  strings:\n    $a = "exfil-helper v2"\n  condition:\n    $a\n}\n');
  // Replaces the bundled file of the same name: its rules go, this one comes.
  await put('team-a/member/rules/yara/skywatch/webshells.yar', 'rule Team_Webshell_Marker {\n  strings:\n    $a = "team-marker-7731"\n  condition:\n    $a\n}\n');
  await put('broken/member/rules/index.json', '{"files": ["../../etc/passwd"]}');
  await put('missing/member/rules/index.json', '{"files": ["yara/not-there.yar", "yara/internal-tools.yar"]}');
  await put('missing/member/rules/yara/internal-tools.yar', 'rule Internal_Exfil_Tool {\n  strings:\n    $a = "exfil-helper v2"\n  condition:\n    $a\n}\n');
});
afterAll(() => s3.close());

describe('rule updates from the asset bucket', () => {
  it('reads the files the index lists, and they replace or add to the bundled rules', async () => {
    const updates = await readRuleUpdates(s3.client, ASSETS, 'team-a/member/rules/');
    expect(updates.problems).toEqual([]);
    expect(updates.rules.yara.map((f) => [f.file, f.location])).toEqual([
      ['yara/internal-tools.yar', `s3://${ASSETS}/team-a/member/rules/yara/internal-tools.yar`],
      ['yara/skywatch/webshells.yar', `s3://${ASSETS}/team-a/member/rules/yara/skywatch/webshells.yar`],
    ]);
    const { scanner, problems } = buildScanner(overlayRules(readRuleFolders('rules'), updates.rules), { limits: DEFAULT_EXPAND_LIMITS, skipMedia: false });
    expect(problems).toEqual([]);
    expect(scanner.yara.matchingRules(Buffer.from('started exfil-helper v2 and team-marker-7731'))).toEqual(['Internal_Exfil_Tool', 'Team_Webshell_Marker']);
    expect(scanner.yara.matchingRules(Buffer.from('<?php @eval(base64_decode($_POST["c"])); ?>'))).toEqual([]);
  });

  it('means no updates when there is no index', async () => {
    expect(await readRuleUpdates(s3.client, ASSETS, 'nobody/member/rules/')).toEqual({ rules: { yara: [], secrets: [] }, problems: [] });
  });

  it('refuses an index naming a path outside the rule folders', async () => {
    await expect(readRuleUpdates(s3.client, ASSETS, 'broken/member/rules/')).rejects.toThrow(`s3://${ASSETS}/broken/member/rules/index.json is not a valid rule index`);
  });

  it('names a listed file that does not exist, and reads the others', async () => {
    const updates = await readRuleUpdates(s3.client, ASSETS, 'missing/member/rules/');
    expect(updates.problems).toEqual([{ key: `s3://${ASSETS}/missing/member/rules/yara/not-there.yar`, reason: 'listed in index.json but does not exist' }]);
    expect(updates.rules.yara.map((f) => f.file)).toEqual(['yara/internal-tools.yar']);
  });
});
