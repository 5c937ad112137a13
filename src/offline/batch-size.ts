/**
 * Keys per pool task, sized so a task takes about TARGET_MS whatever the
 * work costs: big enough that per-task costs (messages, scheduling, the gap
 * before a thread's next task) vanish, small enough that progress, ordering
 * buffers and per-batch deadlines stay fine-grained. Starts small so both
 * threads get work at once.
 */
const TARGET_MS = 25;
const MIN = 16;
const MAX = 1024;

export class BatchSize {
  private size = MIN;

  get next(): number {
    return this.size;
  }

  /** A batch of `keys` took `ms` of thread time. */
  record(keys: number, ms: number): void {
    const perKey = ms / Math.max(keys, 1);
    const wanted = perKey > 0 ? TARGET_MS / perKey : MAX;
    // Grows at most 4× per step (one quick batch is a noisy sample); shrinks at once.
    this.size = Math.round(Math.min(MAX, Math.max(MIN, Math.min(wanted, this.size * 4))));
  }
}
