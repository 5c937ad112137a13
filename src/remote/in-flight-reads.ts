/** Counts a source's running reads, so close() can wait for them before it closes the clients. */
export class InFlightReads {
  private count = 0;
  private onIdle: (() => void) | undefined;
  private idlePromise: Promise<void> | undefined;

  get size(): number {
    return this.count;
  }

  track<T>(read: Promise<T>): Promise<T> {
    this.count++;
    const done = (): void => {
      if (--this.count === 0 && this.onIdle !== undefined) {
        const wake = this.onIdle;
        this.onIdle = undefined;
        this.idlePromise = undefined;
        wake();
      }
    };
    read.then(done, done);
    return read;
  }

  /** Resolves once no read is running (at once if none is). */
  idle(): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return (this.idlePromise ??= new Promise<void>((resolve) => (this.onIdle = resolve)));
  }
}
