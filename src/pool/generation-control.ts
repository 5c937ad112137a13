/**
 * The shared word that says which generation of global data is current, and
 * one slot per pool thread saying the oldest generation its running tasks use.
 *
 * Layout of the Int32Array over `sab`:
 *   [0]          current generation (published by the main thread)
 *   [1 + 3i]     thread id owning slot i (0 = free)
 *   [2 + 3i]     oldest generation in use by that thread's running tasks (0 = none)
 *   [3 + 3i]     id of the task that thread started last (finds a runaway task's thread)
 *
 * A thread's slot is its acknowledgement: old buffers may be reused once no
 * slot names their generation. An idle thread holds nothing in use, and it
 * rebinds to the current generation before its next task.
 */

export const MAX_THREADS = 256;
const CURRENT = 0;

export function createControlBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(4 * (1 + 3 * MAX_THREADS));
}

export function currentGeneration(control: Int32Array): number {
  return Atomics.load(control, CURRENT);
}

export function publishGeneration(control: Int32Array, generation: number): void {
  Atomics.store(control, CURRENT, generation);
}

/** Claims a free slot for a thread; returns its index. */
export function claimSlot(control: Int32Array, threadId: number): number {
  for (let i = 0; i < MAX_THREADS; i++) {
    if (Atomics.compareExchange(control, 1 + 3 * i, 0, threadId) === 0) {
      Atomics.store(control, 2 + 3 * i, 0);
      Atomics.store(control, 3 + 3 * i, 0);
      return i;
    }
  }
  throw new Error(`more than ${MAX_THREADS} pool threads`);
}

/** Frees the slot of a thread that ended (called by the main thread when a thread exits or dies). */
export function releaseSlotOf(control: Int32Array, threadId: number): void {
  for (let i = 0; i < MAX_THREADS; i++) {
    if (Atomics.load(control, 1 + 3 * i) === threadId) {
      Atomics.store(control, 2 + 3 * i, 0);
      Atomics.store(control, 3 + 3 * i, 0);
      Atomics.store(control, 1 + 3 * i, 0);
    }
  }
}

export function setSlotInUse(control: Int32Array, slot: number, generation: number): void {
  Atomics.store(control, 2 + 3 * slot, generation);
}

export function setSlotTask(control: Int32Array, slot: number, taskId: number): void {
  Atomics.store(control, 3 + 3 * slot, taskId);
}

/** The thread that started task `taskId` last, if any: a task still running past its deadline blocks it. */
export function threadOfTask(control: Int32Array, taskId: number): number | undefined {
  for (let i = 0; i < MAX_THREADS; i++) {
    const threadId = Atomics.load(control, 1 + 3 * i);
    if (threadId !== 0 && Atomics.load(control, 3 + 3 * i) === taskId) return threadId;
  }
  return undefined;
}

/** The oldest generation any running task uses, or Infinity when none runs. */
export function oldestGenerationInUse(control: Int32Array): number {
  let oldest = Infinity;
  for (let i = 0; i < MAX_THREADS; i++) {
    if (Atomics.load(control, 1 + 3 * i) === 0) continue;
    const g = Atomics.load(control, 2 + 3 * i);
    if (g !== 0 && g < oldest) oldest = g;
  }
  return oldest;
}
