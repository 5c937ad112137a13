import { fileURLToPath } from 'node:url';
import { status } from '@grpc/grpc-js';
import { Piscina } from 'piscina';
import type { WorkSpec } from '../config/work-spec.js';
import type { KeyBatch, KeyBatchReply } from '../offline/key-batch.js';
import { RequestError } from '../rpc/request-error.js';
import { CallBatcher, queueFullError } from './call-batcher.js';
import { threadOfTask } from './generation-control.js';
import type { GenerationPublisher } from './generation-publisher.js';
import { isThreadHello } from './generation-message.js';
import type { LogLevel } from '../config/rankd-ini.js';
import { type CallDeadline, isTaskFailure, type PingReply, type PoolTask, type PoolThreadData, type TaskFailure, type TaskReply, type TaskRunnerOptions } from './pool-task.js';
import { threadScript } from './thread-script.js';

export interface QueryPoolOptions {
  threads: number;
  queueSize: number;
  tasksPerThread: number;
  /** Calls one task may carry (see CallBatcher). */
  batchMax: number;
  runner: TaskRunnerOptions;
  logLevel: LogLevel;
  /** How long past its deadline a task may keep running before its thread is terminated. */
  killAfterMs: number;
  /** Heap limit of each pool thread: a work that exceeds it fails its call, not the process. */
  maxHeapMb: number;
  /** Young-generation size of each pool thread (see [pool] young_heap_mb). */
  youngHeapMb: number;
  /** Niceness of the pool threads (see [pool] nice). */
  nice: number;
  works: WorkSpec[];
}

/**
 * One piscina pool running one set of works. UpdateWork builds a new one and
 * closes the old one once its tasks are done (ES modules cannot be unloaded).
 */
export class QueryPool {
  private readonly pool: Piscina;
  private readonly control: Int32Array;
  private readonly calls: CallBatcher;
  private nextTaskId = 0;
  private closing = false;
  /** Calls (and call batches) taken and not yet answered: close() waits for them. */
  private inFlight = 0;
  private drained: (() => void) | undefined;

