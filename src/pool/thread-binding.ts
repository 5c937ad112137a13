import { BroadcastChannel, type MessagePort, parentPort, receiveMessageOnPort, threadId } from 'node:worker_threads';
import { BoundTables } from './bound-tables.js';
import { claimSlot, currentGeneration, setSlotInUse, setSlotTask } from './generation-control.js';
import type { GenerationLink, GenerationMessage, ThreadHello } from './generation-message.js';
import { IdleCollector } from './idle-collector.js';

/**
 * A pool thread's view of the global data. piscina threads idle in
 * Atomics.wait, so broadcast listeners may not run; instead every task starts
 * by comparing the shared generation word with the bound one and, when it
 * moved, drains the channel synchronously. A task keeps the tables it started
 * with until it ends.
 */
export class ThreadBinding {
  private readonly control: Int32Array;
  private readonly channel: BroadcastChannel;
  private readonly slot: number;
  private latest: GenerationMessage | undefined;
  private bound: BoundTables | undefined;
  /** Running tasks per generation: the slot holds the oldest of these. */
  private readonly running = new Map<number, number>();
  private waiter: (() => void) | undefined;
  /** Frees the buffers of generations this thread let go of (see IdleCollector). */
  private readonly collector = new IdleCollector(() => this.running.size > 0);

  constructor(link: GenerationLink) {
    this.control = new Int32Array(link.control);
    this.channel = new BroadcastChannel(link.channelName);
    // Runs whenever this thread's event loop turns (start-up, async tasks).
    this.channel.onmessage = (e) => this.accept((e as { data: GenerationMessage }).data);
    this.channel.unref();
    this.slot = claimSlot(this.control, threadId);
  }

  /** Before the first task: fetch the current generation (a new thread missed earlier broadcasts). */
  async ready(): Promise<void> {
    const wanted = currentGeneration(this.control);
    if (wanted === 0) return;
    const hello: ThreadHello = { rankd: 'hello', threadId };
    parentPort?.postMessage(hello);
    while (this.latest === undefined || this.latest.generation < wanted) {
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
    this.waiter = undefined;
  }

  /** At a task's start: the tables it will use, marked in use until `leave`. */
  enter(): BoundTables {
    let g: number;
    for (;;) {
      g = currentGeneration(this.control);
      // Claim before reading so the main thread never reuses what we are about to bind.
      if (this.running.size === 0) setSlotInUse(this.control, this.slot, g);
      if (currentGeneration(this.control) === g) break;
    }
    if (this.bound === undefined || this.bound.generation < g) this.rebind(g);
    const bound = this.bound!;
    this.running.set(bound.generation, (this.running.get(bound.generation) ?? 0) + 1);
    this.collector.active();
    return bound;
  }

  /** Records that this thread started task `id` (so a runaway task's thread can be found). */
  started(id: number): void {
    setSlotTask(this.control, this.slot, id);
  }

  leave(tables: BoundTables): void {
    const left = (this.running.get(tables.generation) ?? 1) - 1;
    if (left > 0) this.running.set(tables.generation, left);
    else this.running.delete(tables.generation);
    let oldest = 0;
    for (const g of this.running.keys()) if (oldest === 0 || g < oldest) oldest = g;
    setSlotInUse(this.control, this.slot, oldest);
    this.collector.active();
  }

  private rebind(wanted: number): void {
    for (let m; (m = receiveMessageOnPort(this.channel as unknown as MessagePort)) !== undefined; ) {
      this.accept(m.message as GenerationMessage);
    }
    // The main thread posts before it publishes, so the message is always queued by now.
    if (wanted === 0) {
      this.bound = new BoundTables(0, {});
      return;
    }
    if (this.latest === undefined || this.latest.generation < wanted) {
      throw new Error(`generation ${wanted} was published but its tables never reached this thread`);
    }
    if (this.bound !== undefined) this.collector.due();
    this.bound = new BoundTables(this.latest.generation, this.latest.tables, this.latest.remote);
  }

  private accept(m: GenerationMessage): void {
    if (this.latest === undefined || m.generation > this.latest.generation) {
      if (this.latest !== undefined) this.collector.due();
      this.latest = m;
    }
    this.waiter?.();
  }
}
