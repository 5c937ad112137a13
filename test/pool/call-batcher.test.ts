import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { CallBatcher } from '../../src/pool/call-batcher.js';
import type { PoolTask } from '../../src/pool/pool-task.js';
import { RequestError } from '../../src/rpc/request-error.js';

/** A pool stand-in that the test answers by hand: each send waits until `answer` or `fail`. */
function manualPool() {
  const sent: { tasks: PoolTask[]; answer: () => void; fail: (e: Error) => void }[] = [];
  const send = (tasks: PoolTask[]) =>
    new Promise<unknown[]>((resolve, reject) => {
      sent.push({ tasks, answer: () => resolve(tasks.map((t) => `reply to ${t.id}`)), fail: reject });
    });
  return { sent, send };
}

const task = (id: number): PoolTask => ({ method: 'call', id, bytes: new Uint8Array(1), deadline: Date.now() + 60_000 });
const ids = (tasks: PoolTask[]) => tasks.map((t) => t.id);

describe('CallBatcher', () => {
  it('sends a lone call alone, then what queued meanwhile together, up to batchMax; each caller gets its own reply', async () => {
    const pool = manualPool();
    const batcher = new CallBatcher(1, 4, 100, pool.send);
    const replies = [1, 2, 3, 4, 5, 6, 7].map((id) => batcher.run(task(id)));
    expect(pool.sent.map((s) => ids(s.tasks))).toEqual([[1]]);
    expect(batcher.length).toBe(6);
    pool.sent[0]!.answer();
    await expect(replies[0]).resolves.toBe('reply to 1');
    expect(pool.sent.map((s) => ids(s.tasks))).toEqual([[1], [2, 3, 4, 5]]);
    pool.sent[1]!.answer();
    await Promise.all(replies.slice(1, 5));
    expect(pool.sent.map((s) => ids(s.tasks))).toEqual([[1], [2, 3, 4, 5], [6, 7]]);
    pool.sent[2]!.answer();
    expect(await Promise.all(replies)).toEqual([1, 2, 3, 4, 5, 6, 7].map((id) => `reply to ${id}`));
    expect(batcher.length).toBe(0);
  });

  it('sends a call run `alone` in a task of its own, and batches around it', async () => {
    const pool = manualPool();
    const batcher = new CallBatcher(1, 8, 100, pool.send);
    const calls = [batcher.run(task(1)), batcher.run(task(2)), batcher.run(task(3)), batcher.run(task(4), true), batcher.run(task(5)), batcher.run(task(6))];
    for (let i = 0; i < 4; i++) {
      pool.sent[i]!.answer();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(pool.sent.map((s) => ids(s.tasks))).toEqual([[1], [2, 3], [4], [5, 6]]);
    expect(await Promise.all(calls)).toHaveLength(6);
  });

  it('refuses a call with RESOURCE_EXHAUSTED when every slot is out and queueSize calls wait', async () => {
    const pool = manualPool();
    const batcher = new CallBatcher(1, 8, 2, pool.send);
    const taken = [1, 2, 3].map((id) => batcher.run(task(id)));
    const refused = batcher.run(task(4));
    await expect(refused).rejects.toBeInstanceOf(RequestError);
    await expect(refused).rejects.toMatchObject({ code: status.RESOURCE_EXHAUSTED, message: expect.stringMatching(/queue is full \(2 waiting\)/) });
    pool.sent[0]!.answer();
    await taken[0];
    pool.sent[1]!.answer();
    expect(await Promise.all(taken)).toEqual(['reply to 1', 'reply to 2', 'reply to 3']);
  });

  it('rejects every call of a failed batch with its error, and goes on with the next', async () => {
    const pool = manualPool();
    const batcher = new CallBatcher(1, 2, 100, pool.send);
    const lone = batcher.run(task(1));
    const batch = [2, 3].map((id) => batcher.run(task(id)));
    const later = batcher.run(task(4));
    pool.sent[0]!.answer();
    await lone;
    pool.sent[1]!.fail(new Error('thread died'));
    for (const call of batch) await expect(call).rejects.toThrow('thread died');
    expect(ids(pool.sent[2]!.tasks)).toEqual([4]);
    pool.sent[2]!.answer();
    await expect(later).resolves.toBe('reply to 4');
  });
});
