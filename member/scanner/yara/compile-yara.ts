/**
 * Compiles YARA rule files with YARA-X once per process. Each file is checked on its own first, so
 * an error names its file and line, and a broken file is reported while the others still load. The
 * good files are then compiled together; a clash between files (the same rule name twice) is traced
 * back to the later file, which is dropped and reported the same way.
 */
import { compile, validate, type CompilerOptions } from '@litko/yara-x';
import { shortHash } from '../redact.js';
import type { YaraSource } from './yara-sources.js';
import { YaraRuleset } from './yara-ruleset.js';

/** A rule file that did not compile. */
export interface YaraProblem {
  readonly file: string;
  /** 1-based line in `file`, when the compiler gives one. */
  readonly line?: number;
  /** The compiler's error code (`E009`...). */
  readonly code: string;
  /** The compiler's first line of explanation, without the source excerpt. */
  readonly message: string;
}

/**
 * A compiler warning about a file that compiled: `slow_pattern` (a pattern with no good atom, which
 * makes every scan slow), `potentially_slow_loop`, an invariant condition. The rule still loads.
 */
export interface YaraWarning {
  readonly file: string;
  readonly line?: number;
  /** YARA-X's warning code (`slow_pattern`...). */
  readonly code: string;
  readonly message: string;
}

/** What compiling a set of files gives. */
export interface CompiledYara {
  readonly ruleset: YaraRuleset;
  readonly problems: readonly YaraProblem[];
  readonly warnings: readonly YaraWarning[];
  /** The files that compiled, in order. */
  readonly files: readonly string[];
}

/**
 * External variables of the THOR and LOKI scanners that many public rules use. They are declared
 * (empty by default) so those rules compile, and the scanner sets them per object: see scanVariables.
 */
export const SCANNER_EXTERNALS = ['filename', 'filepath', 'extension', 'filetype', 'owner'] as const;

/** Compiles `sources`; never throws for a bad rule file. */
export function compileYaraRules(sources: readonly YaraSource[]): CompiledYara {
  const options = compilerOptions();
  const problems: YaraProblem[] = [];
  const warned = new Map<YaraSource, YaraWarning[]>();
  let good = sources.filter((source) => {
    const checked = validate(source.text, options);
    const first = checked.errors[0];
    if (first) problems.push(problemOf(source.file, first.code, first.message));
    else warned.set(source, checked.warnings.map((w) => warningOf(source.file, w.code, w.message)));
    return !first;
  });
  for (;;) {
    const combined = combine(good);
    try {
      const scanner = compile(combined.text, options);
      const version = shortHash(good.map((s) => `${s.file}\n${s.text}`).join('\0'));
      const ruleset = new YaraRuleset(scanner, ruleCount(good), { text: combined.text, options, version, files: good.length });
      return { ruleset, problems, warnings: good.flatMap((s) => warned.get(s) ?? []), files: good.map((s) => s.file) };
    } catch (error) {
      const message = String((error as Error).message ?? error);
      const at = lineOf(message);
      const culprit = at === undefined ? undefined : combined.fileAt(at);
      if (!culprit) throw new Error(`YARA rules failed to compile together: ${firstLine(message)}`, { cause: error });
      problems.push({ ...problemOf(culprit.file, codeOf(message), message), line: at! - culprit.firstLine + 1 });
      good = good.filter((s) => s !== culprit.source);
    }
  }
}

function compilerOptions(): CompilerOptions {
  return { defineVariables: Object.fromEntries(SCANNER_EXTERNALS.map((name) => [name, ''])) };
}

/** Joins files into one source and remembers where each starts, to map an error back to its file. */
function combine(sources: readonly YaraSource[]) {
  const starts: Array<{ source: YaraSource; file: string; firstLine: number }> = [];
  let line = 1;
  for (const source of sources) {
    starts.push({ source, file: source.file, firstLine: line });
    line += source.text.split('\n').length;
  }
  return {
    text: sources.map((s) => s.text).join('\n'),
    fileAt: (at: number) => starts.findLast((start) => start.firstLine <= at),
  };
}

function warningOf(file: string, code: string, message: string): YaraWarning {
  const line = lineOf(message);
  return { file, ...(line !== undefined && { line }), code, message: firstLine(message).replace(/^warning\[\w+\]:\s*/, '') };
}

function problemOf(file: string, code: string, message: string): YaraProblem {
  const line = lineOf(message);
  return { file, ...(line !== undefined && { line }), code, message: firstLine(message).replace(/^error\[\w+\]:\s*/, '') };
}

/** YARA-X puts the position in its report as `--> line:L:C`. */
function lineOf(message: string): number | undefined {
  const match = /--> line:(\d+):\d+/.exec(message);
  return match ? Number(match[1]) : undefined;
}

function codeOf(message: string): string {
  return /\b(E\d{3})\b/.exec(message)?.[1] ?? 'E000';
}

function firstLine(message: string): string {
  return message.replace(/^Error:\s*/, '').replace(/^Compilation error \(\w+\):\s*/, '').split('\n')[0]!.trim();
}

/** Counts the rules in files (private and global ones too). */
export function ruleCount(sources: readonly YaraSource[]): number {
  return sources.reduce((n, s) => n + (s.text.match(RULE_HEADER) ?? []).length, 0);
}

const RULE_HEADER = /^\s*(?:(?:private|global)\s+)*rule\s+\w+/gm;
