import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Lowers the calling thread's scheduling priority to `nice` (0 = leave it).
 *
 * Why: the main thread feeds the pool. On a machine whose cores the pool
 * threads keep busy, a main thread at their priority waited for a core 35 %
 * of the time (bench:engine's columns), its replies and hand-offs ran late,
 * and pool threads sat idle waiting for it: 15 % of the cores went unused
 * under full load. With the pool threads at nice 10: 17 % and 8 %.
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
