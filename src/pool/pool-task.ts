import type { WorkSpec } from '../config/work-spec.js';
import type { LogLevel } from '../config/rankd-ini.js';
import type { GenerationLink } from './generation-message.js';
import type { KeyBatch } from '../offline/key-batch.js';

/** What the main thread hands a pool thread: request bytes, decoded there (DESIGN rule 1). */
export interface PoolTask {
  method: 'rank' | 'call' | 'ping' | 'call-batch' | 'calls';
  /** Non-zero for tasks that may be killed when they overrun (see threadOfTask). */
  id?: number;
  bytes: Uint8Array;
  /** For 'calls': rank and call tasks run together, answered in order (see CallBatcher). */
  tasks?: PoolTask[];
  /** For 'call-batch': the offline runner's keys, answered as output lines. */
  batch?: KeyBatch;
  /** Epoch milliseconds. */
  deadline: number;
}

/** When a call must be answered: epoch ms, and what that allowed when the call came in (for its message). */
export interface CallDeadline {
  at: number;
  allowedMs: number;
}

/** A task's encoded reply, and the api that produced it (for per-api metrics). */
export interface TaskReply {
  bytes: Uint8Array;
  api: string;
  /** Remote reads this thread finished since its last reply (for metrics). */
  reads?: RemoteRead[];
}

export interface RemoteRead {
  source: string;
  seconds: number;
  failed: boolean;
}

/** A refused or failed task: a gRPC status code and a message for the caller. */
export interface TaskFailure {
  code: number;
  message: string;
  /** The api, when the request got far enough to name one. */
  api?: string;
}

export interface PingReply {
  works: string[];
  algorithms: string[];
  generation: number;
}

export interface PoolThreadData {
  link: GenerationLink;
  works: WorkSpec[];
  runner: TaskRunnerOptions;
  logLevel: LogLevel;
  /** Niceness the thread sets itself to at start. */
  nice: number;
}

export interface TaskRunnerOptions {
  maxCandidates: number;
  /** Requests slower than this are logged with their stage timings (0: never). */
  slowMs: number;
  /** etcd endpoints for peer sources with an etcd:/// target (rankd.ini [discovery] etcd). */
  etcd?: string[];
}

export function isTaskFailure(v: unknown): v is TaskFailure {
  return typeof v === 'object' && v !== null && typeof (v as TaskFailure).code === 'number';
}
