import { readFileSync } from 'node:fs';
import path from 'node:path';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RankdChild, startRankdChild } from '../support/rankd-child.js';
import { waitUntil } from '../support/wait-until.js';
import { answers, failureLines, loadOnOtherApis, probeThreads } from './support/api-load.js';
import { failedCall } from './support/failed-call.js';
import { faultWork } from './support/fault-work.js';

const MAX_HEAP_MB = 64;

let rankd: RankdChild;

beforeAll(async () => {
  rankd = await startRankdChild({
    ini: { pool: { threads: 2, max_heap_mb: MAX_HEAP_MB } },
    works: { hog: { module: faultWork('hog') }, probe: { module: faultWork('probe') } },
  });
});

afterAll(async () => {
  await rankd?.destroy();
});

describe('a work that exhausts its heap', () => {
  it('fails with RESOURCE_EXHAUSTED naming max_heap_mb (run at most twice), its thread is replaced, and the server keeps serving', async () => {
    const pid = rankd.pid;
    const load = loadOnOtherApis(rankd);
    try {
      await answers(load, 30);
      const before = probeThreads(load.replies);

      const mark = path.join(rankd.configDir, 'hog-runs');
      for (let i = 1; i <= 2; i++) {
        const hog = await failedCall(() => rankd.rank.call({ api: 'hog', mark }, 60_000));
        expect(hog.error.code).toBe(status.RESOURCE_EXHAUSTED);
        expect(hog.error.details).toMatch(`ran out of heap ([pool] max_heap_mb = ${MAX_HEAP_MB})`);
        // Calls share threads, so a call whose thread died runs once more: the hog at most twice per call.
        const runs = readFileSync(mark, 'utf8').trim().split('\n').length;
        expect(runs, 'threads the hog ran on').toBeGreaterThanOrEqual(i);
        expect(runs, 'threads the hog ran on').toBeLessThanOrEqual(2 * i);
      }

      // The pool stays at 2 threads, so a thread id never seen before is a replacement.
      await waitUntil('a replacement thread answers', () => [...probeThreads(load.replies)].some((id) => !before.has(id)), { timeoutMs: 30_000 });
      await answers(load, load.replies.length + 30);
      expect((await rankd.control.status()).threads).toBe(2);
    } finally {
      await load.stop();
    }
    // A call that shared a thread with the hog runs once more; if the hog's own second run takes
    // that thread down again, it fails, with a status that says so. Nothing else fails.
    for (const line of failureLines(load)) expect(line).toMatch(/: (8 RESOURCE_EXHAUSTED: the pool thread ran out of heap|14 UNAVAILABLE: the pool thread running the request died)/);
    expect(rankd.running).toBe(true);
    expect(rankd.pid).toBe(pid);
  });
});
