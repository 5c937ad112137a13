import { readFileSync } from 'node:fs';
import path from 'node:path';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RankdChild, startRankdChild } from '../support/rankd-child.js';
import { waitUntil } from '../support/wait-until.js';
import { answers, failureLines, loadOnOtherApis, probeThreads } from './support/api-load.js';
import { failedCall } from './support/failed-call.js';
import { faultWork } from './support/fault-work.js';

const DEADLINE_MS = 500;
const KILL_AFTER_MS = 300;

let rankd: RankdChild;

beforeAll(async () => {
  rankd = await startRankdChild({
    // Calls without a deadline of their own get [server] deadline_ms, so DEADLINE_EXCEEDED can only come from the server.
    ini: { server: { deadline_ms: DEADLINE_MS }, pool: { threads: 2, kill_after_ms: KILL_AFTER_MS } },
    works: { spin: { module: faultWork('spin') }, probe: { module: faultWork('probe') } },
  });
});

afterAll(async () => {
  await rankd?.destroy();
});

describe('a work that loops forever', () => {
  it('fails with DEADLINE_EXCEEDED, its thread is terminated and replaced, and calls to other apis all succeed', async () => {
    const pid = rankd.pid;
    const load = loadOnOtherApis(rankd);
    try {
      await answers(load, 30);
      const before = probeThreads(load.replies);

      const mark = path.join(rankd.configDir, 'spin-thread');
      const spin = await failedCall(() => rankd.rank.call({ api: 'spin', mark }, Number.POSITIVE_INFINITY));
      const spinEnded = Date.now();
      expect(spin.error.code).toBe(status.DEADLINE_EXCEEDED);
      expect(spin.error.details).toMatch(`deadline exceeded after ${DEADLINE_MS} ms`);
      expect(spin.ms).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
      expect(spin.ms).toBeLessThan(DEADLINE_MS + 3000);
      const spun = Number(readFileSync(mark, 'utf8'));

      // The pool stays at 2 threads, so a thread id never seen before means the spinning one was removed.
      await waitUntil('a replacement thread answers', () => [...probeThreads(load.replies)].some((id) => !before.has(id)), { timeoutMs: 30_000 });
      await answers(load, load.replies.length + 30);
      expect(probeThreads(load.replies.filter((r) => r.at > spinEnded)).has(spun)).toBe(false);
      expect((await rankd.control.status()).threads).toBe(2);
    } finally {
      await load.stop();
    }
    expect(failureLines(load)).toEqual([]);
    expect(rankd.running).toBe(true);
    expect(rankd.pid).toBe(pid);
  });
});