  constructor(
    private readonly options: QueryPoolOptions,
    publisher: GenerationPublisher,
  ) {
    this.control = new Int32Array(publisher.link.control);
    const workerData: PoolThreadData = { link: publisher.link, works: options.works, runner: options.runner, logLevel: options.logLevel, nice: options.nice };
    this.pool = new Piscina({
      filename: fileURLToPath(threadScript(import.meta.url, './pool-thread.js')),
      minThreads: options.threads,
      maxThreads: options.threads,
      maxQueue: options.queueSize,
      concurrentTasksPerWorker: options.tasksPerThread,
      idleTimeout: Number.POSITIVE_INFINITY,
      // Threads own network clients (remote sources): with 'sync' an idle thread
      // blocks in Atomics.wait and its reconnect timers and sockets never run.
      atomics: 'async',
      resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb, maxYoungGenerationSizeMb: options.youngHeapMb },
      workerData,
    });
    this.calls = new CallBatcher(options.threads * options.tasksPerThread, options.batchMax, options.queueSize, (tasks) => this.send(tasks));
    this.pool.on('message', (m: unknown) => {
      if (isThreadHello(m)) publisher.rebroadcast();
    });
    this.pool.on('workerDestroy', (w: { id: number }) => publisher.threadGone(w.id));
    // A thread that dies is replaced by piscina; its task's caller gets UNAVAILABLE below.
    this.pool.on('error', () => {});
  }

  /**
   * Runs one request; resolves to the encoded reply or rejects with a
   * RequestError. A call whose thread died under it (another call's runaway
   * work, a crash) is run once more on a live thread: calls only read.
   *
   * `handOver`: the request is the whole of its ArrayBuffer and the caller
   * gives it up. It goes to the thread without a copy (for bench:engine's
   * 74 KB requests the copy cost the main thread ~25 µs of its ~190 a call),
   * so it is gone if that thread dies: the call then fails with UNAVAILABLE,
   * which clients may retry, instead of running once more.
   */
  async run(method: 'rank' | 'call', request: Uint8Array, deadline: CallDeadline, handOver = false): Promise<TaskReply> {
    if (this.closing) throw new RequestError(status.UNAVAILABLE, 'the pool is closing');
    this.inFlight++;
    try {
      return await this.attempt(method, handOver ? request : transferableCopy(request), deadline);
    } catch (e) {
      if (!(e instanceof ThreadDied)) throw e;
      if (handOver) throw new RequestError(status.UNAVAILABLE, `${e.cause.message}; the request went with it (it was handed over without a copy): send it again`, e.cause.api);
      if (Date.now() >= deadline.at) throw e.cause;
      try {
        return await this.attempt(method, transferableCopy(request), deadline, true);
      } catch (again) {
        throw again instanceof ThreadDied ? again.cause : again;
      }
    } finally {
      this.settled();
    }
  }

  /** Sends `bytes`, which the thread is given (transferred), as one task. */
  private async attempt(method: 'rank' | 'call', bytes: Uint8Array, deadline: CallDeadline, alone = false): Promise<TaskReply> {
    const id = (this.nextTaskId = (this.nextTaskId % 0x7fff_ffff) + 1);
    const task: PoolTask = { method, bytes, deadline: deadline.at, id };
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new RequestError(status.DEADLINE_EXCEEDED, `deadline exceeded after ${deadline.allowedMs} ms`));
        // Give a cooperative work time to notice; past that, its thread is terminated and replaced.
        // (A task still queued is skipped at once by the thread: its deadline has passed.)
        setTimeout(() => {
          if (!settled) this.terminateThreadOf(id);
        }, this.options.killAfterMs).unref();
      }, Math.max(0, deadline.at - Date.now()));
    });
    const running = this.calls.run(task, alone);
    running.then(
      () => (settled = true),
      () => (settled = true),
    );
    try {
      const result = await Promise.race([running, expired]);
      if (isTaskFailure(result)) throw new RequestError(result.code, result.message, result.api);
      if (result !== null && typeof result === 'object' && (result as TaskReply).bytes instanceof Uint8Array) return result as TaskReply;
      throw new RequestError(status.INTERNAL, 'the pool thread returned no reply');
    } catch (e) {
      const err = asRequestError(e, this.options);
      throw threadDied(e) ? new ThreadDied(err) : err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Hands tasks to a thread as one piscina task. */
  private async send(tasks: PoolTask[]): Promise<unknown[]> {
    // No AbortSignal: piscina gives a task with a signal a thread to itself,
    // ignoring tasks_per_thread and letting queued tasks starve.
    if (tasks.length === 1) return [await this.pool.run(tasks[0], { transferList: [tasks[0]!.bytes.buffer as ArrayBuffer] })];
    const batch: PoolTask = { method: 'calls', bytes: new Uint8Array(0), tasks, deadline: Math.max(...tasks.map((t) => t.deadline)) };
    return (await this.pool.run(batch, { transferList: tasks.map((t) => t.bytes.buffer as ArrayBuffer) })) as unknown[];
  }

  /** Terminates the thread still running task `id` (a runaway work); piscina replaces it. */
  private terminateThreadOf(id: number): void {
    const threadId = threadOfTask(this.control, id);
    if (threadId === undefined) return;
    void this.pool.threads.find((w) => w.threadId === threadId)?.terminate();
  }

  /** The offline runner's keys answered in one task: their output lines, and failures. */
  async runCallBatch(batch: KeyBatch, deadline: number): Promise<KeyBatchReply> {
    if (this.closing) throw new RequestError(status.UNAVAILABLE, 'the pool is closing');
    const task: PoolTask = { method: 'call-batch', bytes: new Uint8Array(0), batch, deadline };
    this.inFlight++;
    try {
      const result = (await this.pool.run(task)) as KeyBatchReply | TaskFailure;
      if (isTaskFailure(result)) throw new RequestError(result.code, result.message);
      return result;
    } catch (e) {
      throw asRequestError(e, this.options);
    } finally {
      this.settled();
    }
  }

  private settled(): void {
    if (--this.inFlight === 0) this.drained?.();
  }

  /** A new pool whose works are proven loaded (closed again when they fail to load). */
  static async start(options: QueryPoolOptions, publisher: GenerationPublisher): Promise<{ pool: QueryPool; loaded: PingReply }> {
    const pool = new QueryPool(options, publisher);
    try {
      return { pool, loaded: await pool.ping() };
    } catch (e) {
      await pool.close();
      throw new RequestError(status.FAILED_PRECONDITION, (e as Error).message);
    }
  }

  /** Runs a no-op in a thread: proves the works loaded, and what they are. */
  async ping(): Promise<PingReply> {
    const task: PoolTask = { method: 'ping', bytes: new Uint8Array(0), deadline: Date.now() + 60_000 };
    return (await this.pool.run(task)) as PingReply;
  }

  /** Whether calls are in flight. */
  get busy(): boolean {
    return this.inFlight > 0;
  }

  get threads(): number {
    return this.pool.threads.length;
  }

  get queueLength(): number {
    return this.calls.length + this.pool.queueSize;
  }

  get utilization(): number {
    return this.pool.utilization;
  }

  /** Stops taking calls and resolves when the ones taken are answered and the threads have ended. */
  async close(): Promise<void> {
    this.closing = true;
    // Not piscina's close() alone: it can end the threads under tasks still queued or running
    // (it waits until it has counted as many idle moments as threads, not for the queue), and
    // those calls then failed during UpdateWork. Every call taken finishes here first.
    if (this.inFlight > 0) await new Promise<void>((resolve) => (this.drained = resolve));
    await this.pool.close();
  }
}

