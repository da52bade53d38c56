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
  const asUser = listing(folder, {});
  if (asUser === REFUSED) return {};
  const asNobody = process.getuid?.() === 0 ? listing(folder, NOBODY) : 'not tried (this user is not root)';
  if (asNobody === REFUSED) return NOBODY;
  throw new Error(`cannot make ${folder} unreadable on this machine: this user ${asUser}; nobody ${asNobody}`);
}

/** Unlocks a folder so the temporary tree can be removed. */
export function unlockFolder(folder: string): void {
  chmodSync(folder, 0o755);
}

const REFUSED = 'is refused';

/** How listing the folder as that user ends: `REFUSED` (EACCES), or what happened instead. */
function listing(folder: string, as: RunAs): string {
  if (as.uid === undefined) {
    try {
      readdirSync(folder);
      return 'lists it';
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EACCES' ? REFUSED : `fails with ${String(err)}`;
    }
  }
  const probe = `try { require('node:fs').readdirSync(${JSON.stringify(folder)}); process.exit(0) } catch (e) { console.error(String(e)); process.exit(e.code === 'EACCES' ? 13 : 1) }`;
  const r = spawnSync(process.execPath, ['-e', probe], { ...as, encoding: 'utf8' });
  // Node itself must be reachable by that user: every folder above it open to others.
  if (r.error) return `cannot run ${process.execPath} (${String(r.error)})`;
  if (r.status === 13) return REFUSED;
  return r.status === 0 ? 'lists it' : `fails with ${r.stderr.trim()}`;
}
