import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validate } from '@litko/yara-x';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileYaraRules, ruleCount, SCANNER_EXTERNALS, type YaraProblem } from '../../member/scanner/yara/compile-yara.js';
import type { YaraSource } from '../../member/scanner/yara/yara-sources.js';
import { FIXTURES } from '../support/fixtures.js';
import { requireNativeYara, scanWithNativeYara } from '../support/native-yara.js';

const SIGNATURE_BASE = join(FIXTURES, 'yara', 'yara');
const EXTERNAL = new RegExp(`^error\\[E009\\]: unknown identifier \`(${SCANNER_EXTERNALS.join('|')})\``);

interface Sample {
  readonly id: string;
  readonly content_b64: string;
  readonly expected_yara_matches: string[];
}

/** True when a file's only errors, compiled with no external variables, are THOR/LOKI externals it uses. */
function needsExternals(source: YaraSource): boolean {
  const { errors } = validate(source.text);
  return errors.length > 0 && errors.every((e) => EXTERNAL.test(e.message));
}

interface FileResult {
  readonly file: string;
  readonly rules: number;
  readonly compiled: number;
  readonly externals: boolean;
  readonly problems: readonly YaraProblem[];
}

describe('the signature-base rule set (741 files, pinned commit) compiled file by file with YARA-X', () => {
  let results: FileResult[];

  beforeAll(() => {
    results = readdirSync(SIGNATURE_BASE)
      .sort()
      .map((file) => {
        const source = { file, text: readFileSync(join(SIGNATURE_BASE, file), 'utf8') };
        const { ruleset, problems } = compileYaraRules([source]);
        return { file, rules: ruleCount([source]), compiled: ruleset.ruleCount, externals: needsExternals(source), problems };
      });
  }, 120_000);

  it('compiles at least 95% of the rules of the files that need no external variable, and lists the rest', () => {
    const plain = results.filter((r) => !r.externals);
    const rules = plain.reduce((n, r) => n + r.rules, 0);
    const compiled = plain.reduce((n, r) => n + r.compiled, 0);
    const failures = plain.flatMap((r) => r.problems.map((p) => `${p.file}:${p.line ?? '?'} ${p.code} ${p.message}`));
    if (failures.length) console.info(`signature-base files that do not compile:\n${failures.join('\n')}`);
    expect({ files: plain.length, rules }).toEqual({ files: 728, rules: 5282 });
    expect(compiled / rules).toBeGreaterThanOrEqual(0.95);
    expect(failures).toEqual([]);
  });

  it('finds the 13 files that use the THOR/LOKI externals, and compiles them once the externals are declared', () => {
    const withExternals = results.filter((r) => r.externals);
    expect(withExternals.map((r) => r.file)).toEqual([
      'configured_vulns_ext_vars.yar',
      'expl_citrix_netscaler_adc_exploitation_cve_2023_3519.yar',
      'expl_connectwise_screenconnect_vuln_feb24.yar',
      'gen_fake_amsi_dll.yar',
      'gen_mal_3cx_compromise_mar23.yar',
      'gen_susp_obfuscation.yar',
      'gen_vcruntime140_dll_sideloading.yar',
      'gen_webshells_ext_vars.yar',
      'general_cloaking.yar',
      'generic_anomalies.yar',
      'thor_inverse_matches.yar',
      'yara-rules_vuln_drivers_strict_renamed.yar',
      'yara_mixed_ext_vars.yar',
    ]);
    expect(withExternals.flatMap((r) => r.problems)).toEqual([]);
    expect(withExternals.reduce((n, r) => [n[0]! + r.rules, n[1]! + r.compiled], [0, 0])).toEqual([652, 652]);
  });

  it('names the file and line of a deliberately broken copy of a real file, and still loads the others', () => {
    const text = readFileSync(join(SIGNATURE_BASE, 'gen_suspicious_strings.yar'), 'utf8');
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.includes('uint16(0) == 0x3558 and filesize < 70 and $s1 at 0'));
    lines[at] = lines[at]!.replace('uint16(0) == 0x3558 and', 'uint16(0) == and');
    const good = ['gen_xor_hunting.yar', 'pua_cryptocoin_miner.yar'].map((file) => ({ file, text: readFileSync(join(SIGNATURE_BASE, file), 'utf8') }));
    const broken = { file: 'signature-base/gen_suspicious_strings.yar', text: lines.join('\n') };

    const { problems, files, ruleset } = compileYaraRules([good[0]!, broken, good[1]!]);

    expect(problems).toHaveLength(1);
    expect(problems[0]).toEqual({ file: 'signature-base/gen_suspicious_strings.yar', line: at + 1, code: 'E001', message: 'syntax error' });
    expect(at + 1).toBe(364);
    expect(files).toEqual(['gen_xor_hunting.yar', 'pua_cryptocoin_miner.yar']);
    expect(ruleset.ruleCount).toBe(ruleCount(good));
  });
});

describe('the EICAR test file against signature-base gen_suspicious_strings.yar', () => {
  const samples = JSON.parse(readFileSync(join(FIXTURES, 'yara', 'yara_test_samples.json'), 'utf8')) as Sample[];
  const rulesFile = join(SIGNATURE_BASE, 'gen_suspicious_strings.yar');
  const bytesOf = (id: string) => Buffer.from(samples.find((s) => s.id === id)!.content_b64, 'base64');
  let dir: string;

  beforeAll(() => {
    requireNativeYara();
    dir = mkdtempSync(join(tmpdir(), 'skywatch-eicar-'));
    // Decoded only here, into a temporary folder, so no file in the repository is the test virus.
    for (const sample of samples) writeFileSync(join(dir, sample.id), bytesOf(sample.id));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('matches exactly SUSP_Just_EICAR on the standard file and none of the file\'s rules on the leading-newline near miss', () => {
    const { ruleset, problems } = compileYaraRules([{ file: 'gen_suspicious_strings.yar', text: readFileSync(rulesFile, 'utf8') }]);
    expect(problems).toEqual([]);
    expect(ruleset.matchingRules(bytesOf('eicar-standard'))).toEqual(['SUSP_Just_EICAR']);
    expect(ruleset.matchingRules(bytesOf('eicar-with-leading-newline'))).toEqual([]);
    for (const sample of samples) expect(ruleset.matchingRules(bytesOf(sample.id))).toEqual(sample.expected_yara_matches);
  });

  it('agrees with native yara on both samples', async () => {
    const native = await scanWithNativeYara({ sources: [rulesFile] }, dir, { threads: 1 });
    expect(Object.fromEntries(samples.map((s) => [s.id, native.get(join(dir, s.id)) ?? []]))).toEqual({
      'eicar-standard': ['SUSP_Just_EICAR'],
      'eicar-with-leading-newline': [],
    });
  });
});
