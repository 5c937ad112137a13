import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RankdChild, startRankdChild } from '../support/rankd-child.js';
import { waitUntil } from '../support/wait-until.js';
import { CallLoop } from './support/call-loop.js';
import { faultWork } from './support/fault-work.js';

/** An item of the shipped item_category map, and the category this test gives it. */
const ITEM = '1962998288814449';
const NEW_CATEGORY = 4242;

interface ProbeReply {
  threadId: number;
  generation: number;
  value: number | null;
}

let rankd: RankdChild;

beforeAll(async () => {
  rankd = await startRankdChild({
    // One task per thread, so the second test knows a call was on the dying thread;
    // one call per task, so the crash work's reply leaves before its thread ends
    // (a batch's replies leave together: call-batching.test.ts).
    ini: { pool: { threads: 2, tasks_per_thread: 1, batch_max: 1 } },
    works: { crash: { module: faultWork('crash') }, probe: { module: faultWork('probe') } },
  });
});

afterAll(async () => {
  await rankd?.destroy();
});

const probe = (body: Record<string, unknown> = {}) =>
  rankd.rank.call({ api: 'probe', table: 'item_category', key: ITEM, hold_ms: 20, ...body }) as Promise<ProbeReply>;

/** Ends the thread that runs this call, `afterMs` after it answered; resolves with that thread's id. */
const crashThread = async (afterMs: number) => ((await rankd.rank.call({ api: 'crash', after_ms: afterMs })) as { threadId: number }).threadId;

/** Gives ITEM a new category in the map file and swaps it in; resolves with the new generation. */
async function recategorize(): Promise<number> {
  const file = path.join(rankd.configDir, 'data', 'item_category.txt');
  writeFileSync(file, readFileSync(file, 'utf8').replace(new RegExp(`^${ITEM}\\t\\d+$`, 'm'), `${ITEM}\t${NEW_CATEGORY}`));
  const reply = await rankd.control.updateGlobal(['item_category']);
  expect(reply.new_generation).toBe(reply.old_generation + 1);
  return reply.new_generation;
}

describe('a pool thread that dies', () => {
  it('under load: no call fails, and replacement threads serve the generation and data of the last UpdateGlobal', async () => {
    const pid = rankd.pid;
    const load = new CallLoop<ProbeReply>(4, () => probe()).start();
    try {
      await waitUntil('answers', () => load.replies.length >= 20);
      const generation = await recategorize();
      const initial = new Set(load.replies.map((r) => r.threadId));
      const seen = new Set(initial);
      // Two deaths, one after the other, while every thread is busy: each kills whatever call its thread runs then.
      for (let death = 1; death <= 2; death++) {
        const victim = await crashThread(5);
        await waitUntil(`thread ${victim} replaced`, () => load.replies.some((r) => !seen.has(r.threadId)), { timeoutMs: 30_000 });
        for (const r of load.replies) seen.add(r.threadId);
      }
      const answered = load.replies.length;
      await waitUntil('more answers', () => load.replies.length >= answered + 40);
      // These calls began after UpdateGlobal returned, many on threads that started after it.
      const late = load.replies.slice(answered);
      expect(late.some((r) => !initial.has(r.threadId)), 'replacement threads answer').toBe(true);
      for (const r of late) expect(r).toMatchObject({ generation, value: NEW_CATEGORY });
    } finally {
      await load.stop();
    }
    expect(load.failures.map((f) => f.error.message)).toEqual([]);
    expect(rankd.running).toBe(true);
    expect(rankd.pid).toBe(pid);
  });

  it('a call in flight on the dying thread runs again on a live one and succeeds', async () => {
    const generation = (await rankd.control.status()).generation;
    const mark = path.join(rankd.configDir, 'probe-runs');
    // The pool is idle: the crash call returns, then two long calls take the two threads, one of them the doomed one.
    const victim = await crashThread(1000);
    const replies = await Promise.all([probe({ hold_ms: 3000, mark }), probe({ hold_ms: 3000, mark })]);
    const runs = readFileSync(mark, 'utf8').trim().split('\n').map(Number);
    expect(runs, 'threads the two calls ran on').toHaveLength(3);
    expect(runs).toContain(victim);
    for (const r of replies) expect(r).toMatchObject({ generation, value: NEW_CATEGORY });
    expect(replies.map((r) => r.threadId)).not.toContain(victim);
  });

  it('a request of 4 KiB or more goes to its thread without a copy: on the dying thread it fails with UNAVAILABLE, to be sent again', async () => {
    const generation = (await rankd.control.status()).generation;
    const mark = path.join(rankd.configDir, 'probe-runs-large');
    const pad = 'x'.repeat(8 << 10);
    const victim = await crashThread(1000);
    const outcomes = await Promise.all(
      [0, 1].map(() => probe({ hold_ms: 3000, mark, pad }).then((r) => r, (e: { code: number; details: string }) => e)),
    );
    const runs = readFileSync(mark, 'utf8').trim().split('\n').map(Number);
    expect(runs, 'each call ran once: the one on the dying thread did not run again').toHaveLength(2);
    expect(runs).toContain(victim);
    const failed = outcomes.filter((o) => 'code' in o);
    expect(failed).toEqual([
      expect.objectContaining({ code: status.UNAVAILABLE, details: expect.stringMatching(/the pool thread running the request died .*the request went with it .*send it again/) }),
    ]);
    expect(outcomes.filter((o) => !('code' in o))).toEqual([expect.objectContaining({ generation, value: NEW_CATEGORY })]);
    await expect(probe({ pad })).resolves.toMatchObject({ generation, value: NEW_CATEGORY });
  });
});
