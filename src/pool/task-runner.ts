/**
 * What a pool thread does with one request: decode the bytes, run the work
 * for its api against a generation of tables, encode the reply. Failures come
 * back as { code, message } values (an Error's own fields do not survive the
 * thread boundary). Free of piscina, so benchmarks and the offline runner can
 * run the very same path in one thread.
 */
import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { decodeCallRequest, encodeCallResponse } from '../rpc/call-codec.js';
import { isRequestError, RequestError } from '../rpc/request-error.js';
import { decodeRankRequest } from '../rpc/rank-request.js';
import { encodeRankResponse } from '../rpc/rank-response.js';
import type { BoundTables } from './bound-tables.js';
import type { RemoteAccess } from '../remote/remote-access.js';
import { RemoteSources } from '../remote/remote-sources.js';
import type { PoolTask, RemoteRead, TaskFailure, TaskReply, TaskRunnerOptions } from './pool-task.js';
import { threadLog } from './thread-log.js';
import type { LoadedWork } from './work-registry.js';
import type { WorkContext } from './work.js';

/** Where a task gets its tables: the thread's binding, or fixed tables. */
export interface TableSource {
  enter(): BoundTables;
  leave(tables: BoundTables): void;
}

export class TaskRunner {
  /** This thread's clients of the remote sources, kept in step with the bound generation. */
  private readonly remote: RemoteSources;
  private remoteVersion = 0;
  private reads: RemoteRead[] = [];

  constructor(
    private readonly works: ReadonlyMap<string, LoadedWork>,
    private readonly tables: TableSource,
    private readonly options: TaskRunnerOptions,
  ) {
    this.remote = new RemoteSources([], {
      etcd: options.etcd,
      onOptionalFailure: (e) => threadLog({}).warn('optional remote source failed; the read gives misses', { error: e.message }),
      onRead: (r) => this.reads.push({ source: r.source, seconds: r.seconds, failed: r.error !== undefined }),
    });
  }

  async run(task: PoolTask): Promise<TaskReply | TaskFailure> {
    if (Date.now() >= task.deadline) return { code: status.DEADLINE_EXCEEDED, message: 'deadline passed before the request started' };
    const tables = this.enter();
    const trace: Trace = { api: '', ctx: undefined, start: performance.now() };
    try {
      const bytes = task.method === 'rank' ? await this.rank(task, tables, trace) : await this.call(task, tables, trace);
      this.logIfSlow(trace);
      return { bytes, api: trace.api, reads: this.takeReads() };
    } catch (e) {
      const f = { ...failure(e), api: trace.api };
      if (f.code === status.INTERNAL) threadLog({ api: trace.api, request_id: trace.ctx?.requestId }).error('work failed', { error: f.message });
      return f;
    } finally {
      this.tables.leave(tables);
    }
  }

  /** Binds the current generation, first bringing the remote clients in step with it (UpdateDb). */
  private enter(): BoundTables {
    const tables = this.tables.enter();
    if (tables.remote.version !== this.remoteVersion) {
      this.remoteVersion = tables.remote.version;
      try {
        const u = this.remote.update(tables.remote.specs);
        u.closed.catch((e: Error) => threadLog({}).warn('closing replaced remote clients failed', { error: e.message }));
      } catch (e) {
        threadLog({}).error('remote sources could not be rebuilt; the previous clients stay', { error: (e as Error).message });
      }
    }
    return tables;
  }

  private takeReads(): RemoteRead[] | undefined {
    if (this.reads.length === 0) return undefined;
    const r = this.reads;
    this.reads = [];
    return r;
  }

  /** Closes the remote clients after their reads (the thread is ending). */
  close(): Promise<void> {
    return this.remote.close();
  }

  private logIfSlow(trace: Trace): void {
    const ms = performance.now() - trace.start;
    if (this.options.slowMs > 0 && ms >= this.options.slowMs && trace.ctx !== undefined) {
      trace.ctx.log.warn('slow request', { ms: Math.round(ms * 10) / 10, stages: trace.ctx.timings });
    }
  }

