import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileYaraRules } from '../../member/scanner/yara/compile-yara.js';
import { isYaraFile, readYaraFolder } from '../../member/scanner/yara/yara-sources.js';
import { requireNativeYara, scanWithNativeYara } from '../support/native-yara.js';
import { PLANTED_RULES, writeYaraCorpus, type YaraCorpus } from '../support/yara-corpus.js';

const BENCH_RULES = fileURLToPath(new URL('../bench/yara-bench-rules/', import.meta.url));
const BUNDLED_RULES = fileURLToPath(new URL('../../rules/yara/', import.meta.url));

/** Every rule file under `dir`, sorted as readYaraFolder sorts them, as absolute paths for native yara. */
function ruleFiles(dir: string): string[] {
  const walk = (folder: string): string[] =>
    readdirSync(folder, { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .flatMap((e) => (e.isDirectory() ? walk(join(folder, e.name)) : isYaraFile(e.name) ? [join(folder, e.name)] : []));
  return walk(dir);
}

/** Public rule names declared in the files of `dir` (private rules are never reported by either engine). */
function publicRules(dir: string): string[] {
  return ruleFiles(dir).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/^\s*(global\s+)?rule\s+(\w+)/gm)].map((m) => m[2]!));
}

// The bundled rules are checked too whenever the folder holds rule files, so a product rule that the
// engines read differently fails here before it ships.
const RULESETS: Array<[string, string]> = [['the bench rules', BENCH_RULES]];
if (existsSync(BUNDLED_RULES) && ruleFiles(BUNDLED_RULES).length) RULESETS.push(['the bundled rules (rules/yara)', BUNDLED_RULES]);

describe('YARA-X against native yara 4.2 over a seeded corpus', () => {
  let dir: string;
  let corpus: YaraCorpus;
  const compiled = new Map<string, ReturnType<typeof compileYaraRules>>();
  /** Per rules folder, per corpus file, what YARA-X reports. */
  const yaraX = new Map<string, Map<string, string[]>>();

  beforeAll(() => {
    requireNativeYara();
    dir = mkdtempSync(join(tmpdir(), 'skywatch-yara-parity-'));
    corpus = writeYaraCorpus(join(dir, 'corpus'), { seed: 6, totalBytes: 8 * 1024 * 1024, files: 200 });
    for (const [, rulesDir] of RULESETS) {
      const result = compileYaraRules(readYaraFolder(rulesDir));
      compiled.set(rulesDir, result);
      yaraX.set(rulesDir, new Map(corpus.files.map((file) => [file, result.ruleset.matchingRules(readFileSync(file))])));
    }
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the corpus it was asked for, the same bytes again for the same seed', () => {
    expect(corpus.files).toHaveLength(200);
    expect(Math.abs(corpus.bytes - 8 * 1024 * 1024)).toBeLessThan(256 * 1024);
    const again = writeYaraCorpus(join(dir, 'again'), { seed: 6, totalBytes: 8 * 1024 * 1024, files: 200 });
    const differing = again.files.filter((file, i) => !readFileSync(file).equals(readFileSync(corpus.files[i]!)));
    expect(differing).toEqual([]);
    rmSync(join(dir, 'again'), { recursive: true, force: true });
  });

  for (const [name, rulesDir] of RULESETS) {
    it(`compiles ${name} with YARA-X without a problem`, () => {
      const { problems, files } = compiled.get(rulesDir)!;
      expect(problems).toEqual([]);
      expect(files).toHaveLength(ruleFiles(rulesDir).length);
    });

    it(`reports, for every file, exactly the rules of ${name} that native yara reports`, async () => {
      const native = await scanWithNativeYara({ sources: ruleFiles(rulesDir) }, join(dir, 'corpus'), { threads: 1 });
      expect([...native.keys()].filter((file) => !corpus.files.includes(file))).toEqual([]);
      const ours = yaraX.get(rulesDir)!;
      const differing = corpus.files
        .map((file) => ({ file, yaraX: ours.get(file)!, native: native.get(file) ?? [] }))
        .filter((d) => d.yaraX.join() !== d.native.join());
      expect(differing.slice(0, 5)).toEqual([]);
      if (rulesDir === BENCH_RULES) expect([...native.values()].flat().length).toBeGreaterThan(100);
    });
  }

  it('makes every public bench rule match some file and miss others, so the comparison has teeth', () => {
    const results = [...yaraX.get(BENCH_RULES)!.values()];
    const rules = publicRules(BENCH_RULES);
    expect(rules).toHaveLength(49);
    expect([...PLANTED_RULES].sort()).toEqual([...rules].sort());
    const never = rules.filter((rule) => !results.some((matched) => matched.includes(rule)));
    const always = rules.filter((rule) => results.every((matched) => matched.includes(rule)));
    expect({ never, always }).toEqual({ never: [], always: [] });
  });

  it('fires each planted sample and none of the near misses (one byte off, wrong offset, one below the count, wrong size or header)', () => {
    const results = yaraX.get(BENCH_RULES)!;
    const missed: string[] = [];
    const fired: string[] = [];
    let nearMisses = 0;
    for (const [file, planted] of corpus.planted) {
      const matched = results.get(file)!;
      for (const rule of planted.hits) if (!matched.includes(rule)) missed.push(`${rule} in ${file}`);
      for (const rule of planted.nearMisses) if (matched.includes(rule) && !planted.hits.includes(rule)) fired.push(`${rule} in ${file}`);
      nearMisses += planted.nearMisses.length;
    }
    expect({ missed, fired }).toEqual({ missed: [], fired: [] });
    expect(nearMisses).toBeGreaterThanOrEqual(PLANTED_RULES.length);
  });
});

