import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RankdChild, startRankdChild } from '../support/rankd-child.js';
import { waitUntil } from '../support/wait-until.js';
import { CallLoop } from './support/call-loop.js';
import { faultWork } from './support/fault-work.js';

let rankd: RankdChild;

beforeAll(async () => {
  rankd = await startRankdChild({ ini: { pool: { threads: 2 } }, works: { probe: { module: faultWork('probe') } } });
});

afterAll(async () => {
  await rankd?.destroy();
});

describe('UpdateWork while calls run and wait in the old pool', () => {
  it('every one of them finishes there: none fails', async () => {
    // More callers than threads: at every switch some calls run and others wait in the old pool's queue.
    const load = new CallLoop(6, () => rankd.rank.call({ api: 'probe', hold_ms: 30 }, 20_000)).start();
    try {
      for (let round = 0; round < 4; round++) {
        const reply = await rankd.control.updateWork();
        expect(reply.new_generation).toBe(reply.old_generation + 1);
        const answered = load.replies.length;
        await waitUntil('answers from the new pool', () => load.replies.length >= answered + 20);
      }
    } finally {
      await load.stop();
    }
    expect(load.failures.map((f) => f.error.message)).toEqual([]);
  });
});
