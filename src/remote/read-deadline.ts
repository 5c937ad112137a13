/**
 * The time limit of one read: the earlier of the request's deadline and the
 * source's timeout_ms. Reads race their work against it; clients that can
 * cancel (undici) take its AbortSignal, created only when asked for.
 */
export class ReadDeadline {
  private controller: AbortController | undefined;

  constructor(
    /** Epoch milliseconds. */
    readonly at: number,
    /** Which limit `at` is, for messages. */
    readonly limit: 'timeout_ms' | 'request deadline',
    /** The span it allowed when the read started. */
    readonly ms: number,
  ) {}

  /** The earlier of the request deadline and now + timeoutMs. */
  static of(requestDeadline: number, timeoutMs: number, now = Date.now()): ReadDeadline {
    const own = now + timeoutMs;
    return own <= requestDeadline
      ? new ReadDeadline(own, 'timeout_ms', timeoutMs)
      : new ReadDeadline(requestDeadline, 'request deadline', Math.max(0, requestDeadline - now));
  }

  get remainingMs(): number {
    return Math.max(0, this.at - Date.now());
  }

  get signal(): AbortSignal {
    return (this.controller ??= new AbortController()).signal;
  }

  /** "timed out after 50 ms (timeout_ms)" */
  describe(): string {
    return this.ms === 0 && this.limit === 'request deadline'
      ? 'the request deadline had passed before the read started'
      : `timed out after ${this.ms} ms (${this.limit})`;
  }

  /**
   * `work`'s result, or `onTimeout()` as a rejection when the deadline comes
   * first; then the signal aborts so cancellable work stops too.
   */
  race<T>(work: Promise<T>, onTimeout: () => Error): Promise<T> {
    const remaining = this.at - Date.now();
    if (remaining <= 0) {
      work.catch(() => {}); // Nobody waits for it any more.
      this.controller?.abort();
      return Promise.reject(onTimeout());
    }
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(onTimeout());
        this.controller?.abort();
      }, remaining);
      work.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(err);
        },
      );
    });
  }
}
