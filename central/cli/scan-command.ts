/**
 * `skywatch scan <paths...>`: the member scanner on local files. Prints each match redacted (never a
 * matched value), then a summary; `--json` prints one object per match instead. Exit code 5 when
 * anything matched, 3 when a file or a rule file could not be used, else 0.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildScanner, overlayRules, readRuleFolders, type ScannerRules } from '../../member/scanner/build-scanner.js';
import { listFiles, scanFiles, type FileScan, type ScanProgress } from '../../member/local/scan-files.js';
import { DEFAULT_EXPAND_LIMITS } from '../../member/scanner/objects/limits.js';
import { readSecretDetectorFiles } from '../../member/scanner/secrets/detector-file.js';
import { readYaraFolder } from '../../member/scanner/yara/yara-sources.js';
import type { ScanMatch } from '../../member/scanner/scan-match.js';
import type { Scanner } from '../../member/scanner/scan-object.js';
import { maskedText } from '../../member/scanner/secrets/names.js';
import { DEFAULT_YARA_TIMEOUT_SECONDS } from '../../member/scanner/yara/yara-budget.js';
import { EXIT } from './exit-codes.js';
import { progressBar } from './progress.js';

/** The repository's rules, which hold `yara/` and `secrets/`. */
const BUILTIN_RULES = fileURLToPath(new URL('../../rules/', import.meta.url));

export interface ScanCommandOptions {
  readonly rules: readonly string[];
  readonly builtin: boolean;
  readonly maxSize: number;
  /** YARA seconds per file; 0: no limit (and YARA runs in this process). */
  readonly yaraTimeout?: number;
  readonly skipMedia?: boolean;
  readonly json?: boolean;
}

export async function scanCommand(paths: readonly string[], opts: ScanCommandOptions, out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const rules = opts.rules.map((dir) => extraRules(resolve(dir))).reduce(overlayRules, opts.builtin ? readRuleFolders(BUILTIN_RULES) : { yara: [], secrets: [] });
  const maxObjectBytes = Math.round(opts.maxSize * 1024 * 1024);
  const timeout = opts.yaraTimeout ?? DEFAULT_YARA_TIMEOUT_SECONDS;
  const { scanner, problems, warnings } = buildScanner(rules, {
    limits: { ...DEFAULT_EXPAND_LIMITS, maxEntryBytes: maxObjectBytes },
    skipMedia: Boolean(opts.skipMedia),
    ...(timeout > 0 && { yaraTimeoutMs: Math.round(timeout * 1000) }),
  });
  const at = (p: { file: string; line?: number }) => `${p.file}${p.line !== undefined ? `:${p.line}` : ''}`;
  for (const p of problems) err.write(`skywatch: rule error: ${at(p)}: ${p.message}\n`);
  // A slow pattern loads, but makes every scan slow (and may hit the timeout): the author should know.
  for (const w of warnings) err.write(`skywatch: rule warning: ${at(w)}: ${w.message}\n`);
  try {
    return await scanWith(scanner, paths, opts, out, err, problems.length);
  } finally {
    scanner.yara.close();
  }
}

async function scanWith(scanner: Scanner, paths: readonly string[], opts: ScanCommandOptions, out: NodeJS.WritableStream, err: NodeJS.WritableStream, ruleProblems: number): Promise<number> {
  const maxObjectBytes = Math.round(opts.maxSize * 1024 * 1024);

  const listed = await listFiles(paths);
  // Left out on purpose, so a notice that does not change the exit code.
  for (const s of listed.skipped) err.write(`skywatch: notice: ${s.reason}: ${s.input}\n`);
  const bar = opts.json ? { update() {}, done() {} } : progressBar<ScanProgress>(process.stderr, (p) => `${p.matches} matches`);
  const scans = await scanFiles(listed.files, scanner, {
    maxObjectBytes,
    onFile: (scan, progress) => {
      bar.update(progress);
      if (opts.json) for (const m of scan.matches) out.write(JSON.stringify(jsonMatch(scan.path, m)) + '\n');
    },
  });
  bar.done();
  // Listing problems name the path as given: masked like every other path.
  const listing = listed.problems.map((n) => ({ ...n, path: maskedText(n.path, scanner.secrets), detail: maskedText(n.detail, scanner.secrets) }));
  const notes = [...listing, ...scans.flatMap((s) => s.notes)];
  for (const n of notes) err.write(`skywatch: ${n.reason === 'too-large' ? n.detail : `${n.reason}: ${n.detail}`}: ${n.path}\n`);
  if (!opts.json) printReport(out, scans, notes.length, { yara: scanner.yara.ruleCount, secrets: scanner.secrets.length });
  const matched = scans.some((s) => s.matches.length > 0);
  return matched ? EXIT.matches : notes.length || ruleProblems ? EXIT.partial : EXIT.ok;
}

/** `--rules DIR`: YARA files anywhere under it; secret detectors under DIR/secrets (the layout of rules/). */
function extraRules(dir: string): ScannerRules {
  const secrets = join(dir, 'secrets');
  return { yara: readYaraFolder(dir), secrets: existsSync(secrets) ? readSecretDetectorFiles(secrets) : [] };
}

/** The JSON form of a match: the object's path (with the archive entry after `!`), never the value; `inName` for a secret in the name. */
export function jsonMatch(path: string, m: ScanMatch): { path: string; kind: string; rule: string; offset: number; preview: string; inName?: true } {
  return { path: m.entry ?? path, kind: m.kind, rule: m.rule, offset: m.offset, preview: m.preview, ...(m.inName && { inName: true as const }) };
}

function printReport(out: NodeJS.WritableStream, scans: readonly FileScan[], notScanned: number, rules: { yara: number; secrets: number }): void {
  for (const scan of scans) {
    for (const m of scan.matches) {
      const where = `${m.entry ?? scan.path}${m.inName ? ' (name)' : m.line !== undefined ? `:${m.line}` : ''} @${m.offset}`;
      out.write(`${m.severity.padEnd(8)} ${m.kind.padEnd(6)} ${m.rule}  ${where}  ${m.preview || '-'}  [${m.hash}]  ${m.title}\n`);
    }
  }
  const matches = scans.flatMap((s) => s.matches);
  const filesWith = scans.filter((s) => s.matches.length).length;
  const byKind = (k: string) => matches.filter((m) => m.kind === k).length;
  out.write(
    `\n${scans.length} files scanned with ${rules.yara} YARA rules and ${rules.secrets} secret detectors: ` +
      `${matches.length} matches in ${filesWith} files (${byKind('yara')} YARA, ${byKind('secret')} secrets)` +
      `${notScanned ? `; ${notScanned} not scanned or only in part (see above)` : ''}.\n`,
  );
}
