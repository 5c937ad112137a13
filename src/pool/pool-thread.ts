/** The piscina entry of a pool thread: binds the current generation and runs tasks with a TaskRunner. */
import { workerData } from 'node:worker_threads';
import { status } from '@grpc/grpc-js';
import { answerKeyBatch, type KeyBatchReply } from '../offline/key-batch.js';
import type { PingReply, PoolTask, PoolThreadData, TaskFailure, TaskReply } from './pool-task.js';
import { TaskRunner } from './task-runner.js';
import { ThreadBinding } from './thread-binding.js';
import { configureThreadLog, threadLog } from './thread-log.js';
import { lowerThreadPriority } from './thread-priority.js';
import { loadWorks } from './work-registry.js';

const data = workerData as PoolThreadData;
configureThreadLog(data.logLevel);
const niceFailure = lowerThreadPriority(data.nice);
if (niceFailure !== undefined) threadLog({}).warn(`pool thread could not lower its priority to nice ${data.nice}: ${niceFailure}`);
const binding = new ThreadBinding(data.link);

// A work that fails to import must not crash-loop the thread: keep the reason and report it per task.
let runner: TaskRunner | undefined;
let loadFailure = '';
let loaded: Omit<PingReply, 'generation'> = { works: [], algorithms: [] };
try {
  const works = await loadWorks(data.works);
  runner = new TaskRunner(works, binding, data.runner);
  loaded = {
    works: [...works.keys()],
    algorithms: [...new Set([...works.values()].flatMap((w) => w.spec.algorithms?.algorithms.map((a) => a.name) ?? []))],
  };
} catch (e) {
  loadFailure = (e as Error).message;
}
await binding.ready();

export default async function runTask(task: PoolTask): Promise<TaskReply | TaskFailure | PingReply | KeyBatchReply | unknown[]> {
  // Together, so that calls awaiting remote reads interleave as tasks_per_thread tasks do.
  if (task.method === 'calls') return Promise.all(task.tasks!.map(runTask));
  if (runner === undefined) {
    if (task.method === 'ping') throw new Error(loadFailure);
    return { code: status.INTERNAL, message: `works failed to load: ${loadFailure}` };
  }
  if (task.id !== undefined) binding.started(task.id);
  if (task.method === 'ping') {
    const tables = binding.enter();
    binding.leave(tables);
    return { ...loaded, generation: tables.generation };
  }
  if (task.method === 'call-batch') return answerKeyBatch(runner, task.batch!, task.deadline);
  return runner.run(task);
}
