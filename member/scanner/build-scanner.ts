/**
 * Builds the Scanner from rule files: the YARA rules and the secret detectors, compiled once. A
 * broken file is reported with its file and line and left out; the rest still load, so one bad
 * update never leaves the buckets unscanned.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { shortHash } from './redact.js';
import type { Scanner } from './scan-object.js';
import type { ExpandLimits } from './objects/limits.js';
import type { RuleText } from './rule-files.js';
import { parseSecretDetectors, readSecretDetectorFiles } from './secrets/detector-file.js';
import { compileYaraRules } from './yara/compile-yara.js';
import { readYaraFolder, type YaraSource } from './yara/yara-sources.js';

/** The rule files a scanner is built from. */
export interface ScannerRules {
  readonly yara: readonly YaraSource[];
  readonly secrets: readonly RuleText[];
}

/** A rule file left out (a problem), or loaded with a warning from the compiler (a slow pattern). */
export interface ScannerProblem {
  readonly file: string;
  readonly line?: number;
  readonly message: string;
}

/** How the scanner runs, besides its rules. */
export interface ScannerSettings {
  readonly limits: ExpandLimits;
  readonly skipMedia: boolean;
  /** YARA time per object, in milliseconds (see Scanner.yaraTimeoutMs); absent: no limit. */
  readonly yaraTimeoutMs?: number;
}

/** Compiles the rules into a Scanner. */
export function buildScanner(rules: ScannerRules, settings: ScannerSettings): { scanner: Scanner; problems: ScannerProblem[]; warnings: ScannerProblem[] } {
  const yara = compileYaraRules(rules.yara);
  const secrets = parseSecretDetectors(rules.secrets);
  const at = (p: { file: string; line?: number }) => ({ file: p.file, ...(p.line !== undefined && { line: p.line }) });
  const problems: ScannerProblem[] = [
    ...yara.problems.map((p) => ({ ...at(p), message: `${p.code}: ${p.message}` })),
    ...secrets.problems.map((p) => ({ ...at(p), message: p.message })),
  ];
  const warnings = yara.warnings.map((w) => ({ ...at(w), message: `${w.code}: ${w.message}` }));
  const texts = [...rules.yara, ...rules.secrets].map((r) => `${r.file}\n${r.text}`).sort();
  const scanner: Scanner = {
    yara: yara.ruleset,
    secrets: secrets.detectors,
    limits: settings.limits,
    skipMedia: settings.skipMedia,
    rulesVersion: shortHash(texts.join('\0')),
    ...(settings.yaraTimeoutMs !== undefined && { yaraTimeoutMs: settings.yaraTimeoutMs }),
  };
  // The helper compiles while the caller gets on with its own start-up.
  if (scanner.yaraTimeoutMs !== undefined) scanner.yara.prepare();
  return { scanner, problems, warnings };
}

/** The rules under a folder holding `yara/` and `secrets/` (the repository's `rules/`, or a bundle's copy). */
export function readRuleFolders(root: string): ScannerRules {
  const yaraDir = join(root, 'yara');
  const secretsDir = join(root, 'secrets');
  return {
    yara: existsSync(yaraDir) ? readYaraFolder(yaraDir) : [],
    secrets: existsSync(secretsDir) ? readSecretDetectorFiles(secretsDir) : [],
  };
}

/** Rules from `updates` replace bundled files of the same name and add the others. */
export function overlayRules(bundled: ScannerRules, updates: ScannerRules): ScannerRules {
  const merge = <T extends RuleText>(base: readonly T[], over: readonly T[]) => {
    const byFile = new Map(base.map((r) => [r.file, r]));
    for (const r of over) byFile.set(r.file, r);
    return [...byFile.values()].sort((a, b) => a.file.localeCompare(b.file));
  };
  return { yara: merge(bundled.yara, updates.yara), secrets: merge(bundled.secrets, updates.secrets) };
}
