/** Problems met while reading inputs: reported with their input and reason, never fatal to the rest. */

/** One input (or part of one) that could not be used, and why. */
export interface InputProblem {
  /** The file or object name. */
  readonly input: string;
  /** 1-based line, for line-oriented inputs. */
  readonly line?: number;
  /** Index inside a `Records` array. */
  readonly index?: number;
  readonly reason: string;
  /**
   * `error`: data was lost or unusable. `notice`: nothing was lost but the input was unusual
   * (an empty file), reported so nobody wonders where it went.
   */
  readonly level: 'error' | 'notice';
}

/** Thrown by record normalizers when a record lacks what an event must have. */
export class InvalidRecordError extends Error {
  override readonly name: string = 'InvalidRecordError';
  constructor(message: string) {
    super(message);
  }
}

/** Formats a problem as `file:line: reason`. */
export function describeProblem(p: InputProblem): string {
  const where = p.line !== undefined ? `${p.input}:${p.line}` : p.index !== undefined ? `${p.input}#Records[${p.index}]` : p.input;
  return `${where}: ${p.reason}`;
}
