/** Runs the real `skywatch` command in a child process. */
import { execFile, spawnSync } from 'node:child_process';
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

/**
 * Runs `skywatch ...args` in `cwd` without blocking, so a test can start several commands at once:
 * each spends a second or two starting up.
 */
export function skywatchAsync(args: readonly string[], cwd?: string, { timeoutMs = 120_000 }: Pick<RunOptions, 'timeoutMs'> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: timeoutMs }, (_err, stdout, stderr) =>
      resolve({ code: child.exitCode, stdout, stderr }),
    );
  });
}

/** Writes a file for a command to read, creating its folders. */
export function writeInput(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
}