/**
 * Where the engines disagree. None of these appear in the corpus above; each is pinned here so a
 * change in either engine shows, and so rule authors know which constructs to avoid or double-check.
 */
describe('where YARA-X and native yara 4.2 disagree', () => {
  let dir: string;

  beforeAll(() => {
    requireNativeYara();
    dir = mkdtempSync(join(tmpdir(), 'skywatch-yara-differences-'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function both(rule: string, data: Buffer): Promise<{ yaraX: string[]; native: string[] }> {
    const rulesFile = join(dir, 'rule.yar');
    const sample = join(dir, 'sample.bin');
    writeFileSync(rulesFile, rule);
    writeFileSync(sample, data);
    const { ruleset, problems } = compileYaraRules([{ file: 'rule.yar', text: rule }]);
    expect(problems).toEqual([]);
    const native = await scanWithNativeYara({ sources: [rulesFile] }, sample);
    return { yaraX: ruleset.matchingRules(data), native: native.get(sample) ?? [] };
  }

  it('libyara matches a base64 pattern on a text whose last character differs; YARA-X checks the edge and does not', async () => {
    // libyara searches the base64 form with its partial edge characters trimmed, so "meta-datb"
    // encodes to the same searched text as "meta-data" (the YARA manual documents these false
    // positives); YARA-X verifies the decoded bytes.
    const rule = 'rule IMDS_Base64 { strings: $b64 = "169.254.169.254/latest/meta-data" base64 condition: $b64 }';
    const encoded = (text: string) => Buffer.from(Buffer.from(text).toString('base64'));
    expect(await both(rule, encoded('curl -s http://169.254.169.254/latest/meta-datb/iam/'))).toEqual({ yaraX: [], native: ['IMDS_Base64'] });
    expect(await both(rule, encoded('curl -s http://169.254.169.254/latest/meta-data/iam/'))).toEqual({ yaraX: ['IMDS_Base64'], native: ['IMDS_Base64'] });
  });

  it('with xor and fullword, libyara tests the raw bytes around a match and YARA-X tests them decoded with the same key', async () => {
    const rule = 'rule XOR_Fullword { strings: $x = "stratum+tcp" xor(0x01-0xff) fullword condition: $x }';
    const key = 0x41;
    const xor = (bytes: Buffer) => Buffer.from(bytes.map((b) => b ^ key));
    // A raw space decodes to "a" (a word character); a raw "a" decodes to a space.
    const rawSpaces = Buffer.concat([Buffer.from(' '), xor(Buffer.from('stratum+tcp')), Buffer.from(' ')]);
    const rawLetters = xor(Buffer.from(' stratum+tcp '));
    expect(await both(rule, rawSpaces)).toEqual({ yaraX: [], native: ['XOR_Fullword'] });
    expect(await both(rule, rawLetters)).toEqual({ yaraX: ['XOR_Fullword'], native: [] });
  });

  it('libyara 4.2 misses some "ascii wide" regular expressions on UTF-16 text, a bug fixed in yara 4.5 (VirusTotal/yara#1933); YARA-X finds them', async () => {
    const rule = 'rule Wide_Regex { strings: $re = /a.{1}1/ ascii wide condition: $re }';
    expect(await both(rule, Buffer.from('a\0b\x001\0', 'latin1'))).toEqual({ yaraX: ['Wide_Regex'], native: [] });
    expect(await both(rule, Buffer.from('ab1', 'latin1'))).toEqual({ yaraX: ['Wide_Regex'], native: ['Wide_Regex'] });
  });
});
