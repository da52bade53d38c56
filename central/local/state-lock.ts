/**
 * One writer per state folder. Two replays into the same state at once would interleave their
 * ledger updates and the second would die halfway with "database is locked"; instead the second
 * process is told at once, before it reads anything, who holds the state.
 *
 * The lock is an exclusive SQLite lock on `lock.db` in the state folder, held for the life of the
 * process: the operating system releases it when the process ends, however it ends (a SIGKILL
 * included), so there is no stale lock file to clean up and no process id to trust.
 */
import Database from 'libsql';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Who holds a state folder, as the holder wrote it beside the lock. */
export interface LockHolder {
  readonly pid: number;
  readonly command: string;
  readonly since: string;
}

/** The state folder is being written by another process. */
export class StateInUseError extends Error {
  override readonly name = 'StateInUseError';
  constructor(readonly stateDir: string, readonly holder: LockHolder | undefined) {
    super(
      `the state folder ${stateDir} is in use by another skywatch process` +
        (holder ? ` (pid ${holder.pid}, "${holder.command}" since ${holder.since})` : '') +
        '; wait for it to finish, or use another --state',
    );
  }
}

/** A held lock; `release` lets the next process in (ending the process does too). */
export interface StateLock {
  release(): void;
}

/** Takes the state folder's lock or throws StateInUseError at once, without waiting. */
export function lockState(stateDir: string, command: string): StateLock {
  mkdirSync(stateDir, { recursive: true });
  const db = new Database(join(stateDir, 'lock.db'), { timeout: 0 });
  try {
    // In exclusive locking mode the first write's lock is kept until the connection closes.
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec("BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS lock (taken TEXT); DELETE FROM lock; INSERT INTO lock VALUES (datetime('now')); COMMIT;");
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code === 'SQLITE_BUSY') throw new StateInUseError(stateDir, readHolder(stateDir));
    throw err;
  }
  const holder: LockHolder = { pid: process.pid, command, since: new Date().toISOString() };
  writeFileSync(holderFile(stateDir), JSON.stringify(holder) + '\n');
  return { release: () => db.close() };
}

function readHolder(stateDir: string): LockHolder | undefined {
  try {
    return JSON.parse(readFileSync(holderFile(stateDir), 'utf8')) as LockHolder;
  } catch {
    return undefined;
  }
}

const holderFile = (stateDir: string) => join(stateDir, 'lock.holder.json');
