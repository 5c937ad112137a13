/**
 * The piscina entry of a pool thread: decode request bytes, run the work for
 * its api against the bound generation, encode the reply. Failures come back
 * as { code, message } values (an Error's own fields do not survive the
 * thread boundary).
 */
import { randomUUID } from 'node:crypto';
import { workerData } from 'node:worker_threads';
import { status } from '@grpc/grpc-js';
import { Piscina } from 'piscina';
import { decodeCallRequest, encodeCallResponse } from '../rpc/call-codec.js';
import { RequestError } from '../rpc/request-error.js';
import { decodeRankRequest } from '../rpc/rank-request.js';
import { encodeRankResponse } from '../rpc/rank-response.js';
import type { BoundTables } from './bound-tables.js';
import type { PingReply, PoolTask, PoolThreadData, TaskFailure } from './pool-task.js';
import { ThreadBinding } from './thread-binding.js';
import { threadLog } from './thread-log.js';
import type { LoadedWork } from './work-registry.js';
import { loadWorks } from './work-registry.js';
import type { WorkContext } from './work.js';

const data = workerData as PoolThreadData;
const binding = new ThreadBinding(data.link);

// A work that fails to import must not crash-loop the thread: keep the reason and report it per task.
let works = new Map<string, LoadedWork>();
let loadFailure: string | undefined;
try {
  works = await loadWorks(data.works);
} catch (e) {
  loadFailure = (e as Error).message;
}
await binding.ready();

export default async function runTask(task: PoolTask): Promise<Uint8Array | TaskFailure | PingReply> {
  if (task.method === 'ping') return ping();
  if (loadFailure !== undefined) return { code: status.INTERNAL, message: `works failed to load: ${loadFailure}` };
  if (Date.now() >= task.deadline) return { code: status.DEADLINE_EXCEEDED, message: 'deadline passed before the request started' };
  const tables = binding.enter();
  try {
    const reply = task.method === 'rank' ? await rank(task, tables) : await call(task, tables);
    return Piscina.move(reply) as unknown as Uint8Array;
  } catch (e) {
    return failure(e);
  } finally {
    binding.leave(tables);
  }
}

async function rank(task: PoolTask, tables: BoundTables): Promise<Uint8Array> {
  const batch = decodeRankRequest(task.bytes, { maxCandidates: data.maxCandidates });
  const api = batch.api || 'rank';
  const entry = workFor(api);
  if (entry.work.rank === undefined) throw new RequestError(status.UNIMPLEMENTED, `api "${api}" takes Call, not Rank`);
  const ctx = context(entry, api, batch.requestId, task.deadline, tables);
  const outcome = await entry.work.rank(batch, ctx);
  ctx.mark('rank');
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

async function call(task: PoolTask, tables: BoundTables): Promise<Uint8Array> {
  const json = decodeCallRequest(task.bytes);
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
  const entry = workFor(fields.api);
  if (entry.work.call === undefined) throw new RequestError(status.UNIMPLEMENTED, `api "${fields.api}" takes Rank, not Call`);
  const requestId = typeof fields.request_id === 'string' ? fields.request_id : '';
  const result = await entry.work.call(fields, context(entry, fields.api, requestId, task.deadline, tables));
  return encodeCallResponse(JSON.stringify(result ?? null));
}

function workFor(api: string): LoadedWork {
  const entry = works.get(api);
  if (entry === undefined) throw new RequestError(status.NOT_FOUND, `unknown api "${api}" (known: ${[...works.keys()].join(', ')})`);
  return entry;
}

type TimedContext = WorkContext & { timings: { stage: string; ms: number }[] };

function context(entry: LoadedWork, api: string, requestId: string, deadline: number, tables: BoundTables): TimedContext {
  const id = requestId || randomUUID();
  const timings: { stage: string; ms: number }[] = [];
  let last = performance.now();
  return {
    api,
    requestId: id,
    deadline,
    global: tables,
    algorithms: entry.algorithms,
    params: entry.spec.params,
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

function ping(): PingReply {
  if (loadFailure !== undefined) throw new Error(loadFailure);
  const algorithms = new Set<string>();
  for (const w of works.values()) for (const a of w.spec.algorithms?.algorithms ?? []) algorithms.add(a.name);
  const tables = binding.enter();
  binding.leave(tables);
  return { works: [...works.keys()], algorithms: [...algorithms], generation: tables.generation };
}

function failure(e: unknown): TaskFailure {
  if (e instanceof RequestError) return { code: e.code, message: e.message };
  const err = e as Error;
  return { code: status.INTERNAL, message: err?.message ?? String(e) };
}
