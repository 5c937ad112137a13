/**
 * A source spec that cannot be served, naming the db_config.ini key at
 * fault, so the main thread's check before UpdateDb can say where to look.
 */
export class SourceSpecError extends Error {
  constructor(
    readonly source: string,
    /** The db_config.ini key, e.g. "target" or "servers". */
    readonly key: string,
    /** What is wrong, without the source. */
    readonly reason: string,
  ) {
    super(`remote source "${source}": ${reason}`);
    this.name = 'SourceSpecError';
  }
}
