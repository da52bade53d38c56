/**
 * The YARA scan benchmark: YARA-X (the scanner's engine) against native yara 4.2 over the same seeded
 * corpus, in the same run, with the bench ruleset compiled once. Each side is warmed up once, then the
 * best of three passes counts. Both engines' match lists must agree for every file. The last line
 * printed is one JSON object of figures.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from '@litko/yara-x';
import { buildScanner, readRuleFolders } from '../../member/scanner/build-scanner.js';
import { DEFAULT_EXPAND_LIMITS } from '../../member/scanner/objects/limits.js';
import { scanObject } from '../../member/scanner/scan-object.js';
import { compileYaraRules, SCANNER_EXTERNALS } from '../../member/scanner/yara/compile-yara.js';
import { DEFAULT_YARA_TIMEOUT_SECONDS } from '../../member/scanner/yara/yara-budget.js';
import { readYaraFolder } from '../../member/scanner/yara/yara-sources.js';
import { compileNativeRules, nativeYaraVersion, scanWithNativeYara } from '../support/native-yara.js';
import { writeYaraCorpus } from '../support/yara-corpus.js';

/** The bench ruleset. */
export const BENCH_RULES = fileURLToPath(new URL('./yara-bench-rules/', import.meta.url));

/** What to run; every field has a default that gives the published figures. */
export interface ScanBenchOptions {
  /** Corpus size; default 100 MiB (or BENCH_SCAN_MB). */
  readonly totalBytes?: number;
  /** Files in the corpus; default one per 100 KiB. */
  readonly files?: number;
  readonly seed?: number;
  /** Timed passes per engine (the best counts); default 3. */
  readonly passes?: number;
  /** Where readable progress lines go; default stdout. */
  readonly log?: (line: string) => void;
}

/** The figures (the JSON line) and what lies behind them. */
export interface ScanBenchResult {
  readonly scan_mb_per_s: number;
  readonly native_yara_mb_per_s: number;
  readonly scan_vs_native_yara: number;
  readonly parity: boolean;
  readonly peak_rss_mb: number;
  readonly details: {
    readonly files: number;
    readonly bytes: number;
    readonly rules: number;
    readonly scanFileMbPerS: number;
    readonly nativeDefaultThreadsMbPerS: number;
    /** The whole scanner (bundled YARA rules, secret detectors, unpacking) over the same corpus. */
    readonly fullScannerMbPerS: number;
    readonly fullScannerInProcessMbPerS: number;
    /** Files whose match lists differ: path, YARA-X's list, native yara's list. */
    readonly mismatches: ReadonlyArray<{ file: string; yaraX: string[]; native: string[] }>;
  };
}

const MIB = 1024 * 1024;

