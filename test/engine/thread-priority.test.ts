import { getPriority } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RankdChild, startRankdChild } from '../support/rankd-child.js';
import { faultWork } from '../fault/support/fault-work.js';

/** [pool] nice: pool threads run below the main thread's priority (Linux; see src/pool/thread-priority.ts). */
describe.runIf(process.platform === 'linux')('[pool] nice', () => {
  let rankd: RankdChild;
  beforeAll(async () => {
    rankd = await startRankdChild({
      ini: { pool: { threads: 2, nice: 7 } },
      works: { probe: { module: faultWork('probe') } },
    });
  });
  afterAll(async () => {
    await rankd?.destroy();
  });

  it('runs every pool thread at the configured niceness, and the server process at its own', async () => {
    // Calls held at once land on both threads.
    const replies = (await Promise.all(Array.from({ length: 8 }, () => rankd.rank.call({ api: 'probe', nice: true, hold_ms: 50 })))) as { threadId: number; nice: number }[];
    expect(new Set(replies.map((r) => r.threadId)).size).toBe(2);
    expect(replies.map((r) => r.nice)).toEqual(replies.map(() => 7));
    expect(getPriority(rankd.pid)).toBe(getPriority());
  });
});