/**
 * An exact-size copy that can be transferred: gRPC's Buffer may be a slice of
 * a shared slab, and the original stays here for a re-run if the thread dies.
 * allocUnsafeSlow: an ArrayBuffer of its own, not zero-filled first (every
 * byte is written at once).
 */
function transferableCopy(request: Uint8Array): Uint8Array {
  const bytes = Buffer.allocUnsafeSlow(request.byteLength);
  bytes.set(request);
  return bytes;
}

/** A call's thread died under it (the call itself may be innocent). */
class ThreadDied extends Error {
  constructor(override readonly cause: RequestError) {
    super(cause.message);
  }
}

/**
 * Whether the call may run once more on another thread. Out of heap counts
 * too: calls share a thread (tasks_per_thread), so the other calls on it are
 * innocent and run again; the culprit runs out of heap again and then gets
 * RESOURCE_EXHAUSTED.
 */
function threadDied(e: unknown): boolean {
  return !(e instanceof RequestError) && (e as Error)?.name !== 'AbortError' && (e as Error)?.message !== 'Task queue is at limit';
}

function asRequestError(e: unknown, options: QueryPoolOptions): RequestError {
  if (e instanceof RequestError) return e;
  const message = (e as Error)?.message ?? String(e);
  if (message === 'Task queue is at limit') {
    return queueFullError(options.queueSize);
  }
  if ((e as Error)?.name === 'AbortError') return new RequestError(status.DEADLINE_EXCEEDED, 'deadline exceeded; the task was stopped');
  if ((e as { code?: string })?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return new RequestError(status.RESOURCE_EXHAUSTED, `the pool thread ran out of heap ([pool] max_heap_mb = ${options.maxHeapMb}) while running the request; it was replaced`);
  }
  return new RequestError(status.UNAVAILABLE, `the pool thread running the request died (${message}); it was replaced`);
}