  private async rank(task: PoolTask, tables: BoundTables, trace: Trace): Promise<Uint8Array> {
    const batch = decodeRankRequest(task.bytes, { maxCandidates: this.options.maxCandidates });
    const api = (trace.api = batch.api || 'rank');
    const entry = this.workFor(api);
    if (entry.work.rank === undefined) throw new RequestError(status.UNIMPLEMENTED, `api "${api}" takes Call, not Rank`);
    const ctx = (trace.ctx = context(entry, api, batch.requestId, task.deadline, tables, this.remote));
    ctx.mark('decode');
    const outcome = await entry.work.rank(batch, ctx);
    return encodeRankResponse({
      itemIds: batch.itemIds,
      scores: outcome.scores,
      order: outcome.order,
      plan: outcome.plan.code,
      generation: tables.generation,
      requestId: ctx.requestId,
      algorithms: [...outcome.plan.names],
      timings: batch.wantTimings ? ctx.timings : undefined,
      algorithmScores: batch.explain ? outcome.algorithmScores : undefined,
    });
  }

  private async call(task: PoolTask, tables: BoundTables, trace: Trace): Promise<Uint8Array> {
    return encodeCallResponse(await this.callJson(decodeCallRequest(task.bytes), task.deadline, tables, trace));
  }

  /**
   * Many Call bodies in one task (the offline runner): one dispatch for the
   * lot, so per-task costs are paid once per batch, not once per key.
   */
  async runCallBatch(bodies: readonly string[], deadline: number): Promise<(string | TaskFailure)[]> {
    const tables = this.enter();
    try {
      const out: (string | TaskFailure)[] = [];
      for (const body of bodies) {
        if (Date.now() >= deadline) out.push({ code: status.DEADLINE_EXCEEDED, message: 'deadline passed before the request started' });
        else out.push(await this.callJson(body, deadline, tables, { api: '', ctx: undefined, start: 0 }).catch(failure));
      }
      return out;
    } finally {
      this.tables.leave(tables);
    }
  }

  private async callJson(json: string, deadline: number, tables: BoundTables, trace: Trace): Promise<string> {
    let body: unknown;
    try {
      body = JSON.parse(json);
    } catch (e) {
      throw new RequestError(status.INVALID_ARGUMENT, `invalid JSON: ${(e as Error).message}`);
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new RequestError(status.INVALID_ARGUMENT, 'the request must be a JSON object with an "api" field');
    }
    const fields = body as Record<string, unknown>;
    if (typeof fields.api !== 'string' || fields.api === '') {
      throw new RequestError(status.INVALID_ARGUMENT, 'missing required field "api" (a non-empty string)');
    }
    trace.api = fields.api;
    const entry = this.workFor(fields.api);
    if (entry.work.call === undefined) throw new RequestError(status.UNIMPLEMENTED, `api "${fields.api}" takes Rank, not Call`);
    const requestId = typeof fields.request_id === 'string' ? fields.request_id : '';
    trace.ctx = context(entry, fields.api, requestId, deadline, tables, this.remote);
    const result = await entry.work.call(fields, trace.ctx);
    return JSON.stringify(result ?? null);
  }

  private workFor(api: string): LoadedWork {
    const entry = this.works.get(api);
    if (entry === undefined) throw new RequestError(status.NOT_FOUND, `unknown api "${api}" (known: ${[...this.works.keys()].join(', ')})`);
    return entry;
  }
}

type TimedContext = WorkContext & { timings: { stage: string; ms: number }[] };

/** What a request has revealed so far, for its logs and metrics. */
interface Trace {
  api: string;
  ctx: TimedContext | undefined;
  start: number;
}

function context(entry: LoadedWork, api: string, requestId: string, deadline: number, tables: BoundTables, remote: RemoteSources): TimedContext {
  const id = requestId || randomUUID();
  const timings: { stage: string; ms: number }[] = [];
  let last = performance.now();
  let access: RemoteAccess | undefined;
  return {
    api,
    requestId: id,
    deadline,
    global: tables,
    algorithms: entry.algorithms,
    params: entry.spec.params,
    get remote() {
      return (access ??= remote.forRequest(deadline));
    },
    log: threadLog({ api, request_id: id }),
    timings,
    plan(userId) {
      if (entry.plans === undefined) throw new Error(`work "${api}" has no algorithm config, so it has no plans`);
      return entry.plans.planFor(userId, tables);
    },
    mark(stage) {
      const now = performance.now();
      timings.push({ stage, ms: now - last });
      last = now;
    },
  };
}

function failure(e: unknown): TaskFailure {
  if (isRequestError(e)) return { code: e.code, message: e.message };
  const err = e as Error;
  return { code: status.INTERNAL, message: err?.message ?? String(e) };
}
