import { fullGc } from './full-gc.js';

/**
 * Full garbage collections of a pool thread, run when it is idle after it
 * let go of a generation of the global tables, so the buffers of replaced
 * tables can be freed (see fullGc). At most one per generation, between tasks.
 */
export class IdleCollector {
  private pending = false;
  private scheduled = false;

  constructor(private readonly busy: () => boolean) {}

  /** The thread let go of a generation: collect at its next idle moment. */
  due(): void {
    this.pending = true;
    this.schedule();
  }

  /** A task ended: the thread may be idle now. */
  idle(): void {
    if (this.pending) this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.busy()) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.pending || this.busy()) return;
      this.pending = false;
      fullGc();
    }).unref();
  }
}
