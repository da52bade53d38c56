/**
 * Makes a folder that the command under test really cannot list. `chmod 000` is enough for an
 * ordinary user, but root reads through it; under root the command is then run as `nobody`, after
 * checking that `nobody` is refused. If neither works the test fails: it must never pass unproven.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, readdirSync } from 'node:fs';
import type { RunOptions as RunAs } from './cli.js';

const NOBODY: RunAs = { uid: 65534, gid: 65534 };

/** Locks `folder` (mode 000) and returns whom to run the command as so that listing it fails with EACCES. */
export function lockFolder(folder: string): RunAs {
  chmodSync(folder, 0o000);
  if (refuses(folder, {})) return {};
  if (process.getuid?.() === 0 && refuses(folder, NOBODY)) return NOBODY;
  throw new Error(`cannot make ${folder} unreadable on this machine, neither for this user nor for nobody`);
}

/** Unlocks a folder so the temporary tree can be removed. */
export function unlockFolder(folder: string): void {
  chmodSync(folder, 0o755);
}

/** True when listing the folder as that user fails with EACCES. */
function refuses(folder: string, as: RunAs): boolean {
  if (as.uid === undefined) {
    try {
      readdirSync(folder);
      return false;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EACCES';
    }
  }
  const probe = `try { require('node:fs').readdirSync(${JSON.stringify(folder)}); process.exit(0) } catch (e) { process.exit(e.code === 'EACCES' ? 13 : 1) }`;
  return spawnSync(process.execPath, ['-e', probe], { ...as }).status === 13;
}
