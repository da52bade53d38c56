/**
 * The YARA time of one object. Every part's scan draws on one budget, so an archive of many parts
 * is bounded like a single file; once it is spent, the scan in progress is stopped and the parts
 * after it get no YARA scan. One note then says where it stopped and which rule set was too slow.
 */
import type { ScanMatch } from '../scan-match.js';
import type { ScanNote } from '../scan-result.js';
import { YaraScanTimeoutError } from './yara-process.js';
import type { ScanVariables, YaraRuleset } from './yara-ruleset.js';

/**
 * YARA time per object unless configured otherwise (the Lambda's YARA_TIMEOUT_SECONDS, the CLI's
 * --yara-timeout). The bundled rules scan about 100 MB a second (docs/scanner.md), so only a rule
 * far slower than ours reaches it; and a batch of ten objects all at the limit (200 s) still leaves
 * the function's five minutes room to read them, run the secret detectors and send the results.
 */
export const DEFAULT_YARA_TIMEOUT_SECONDS = 20;

/** YARA scans of one object's parts, within its time. */
export class YaraBudget {
  private readonly deadline: number | undefined;
  private stoppedAt: string | undefined;
  private skipped = 0;

  /** `timeoutMs` absent: the scans run in this process, unbounded (tests and benchmarks). */
  constructor(private readonly ruleset: YaraRuleset, private readonly timeoutMs: number | undefined) {
    this.deadline = timeoutMs === undefined ? undefined : performance.now() + timeoutMs;
  }

  /**
   * The YARA matches of one part followed by what `alongside` finds (the secret detectors), which
   * runs while the helper scans: two cores do the two jobs at once. `shownPath` names the part in
   * the note should time run out.
   */
  async scan(bytes: Uint8Array, variables: ScanVariables, shownPath: string, alongside: () => ScanMatch[]): Promise<ScanMatch[]> {
    if (this.deadline === undefined) return [...this.ruleset.scan(bytes, variables), ...alongside()];
    if (this.stoppedAt !== undefined) {
      this.skipped++;
      return alongside();
    }
    const left = Math.floor(this.deadline - performance.now());
    if (left <= 0) {
      this.stoppedAt = shownPath;
      return alongside();
    }
    const { matches } = await this.ruleset.startScan(bytes, variables, left);
    const others = alongside();
    try {
      return [...(await matches), ...others];
    } catch (error) {
      if (!(error instanceof YaraScanTimeoutError)) throw error;
      this.stoppedAt = shownPath;
      return others;
    }
  }

  /** The timeout note, when the budget ran out. */
  note(): ScanNote | undefined {
    if (this.stoppedAt === undefined) return undefined;
    const later = this.skipped ? ` and the ${this.skipped} parts after it` : '';
    return {
      path: this.stoppedAt,
      reason: 'timeout',
      detail: `${this.ruleset.name} did not finish within ${seconds(this.timeoutMs!)}: no YARA matches for this part${later}; the secret detectors read every part`,
    };
  }
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}
