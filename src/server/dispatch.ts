import type { CallDeadline, TaskReply } from '../pool/pool-task.js';
import type { QueryPool } from '../pool/query-pool.js';

/**
 * Where requests go: the current pool. UpdateWork switches it in one
 * assignment; calls already handed to the old pool finish there.
 */
export class Dispatch {
  constructor(private current: QueryPool) {}

  get pool(): QueryPool {
    return this.current;
  }

  /** See QueryPool.run (`handOver`: the caller gives up the request's ArrayBuffer). */
  run(method: 'rank' | 'call', bytes: Uint8Array, deadline: CallDeadline, handOver = false): Promise<TaskReply> {
    return this.current.run(method, bytes, deadline, handOver);
  }

  /** Makes `next` current and returns the pool it replaced. */
  switchTo(next: QueryPool): QueryPool {
    const old = this.current;
    this.current = next;
    return old;
  }
}
