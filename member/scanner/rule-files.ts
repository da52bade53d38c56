/**
 * Rule files as text, read from a folder (the bundled `rules/`, or `skywatch scan --rules DIR`) in a
 * stable order, so the same folder always compiles the same way.
 */
import { join, relative } from 'node:path';
import type { RuleProblem, RuleSource } from '../../central/core/rules/load.js';
import { readRuleSources } from '../../central/local/rule-files.js';

/** One rule file: its name (`yara/webshells.yar`, for error messages and overlays) and its text. */
export interface RuleText extends RuleSource {
  /** Where a published update came from (`s3://bucket/key`), for the log line when it does not load. */
  readonly location?: string;
}

/** Rule files or folders that could not be read. */
export class RuleFilesUnreadableError extends Error {
  override readonly name = 'RuleFilesUnreadableError';
  constructor(readonly problems: readonly RuleProblem[]) {
    super(`rule files could not be read: ${problems.map((p) => `${p.file}: ${p.reason}`).join('; ')}`);
  }
}

/**
 * Every file under `dir` whose path passes `accept`, recursively, sorted; `file` is relative to
 * `dir`'s parent. Throws RuleFilesUnreadableError when a file or folder cannot be read: the scanner's
 * rule sets have no problem list to carry it, and a rule left out silently would scan less.
 */
export function readRuleFiles(dir: string, accept: (path: string) => boolean): RuleText[] {
  const base = join(dir, '..');
  const { sources, problems } = readRuleSources([dir], { accept, name: (path) => relative(base, path) });
  if (problems.length > 0) throw new RuleFilesUnreadableError(problems);
  return sources;
}
