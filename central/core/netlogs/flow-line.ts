/**
 * One flow-log line as offsets into its file's text, reused for every line of the file: fields are
 * read in place (numbers parsed from the characters, words compared where they stand), so reading
 * a line allocates only the strings a record keeps.
 */
import { fieldName, type FlowFormat } from './flow-format.js';

const ABSENT = -1;
const INVALID = -2;
const DASH = 45;

/**
 * The token offsets of the current line, reused for every line of a file. `start[code]` is -1 for
 * fields the format lacks; the first invalid field's reason is kept in `fault`.
 */
export class FlowLine {
  readonly start: Int32Array;
  readonly end: Int32Array;
  fault: string | undefined;
  /** The account of the last record, so a file of one account holds one copy of its id. */
  lastAccount: string | undefined;

  constructor(
    readonly text: string,
    readonly format: FlowFormat,
  ) {
    this.start = new Int32Array(format.has.length).fill(-1);
    this.end = new Int32Array(format.has.length);
  }

  /** The token of a field as written, for messages. */
  token(code: number): string {
    return this.text.slice(this.start[code]!, this.end[code]!);
  }

  /** True when the field is in the format and not `-`. */
  present(code: number): boolean {
    const s = this.start[code]!;
    return s >= 0 && !(this.end[code]! - s === 1 && this.text.charCodeAt(s) === DASH);
  }

  /** True when the field's token is exactly `word`. */
  is(code: number, word: string): boolean {
    const s = this.start[code]!;
    return this.end[code]! - s === word.length && this.text.startsWith(word, s);
  }

  /** The field as a string; undefined when absent. */
  str(code: number): string | undefined {
    return this.present(code) ? this.token(code) : undefined;
  }

  /** The field as an integer in 0..max; undefined when absent; sets `fault` when it is not one. */
  uint(code: number, max: number, what: string): number | undefined {
    const value = this.digits(code);
    if (value === ABSENT) return undefined;
    if (value !== INVALID && value <= max) return value;
    this.fail(`${fieldName(code)} "${this.token(code)}" is not ${what}`);
    return undefined;
  }

  /** Keeps the first reason a line is bad. */
  fail(reason: string): void {
    this.fault ??= reason;
  }

  private digits(code: number): number {
    if (!this.present(code)) return ABSENT;
    const s = this.start[code]!;
    const e = this.end[code]!;
    // Fifteen digits stay exact in a double; no counter comes near.
    if (e - s > 15) return INVALID;
    let v = 0;
    for (let i = s; i < e; i++) {
      const d = this.text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return INVALID;
      v = v * 10 + d;
    }
    return v;
  }
}
