/**
 * Raised by a handler whose AWS adapters are not part of this release yet (today only the statistics
 * function), on every invocation, so a function deployed too early fails loudly (and any queued
 * messages stay queued) instead of dropping work.
 */
export class RuntimeNotBuiltError extends Error {
  override readonly name = 'RuntimeNotBuiltError';
  constructor(readonly handler: string, readonly missing: string) {
    super(`${handler}: ${missing} not built yet; messages stay queued until it is`);
  }
}
