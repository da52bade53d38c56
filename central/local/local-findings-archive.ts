/**
 * The local findings as an OCSF archive: every finding version of the local findings log
 * (`findings.jsonl`, ASFF) converted by the publisher's own mapping and written in the layout the
 * publisher uses in S3 (`skywatch/ocsf/account=/region=/date=/`), so the `findings` view reads them
 * as Athena reads the archive.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toOcsfDetectionFinding } from '../core/delivery/ocsf.js';
import type { AsffFinding } from '../core/findings/asff.js';
import { statePaths } from './replay.js';

/** Writes the archive below `root`; returns the finding versions written (0 when the state has no findings log). */
export function writeLocalFindingsArchive(stateDir: string, root: string, prefix = 'skywatch/ocsf/'): number {
  const log = statePaths(stateDir).findingLog;
  if (!existsSync(log)) return 0;
  const groups = new Map<string, string[]>();
  let count = 0;
  for (const line of readFileSync(log, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    let finding: AsffFinding;
    try {
      finding = JSON.parse(line) as AsffFinding;
    } catch {
      // A line cut short by a crash: the findings log is appended to, never rewritten.
      continue;
    }
    if (!finding.Id || !finding.UpdatedAt) continue;
    // The publisher files a version under the day it archives it, which follows its UpdatedAt.
    const folder = `account=${finding.AwsAccountId}/region=${finding.Region}/date=${finding.UpdatedAt.slice(0, 10)}`;
    const group = groups.get(folder) ?? [];
    group.push(JSON.stringify(toOcsfDetectionFinding(finding)));
    groups.set(folder, group);
    count++;
  }
  for (const [folder, lines] of groups) {
    const dir = join(root, prefix, folder);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'local.jsonl'), `${lines.join('\n')}\n`);
  }
  return count;
}