/** Runs the benchmark in a temporary folder, deleted afterwards. */
export async function runScanBench(options: ScanBenchOptions = {}): Promise<ScanBenchResult> {
  const totalBytes = options.totalBytes ?? Number(process.env.BENCH_SCAN_MB ?? 100) * MIB;
  const passes = options.passes ?? 3;
  const log = options.log ?? ((line: string) => process.stdout.write(line + '\n'));
  const root = mkdtempSync(join(tmpdir(), 'skywatch-scan-bench-'));
  try {
    const corpusDir = join(root, 'corpus');
    log(`generating ${(totalBytes / MIB).toFixed(0)} MiB of YARA corpus…`);
    const corpus = writeYaraCorpus(corpusDir, { seed: options.seed ?? 6, totalBytes, files: options.files ?? Math.round(totalBytes / (100 * 1024)) });
    const mib = corpus.bytes / MIB;
    log(`  ${corpus.files.length} files, ${mib.toFixed(1)} MiB`);

    const sources = readYaraFolder(BENCH_RULES);
    const { ruleset, problems } = compileYaraRules(sources);
    if (problems.length) throw new Error(`bench rules failed to compile: ${JSON.stringify(problems[0])}`);
    const compiled = join(root, 'rules.yarc');
    const ruleFiles = readdirSync(BENCH_RULES).filter((f) => f.endsWith('.yar')).sort().map((f) => join(BENCH_RULES, f));
    await compileNativeRules(ruleFiles, compiled);
    log(`  ${ruleset.ruleCount} rules in ${sources.length} files; native yara ${await nativeYaraVersion()}`);

    // The warm-up passes also give the lists the parity check compares.
    const yaraX = new Map(corpus.files.map((file) => [file, ruleset.matchingRules(readFileSync(file))]));
    const native = await scanWithNativeYara({ compiled }, corpusDir, { threads: 1 });
    const mismatches = corpus.files
      .map((file) => ({ file, yaraX: yaraX.get(file)!, native: native.get(file) ?? [] }))
      .filter((m) => m.yaraX.join() !== m.native.join());
    const matched = [...yaraX.values()].filter((rules) => rules.length).length;
    log(`parity: ${mismatches.length === 0 ? 'identical' : `${mismatches.length} files differ`} (${matched} files match at least one rule)`);
    for (const m of mismatches.slice(0, 5)) log(`  ${m.file}: YARA-X [${m.yaraX.join(', ')}] native [${m.native.join(', ')}]`);

    // scanFile needs the engine's own handle, which YaraRuleset keeps private: same rules, same options.
    const raw = compile(sources.map((s) => s.text).join('\n'), { defineVariables: Object.fromEntries(SCANNER_EXTERNALS.map((n) => [n, ''])) });
    const timed = {
      scan: () => corpus.files.forEach((file) => ruleset.matchingRules(readFileSync(file))),
      scanFile: () => corpus.files.forEach((file) => raw.scanFile(file)),
      nativeOne: () => scanWithNativeYara({ compiled }, corpusDir, { threads: 1 }),
      nativeDefault: () => scanWithNativeYara({ compiled }, corpusDir),
    };
    await timed.scanFile();
    await timed.nativeDefault();
    // Passes alternate between the engines, so a burst of load on the machine hits both alike.
    const fastest = { scan: Infinity, scanFile: Infinity, nativeOne: Infinity, nativeDefault: Infinity };
    for (let pass = 0; pass < passes; pass++) {
      for (const name of Object.keys(timed) as Array<keyof typeof timed>) {
        const t = performance.now();
        await timed[name]();
        fastest[name] = Math.min(fastest[name], (performance.now() - t) / 1000);
      }
    }
    const { scan, scanFile, nativeOne, nativeDefault } = fastest;
    // What a member Lambda or `skywatch scan` does per object, for information: with YARA in its
    // helper process under the default time limit, as they run, and with YARA in this process; two
    // passes each, alternating, the best kept (the first pass also warms the secret detectors' regexes).
    const bundled = readRuleFolders(fileURLToPath(new URL('../../rules/', import.meta.url)));
    const helper = buildScanner(bundled, { limits: DEFAULT_EXPAND_LIMITS, skipMedia: false, yaraTimeoutMs: DEFAULT_YARA_TIMEOUT_SECONDS * 1000 }).scanner;
    const inProcess = buildScanner(bundled, { limits: DEFAULT_EXPAND_LIMITS, skipMedia: false }).scanner;
    await scanObject('warm-up.txt', Buffer.from('the helper compiles its rules before the clock starts'), helper);
    const wholeScanner = async (scanner: typeof helper) => {
      const start = performance.now();
      for (const file of corpus.files) await scanObject(file, readFileSync(file), scanner);
      return (performance.now() - start) / 1000;
    };
    let [full, fullInProcess] = [Infinity, Infinity];
    for (let pass = 0; pass < 2; pass++) {
      full = Math.min(full, await wholeScanner(helper));
      fullInProcess = Math.min(fullInProcess, await wholeScanner(inProcess));
    }
    helper.yara.close();
    const detectors = helper.secrets.length;

    const rate = (seconds: number) => round(mib / seconds, 1);
    log(`YARA-X, read + matchingRules: ${rate(scan)} MiB/s (best of ${passes}: ${scan.toFixed(2)} s)`);
    log(`YARA-X, scanFile (for information): ${rate(scanFile)} MiB/s`);
    log(`native yara -p 1, compiled rules: ${rate(nativeOne)} MiB/s (best of ${passes}: ${nativeOne.toFixed(2)} s, process start included)`);
    log(`native yara, default threads (for information): ${rate(nativeDefault)} MiB/s`);
    log(`the whole scanner, bundled YARA rules + ${detectors} secret detectors + unpacking (for information): ${rate(full)} MiB/s, ${rate(fullInProcess)} MiB/s with YARA in this process`);
    const result: ScanBenchResult = {
      scan_mb_per_s: rate(scan),
      native_yara_mb_per_s: rate(nativeOne),
      scan_vs_native_yara: round(nativeOne / scan, 3),
      parity: mismatches.length === 0,
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
      details: { files: corpus.files.length, bytes: corpus.bytes, rules: ruleset.ruleCount, scanFileMbPerS: rate(scanFile), nativeDefaultThreadsMbPerS: rate(nativeDefault), fullScannerMbPerS: rate(full), fullScannerInProcessMbPerS: rate(fullInProcess), mismatches },
    };
    return result;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { details, ...figures } = await runScanBench();
  void details;
  process.stdout.write(JSON.stringify(figures) + '\n');
}
