/** The accounts a local copy of the log archive holds, read from its folder names. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const ACCOUNT = /^\d{12}$/;
const ORG = /^o-[a-z0-9]{10,32}$/;

const folders = (dir: string): string[] => {
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return [];
  }
};

/**
 * Every account id with a folder under `<root>/<prefix>AWSLogs/` (flow and WAF logs) or
 * `AWSLogs/<org>/` (the organization trail), and under the findings archive's `account=` folders.
 */
export function accountsInLogs(roots: readonly string[], prefixes: readonly string[] = [''], findingsPrefix = 'skywatch/ocsf/'): string[] {
  const found = new Set<string>();
  for (const root of roots) {
    for (const prefix of new Set(prefixes)) {
      const logs = join(root, prefix, 'AWSLogs');
      if (!existsSync(logs)) continue;
      for (const name of folders(logs)) {
        if (ACCOUNT.test(name)) found.add(name);
        else if (ORG.test(name)) for (const inner of folders(join(logs, name))) if (ACCOUNT.test(inner)) found.add(inner);
      }
    }
    for (const name of folders(join(root, findingsPrefix))) {
      const m = /^account=(\d{12})$/.exec(name);
      if (m) found.add(m[1]!);
    }
  }
  return [...found].sort();
}
