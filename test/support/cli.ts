/** Runs the real `skywatch` command in a child process. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/skywatch.mjs', import.meta.url));

/** The outcome of one command. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** How to run the command: as whom (default this process's user) and for how long at most (default two minutes). */
export interface RunOptions {
  readonly uid?: number;
  readonly gid?: number;
  readonly timeoutMs?: number;
}

/** Runs `skywatch ...args` in `cwd` and waits for it. */
export function skywatch(args: readonly string[], cwd?: string, { timeoutMs = 120_000, ...as }: RunOptions = {}): CliRun {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, ...as, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: timeoutMs });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Writes a file for a command to read, creating its folders. */
export function writeInput(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
}
