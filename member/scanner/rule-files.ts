/**
 * Rule files as text, read from a folder (the bundled `rules/`, or `skywatch scan --rules DIR`) in a
 * stable order, so the same folder always compiles the same way.
 */
import { join, relative } from 'node:path';
import type { RuleSource } from '../../central/core/rules/load.js';
import { readRuleSources } from '../../central/local/rule-files.js';

/** One rule file: its name (`yara/webshells.yar`, for error messages and overlays) and its text. */
export interface RuleText extends RuleSource {
  /** Where a published update came from (`s3://bucket/key`), for the log line when it does not load. */
  readonly origin?: string;
}

/** Every file under `dir` whose path passes `accept`, recursively, sorted; `file` is relative to `dir`'s parent. */
export function readRuleFiles(dir: string, accept: (path: string) => boolean): RuleText[] {
  const base = join(dir, '..');
  return readRuleSources([dir], { accept, name: (path) => relative(base, path) });
}
