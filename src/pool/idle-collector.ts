import { fullGc } from './full-gc.js';

/** How long a thread must have run no task before it collects. */
const QUIET_MS = 200;
/** Past this, it collects at the first moment it runs no task, quiet or not. */
const MAX_DEFER_MS = 10_000;

/**
 * Full garbage collections of a thread after it let go of a generation of the
 * global tables, so the buffers of replaced tables can be freed (see fullGc).
 *
 * It waits for a quiet spell: under load the thread's own allocations trigger
 * several collections a second that free those buffers anyway, and a forced
 * one between two calls only delays the calls queued behind it (p99 during
 * swaps). An idle thread never collects on its own, so there it runs soon;
 * a thread that is never quiet still collects once MAX_DEFER_MS have passed.
 */
export class IdleCollector {
  private dueSince = 0;
  private lastActive = 0;
  private timer: NodeJS.Timeout | undefined;

  private readonly quietMs: number;
  private readonly maxDeferMs: number;
  private readonly collect: () => void;

  constructor(
    private readonly busy: () => boolean,
    options: { quietMs?: number; maxDeferMs?: number; collect?: () => void } = {},
  ) {
    this.quietMs = options.quietMs ?? QUIET_MS;
    this.maxDeferMs = options.maxDeferMs ?? MAX_DEFER_MS;
    this.collect = options.collect ?? fullGc;
  }

  /** The thread let go of a generation: collect at its next quiet moment. */
  due(): void {
    if (this.dueSince === 0) this.dueSince = performance.now();
    this.timer ??= setInterval(() => this.check(), this.quietMs / 2).unref();
  }

  /** A task started or ended. */
  active(): void {
    this.lastActive = performance.now();
  }

  private check(): void {
    if (this.busy()) return;
    const now = performance.now();
    if (now - this.lastActive < this.quietMs && now - this.dueSince < this.maxDeferMs) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.dueSince = 0;
    this.collect();
  }
}
