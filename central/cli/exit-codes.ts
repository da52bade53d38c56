/** Exit codes, documented in docs/cli.md. */
export const EXIT = {
  /** Everything was read and run. */
  ok: 0,
  /** An unexpected error stopped the command. */
  internal: 1,
  /** The command line was wrong. */
  usage: 2,
  /** The command finished, but some inputs or rule files could not be used; each was reported. */
  partial: 3,
  /** `skywatch rules test`: at least one rule test case failed. */
  testsFailed: 4,
  /** `skywatch scan`: at least one object matched a YARA rule or a secret detector. */
  matches: 5,
  /** `skywatch replay` or `demo`: another process is writing the same state folder; nothing was done. */
  stateInUse: 6,
  /** `skywatch query run` or `investigate`: the engine failed, cancelled or timed out a query (the message says which). */
  queryFailed: 7,
} as const;
