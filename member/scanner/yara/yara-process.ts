/**
 * YARA-X scans with a time limit. @litko/yara-x 0.3.0 offers no timeout and cannot interrupt a scan,
 * and a scan in a thread cannot be stopped either: a slow rule over hostile data would keep a core
 * busy for hours after we gave up on it. So scans run in a helper process (yara-child.mjs) holding
 * the same compiled rules, and one that runs past its time is ended by killing that process; the
 * next scan starts a fresh one. The part's bytes go over a pipe, so the helper holds a copy of the
 * part being scanned.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CompilerOptions } from '@litko/yara-x';

/** What the helper reports of a matching rule: never the matched bytes. */
export interface HelperRuleMatch {
  readonly ruleIdentifier: string;
  readonly meta: object;
  readonly matches: ReadonlyArray<{ readonly offset: number; readonly length: number }>;
}

/** A scan that did not finish in time; the helper was killed. */
export class YaraScanTimeoutError extends Error {
  override readonly name = 'YaraScanTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`the YARA scan did not finish within ${timeoutMs} ms`);
  }
}

/** The helper could not start, compile, or died during a scan. */
export class YaraHelperError extends Error {
  override readonly name = 'YaraHelperError';
}

/** Time to start the helper and compile the rules: not counted against any object. */
const START_TIMEOUT_MS = 120_000;

/** In the Lambda bundle the helper sits beside index.mjs; in the repository, beside this file. */
const HELPER = fileURLToPath(new URL('./yara-child.mjs', import.meta.url));

type Reply = { type: 'ready' } | { type: 'failed'; message: string } | { type: 'result'; id: number; rules: HelperRuleMatch[] } | { type: 'error'; id: number; message: string };

/** Compiled rules in a helper process, scanned one request at a time. */
export class YaraProcess {
  private child: ChildProcess | undefined;
  private starting: Promise<ChildProcess> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;

  constructor(private readonly source: string, private readonly options: CompilerOptions) {}

  /**
   * Sends `bytes` to the helper and resolves once they are written, with the scan's pending result
   * (the rules matching them, or YaraScanTimeoutError after `timeoutMs`): the caller can work
   * meanwhile, as the secret detectors do while the helper scans.
   */
  start(bytes: Uint8Array, variables: Record<string, string> | undefined, timeoutMs: number): Promise<{ result: Promise<HelperRuleMatch[]> }> {
    // One scan at a time: a timeout kills the helper, which must not fail a scan queued behind it.
    const started = this.queue.then(() => this.scanNow(bytes, variables, timeoutMs));
    this.queue = started.then((s) => s.result).catch(() => undefined);
    return started;
  }

  /** Starts the helper now; a failure to start is reported by the first scan, which tries again. */
  prepare(): void {
    this.started().catch(() => undefined);
  }

  /** Ends the helper; a later scan starts a new one. */
  close(): void {
    this.child?.kill('SIGKILL');
    this.child = undefined;
    this.starting = undefined;
  }

  private async scanNow(bytes: Uint8Array, variables: Record<string, string> | undefined, timeoutMs: number): Promise<{ result: Promise<HelperRuleMatch[]> }> {
    const child = await this.started();
    const id = this.nextId++;
    let written: () => void = () => undefined;
    const sent = new Promise<void>((resolve) => (written = resolve));
    const result = new Promise<HelperRuleMatch[]>((resolve, reject) => {
      const done = (settle: () => void) => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        written();
        settle();
      };
      const onMessage = (reply: Reply) => {
        if (reply.type === 'result' && reply.id === id) done(() => resolve(reply.rules));
        else if (reply.type === 'error' && reply.id === id) done(() => reject(new YaraHelperError(`YARA scan failed: ${reply.message}`)));
      };
      const onExit = (code: number | null, signal: string | null) => {
        this.forget(child);
        done(() => reject(new YaraHelperError(`the YARA helper process stopped during a scan (${signal ?? `exit code ${code}`})`)));
      };
      const timer = setTimeout(() => {
        this.forget(child);
        child.kill('SIGKILL');
        done(() => reject(new YaraScanTimeoutError(timeoutMs)));
      }, timeoutMs);
      child.on('message', onMessage);
      child.on('exit', onExit);
      try {
        child.send({ type: 'scan', id, length: bytes.byteLength, variables });
        // Called once the pipe took the last byte, or with the error of a helper that died.
        child.stdin!.write(bytes, () => written());
      } catch (error) {
        this.forget(child);
        done(() => reject(new YaraHelperError(`the YARA helper cannot be reached: ${(error as Error).message}`)));
      }
    });
    // Rejections are the caller's, through `result`; none must go unhandled while it works meanwhile.
    result.catch(() => undefined);
    await sent;
    return { result };
  }

  private forget(child: ChildProcess): void {
    if (this.child !== child) return;
    this.child = undefined;
    this.starting = undefined;
  }

  private started(): Promise<ChildProcess> {
    this.starting ??= this.spawnHelper();
    return this.starting;
  }

  private spawnHelper(): Promise<ChildProcess> {
    if (!existsSync(HELPER)) return Promise.reject(new YaraHelperError(`the YARA helper ${HELPER} is missing`));
    // Arguments spelled out: no inherited flags (a TypeScript loader, an inspector) for plain JavaScript.
    const child = spawn(process.execPath, [HELPER], { stdio: ['pipe', 'inherit', 'inherit', 'ipc'] });
    // Writes to a helper killed mid-scan fail with EPIPE: the scan's exit handler reports it.
    child.stdin!.on('error', () => undefined);
    // A helper that dies while idle (out of memory) is replaced at the next scan.
    child.on('exit', () => this.forget(child));
    child.on('error', () => this.forget(child));
    this.child = child;
    return new Promise<ChildProcess>((resolve, reject) => {
      const settle = (error?: string) => {
        clearTimeout(timer);
        child.off('exit', onExit);
        child.off('error', onError);
        child.off('message', onMessage);
        if (error === undefined) return resolve(child);
        this.forget(child);
        child.kill('SIGKILL');
        reject(new YaraHelperError(error));
      };
      const onExit = (code: number | null, signal: string | null) => settle(`the YARA helper stopped while compiling (${signal ?? `exit code ${code}`})`);
      const onError = (error: Error) => settle(`the YARA helper could not start: ${error.message}`);
      const onMessage = (reply: Reply) => {
        if (reply.type !== 'ready') return settle(`the YARA helper could not compile the rules: ${reply.type === 'failed' ? reply.message : reply.type}`);
        // Idle, the helper must not keep the process alive: a scan in flight holds its own timer.
        child.unref();
        child.channel?.unref();
        (child.stdin as unknown as { unref?: () => void }).unref?.();
        settle();
      };
      const timer = setTimeout(() => settle(`the YARA helper did not compile the rules within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
      child.on('exit', onExit);
      child.on('error', onError);
      child.on('message', onMessage);
      child.send({ type: 'compile', source: this.source, options: this.options });
    });
  }
}
