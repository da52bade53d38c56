/** YARA rule files: `.yar` and `.yara`. */
import { readRuleFiles, type RuleText } from '../rule-files.js';

/** One YARA rule file. */
export type YaraSource = RuleText;

/** True for a YARA rule file name. */
export function isYaraFile(name: string): boolean {
  return /\.(yar|yara)$/i.test(name);
}

/** Every YARA rule file under `dir`, recursively, sorted by path; `file` is relative to `dir`'s parent. */
export function readYaraFolder(dir: string): YaraSource[] {
  return readRuleFiles(dir, isYaraFile);
}
