import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RankdChild, startRankdChild } from '../support/rankd-child.js';
import { faultWork } from '../fault/support/fault-work.js';

/**
 * Calls that queue up for a thread go to it in batches (src/pool/call-batcher.ts,
 * unit-tested in test/pool). Here, over gRPC and real threads: each batched
 * call gets its own reply, and the wait is bounded.
 */
let rankd: RankdChild;

beforeAll(async () => {
  rankd = await startRankdChild({
    // One slot, so calls queue behind a held one; at most 3 may wait.
    ini: { pool: { threads: 1, tasks_per_thread: 1, batch_max: 4, queue_size: 3 } },
    works: { probe: { module: faultWork('probe') }, crash: { module: faultWork('crash') } },
  });
});

afterAll(async () => {
  await rankd?.destroy();
});

describe('calls handed over in batches', () => {
  it('each caller gets the reply to its own request', async () => {
    for (let round = 0; round < 5; round++) {
      const held = rankd.rank.call({ api: 'probe', hold_ms: 200 });
      const echoes = await Promise.all([0, 1].map((i) => rankd.rank.call({ api: 'example', round, i, text: `call ${round}.${i}` })));
      expect(echoes).toEqual([0, 1].map((i) => ({ api: 'example', round, i, text: `call ${round}.${i}` })));
      await held;
    }
  });

  it('with every slot out and queue_size calls waiting, the next call fails at once with RESOURCE_EXHAUSTED; the rest are answered', async () => {
    const calls = [0, 1, 2, 3, 4].map(() => rankd.rank.call({ api: 'probe', hold_ms: 500 }).then(() => 'ok', (e: { code: number; details: string }) => e));
    const outcomes = await Promise.all(calls);
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(4);
    expect(outcomes.filter((o) => o !== 'ok')).toEqual([expect.objectContaining({ code: status.RESOURCE_EXHAUSTED, details: 'server busy: the request queue is full (3 waiting)' })]);
    await expect(rankd.rank.call({ api: 'example', after: 'busy' })).resolves.toEqual({ api: 'example', after: 'busy' });
  });

  it('calls batched with one that ends its thread run again, each in a task of its own: they are answered, the culprit fails', async () => {
    const probe = () => rankd.rank.call({ api: 'probe' }) as Promise<{ threadId: number }>;
    const held = rankd.rank.call({ api: 'probe', hold_ms: 300 }) as Promise<{ threadId: number }>;
    // The culprit between two innocents: run again in arrival order, the second would share its batch again.
    const before = probe();
    const culprit = rankd.rank.call({ api: 'crash', now: true }).then(
      () => 'answered',
      (e: { code: number; details: string }) => e,
    );
    const after = probe();
    const first = (await held).threadId;
    const replies = await Promise.all([before, after]);
    for (const r of replies) expect(r.threadId).not.toBe(first);
    expect(await culprit).toMatchObject({ code: status.UNAVAILABLE, details: expect.stringMatching(/the pool thread running the request died/) });
    await expect(rankd.rank.call({ api: 'example', after: 'crash' })).resolves.toEqual({ api: 'example', after: 'crash' });
  });
});
