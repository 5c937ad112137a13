import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Lowers the calling thread's scheduling priority to `nice` (0 = leave it).
 *
 * Why: the main thread feeds the pool. On a machine whose cores the pool
 * threads keep busy, a main thread at their priority waited on the run
 * queue for 40 % of the time (bench:engine, /proc schedstat), its replies
 * and hand-offs ran late, and pool threads sat idle waiting for it: 12 % of
 * the CPU went unused under full load. With the pool threads at nice 10 the
 * main thread runs as soon as it has work, and 3 % went unused.
 *
 * Linux only: `setpriority` on a thread id (from /proc/thread-self) sets that
 * one thread. Raising nice needs no privilege. Returns why it failed, or
 * undefined; elsewhere it does nothing.
 */
export function lowerThreadPriority(nice: number): string | undefined {
  if (nice === 0 || process.platform !== 'linux') return undefined;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    setPriority(tid, nice);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
