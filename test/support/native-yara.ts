/**
 * Native YARA (Debian's `yara` package, libyara 4.2) as the reference that YARA-X results are checked
 * against, in the parity tests and the scan benchmark. It runs without a shell, and a missing binary
 * is an error that says how to install it: a parity check that quietly does not run proves nothing.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { SCANNER_EXTERNALS } from '../../member/scanner/yara/compile-yara.js';

const run = promisify(execFile);

/** Where Debian installs the scanner. */
export const NATIVE_YARA = '/usr/bin/yara';
/** Where Debian installs the rule compiler. */
export const NATIVE_YARAC = '/usr/bin/yarac';

// `yara -s` is not used, but a scan of a large corpus still prints one line per match.
const MAX_OUTPUT = 256 * 1024 * 1024;

/** Native yara is not installed. */
export class NativeYaraMissingError extends Error {
  override readonly name = 'NativeYaraMissingError';
  constructor(readonly path: string) {
    super(`${path} not found: install Debian's yara package (apt-get install yara), as .ci/run does; the YARA parity tests need it`);
  }
}

/** Native yara failed (a rule it refuses, a path it cannot read...). */
export class NativeYaraError extends Error {
  override readonly name = 'NativeYaraError';
  constructor(readonly args: readonly string[], readonly stderr: string, options?: ErrorOptions) {
    super(`native yara failed (${args.join(' ')}): ${stderr.trim().split('\n')[0] ?? ''}`, options);
  }
}

/** Throws NativeYaraMissingError unless both yara and yarac are installed. */
export function requireNativeYara(): void {
  for (const path of [NATIVE_YARA, NATIVE_YARAC]) if (!existsSync(path)) throw new NativeYaraMissingError(path);
}

/** The installed version, e.g. `4.2.3`. */
export async function nativeYaraVersion(): Promise<string> {
  requireNativeYara();
  return (await run(NATIVE_YARA, ['--version'])).stdout.trim();
}

/**
 * `-d name=` for each external: declared as empty strings, the values compileYaraRules gives them when
 * a scan sets none, so both engines evaluate `filename == ""` alike.
 */
export function externalArgs(names: readonly string[] = SCANNER_EXTERNALS): string[] {
  return names.flatMap((name) => ['-d', `${name}=`]);
}

/** Compiles rule files with yarac into `output`, the externals declared. */
export async function compileNativeRules(ruleFiles: readonly string[], output: string, externals: readonly string[] = SCANNER_EXTERNALS): Promise<void> {
  requireNativeYara();
  await exec(NATIVE_YARAC, [...externalArgs(externals), ...ruleFiles, output]);
}

/** How to run a native scan. */
export interface NativeScanOptions {
  /** Scanning threads (`-p`); yara's own default when absent. */
  readonly threads?: number;
  /** The externals to declare when `rules` are source files (compiled rules carry their own). */
  readonly externals?: readonly string[];
}

/** Rules for a native scan: source files, or one file compiled by compileNativeRules. */
export type NativeRules = { readonly sources: readonly string[] } | { readonly compiled: string };

/**
 * Scans `target` (a file, or a folder recursively) and returns the matching rule names per file path,
 * sorted as YaraRuleset.matchingRules sorts them. Files that match nothing are absent.
 */
export async function scanWithNativeYara(rules: NativeRules, target: string, options: NativeScanOptions = {}): Promise<Map<string, string[]>> {
  requireNativeYara();
  const args = ['-r', ...(options.threads ? ['-p', String(options.threads)] : [])];
  if ('compiled' in rules) args.push('-C', rules.compiled);
  else args.push(...externalArgs(options.externals), ...rules.sources);
  args.push(target);
  return parseNativeOutput(await exec(NATIVE_YARA, args));
}

/** Parses `RULE path` lines (a path may hold spaces; a rule name never does). */
export function parseNativeOutput(stdout: string): Map<string, string[]> {
  const byFile = new Map<string, string[]>();
  for (const line of stdout.split('\n')) {
    const space = line.indexOf(' ');
    if (space <= 0) continue;
    const path = line.slice(space + 1);
    const rules = byFile.get(path) ?? [];
    rules.push(line.slice(0, space));
    byFile.set(path, rules);
  }
  for (const rules of byFile.values()) rules.sort();
  return byFile;
}

async function exec(file: string, args: string[]): Promise<string> {
  try {
    return (await run(file, args, { maxBuffer: MAX_OUTPUT, encoding: 'utf8' })).stdout;
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '') || String((error as Error).message);
    throw new NativeYaraError(args, stderr, { cause: error });
  }
}
