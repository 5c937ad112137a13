import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { status } from '@grpc/grpc-js';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbConfigIni } from '../support/db-config-ini.js';
import { type DelayProxy, startDelayProxy } from '../support/delay-proxy.js';
import { type RankdChild, startRankdChild } from '../support/rankd-child.js';
import { type RedisProcess, startRedis } from '../support/redis.js';
import { waitUntil } from '../support/wait-until.js';
import { answers, failureLines, loadOnOtherApis } from './support/api-load.js';
import { failedCall } from './support/failed-call.js';
import { faultWork } from './support/fault-work.js';
import { readCall, readReport } from './support/remote-read.js';

const TIMEOUT_MS = 100;
/** How late a failed read may end, past timeout_ms (issue #4). */
const SLACK_MS = 50;

let redis: RedisProcess;
let proxy: DelayProxy;
let rankd: RankdChild;

async function storeFeature(): Promise<void> {
  const client = new Redis({ host: '127.0.0.1', port: redis.port, maxRetriesPerRequest: 1 });
  try {
    await client.set('feat:1', 'one');
  } finally {
    client.disconnect();
  }
}

beforeAll(async () => {
  redis = await startRedis();
  await storeFeature();
  proxy = await startDelayProxy({ port: redis.port });
  const source = (port: number, required: boolean) => ({ type: 'redis', servers: `127.0.0.1:${port}`, key_prefix: 'feat:', timeout_ms: TIMEOUT_MS, required });
  rankd = await startRankdChild({
    works: { remote_read: { module: faultWork('remote-read') }, probe: { module: faultWork('probe') } },
    prepare: (dir) =>
      writeFileSync(
        path.join(dir, 'db_config.ini'),
        // feats reads Redis directly; slow and maybe go through the delay proxy.
        dbConfigIni({ feats: source(redis.port, true), slow: source(proxy.port, true), maybe: source(proxy.port, false) }),
      ),
  });
  // Every pool thread's clients are connected before the faults begin.
  await waitUntil('reads through both paths', async () => {
    const [direct, proxied] = await Promise.all([readReport(rankd, 'feats', [1]), readReport(rankd, 'slow', [1])]);
    return direct.values?.[0] === 'one' && proxied.values?.[0] === 'one';
  });
});

afterAll(async () => {
  await rankd?.destroy();
  await proxy?.close();
  await redis?.destroy();
});

describe('Redis slow (behind a delay proxy)', () => {
  it('a read slower than timeout_ms fails within timeout_ms + 50 ms naming source and server; the server keeps serving', async () => {
    const load = loadOnOtherApis(rankd);
    try {
      // Slow but within timeout_ms: the proxy delays, and reads still succeed (a busy machine may stall one).
      proxy.delayMs = 30;
      await waitUntil('a delayed read that succeeds', async () => {
        const r = await readReport(rankd, 'slow', [1]);
        return r.values?.[0] === 'one' && r.ms >= 30;
      });

      proxy.delayMs = 3 * TIMEOUT_MS;
      for (let i = 0; i < 5; i++) {
        const r = await readReport(rankd, 'slow', [1, 2]);
        expect(r.error).toBe(`remote source "slow" (redis 127.0.0.1:${proxy.port}): timed out after ${TIMEOUT_MS} ms (timeout_ms)`);
        expect(r.code).toBe(status.DEADLINE_EXCEEDED);
        expect(r.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 2);
        expect(r.ms).toBeLessThanOrEqual(TIMEOUT_MS + SLACK_MS);
      }
      const call = await failedCall(() => readCall(rankd, 'slow', [1]));
      expect(call.error.code).toBe(status.DEADLINE_EXCEEDED);
      expect(call.error.details).toContain(`remote source "slow" (redis 127.0.0.1:${proxy.port}): timed out`);
      // An optional source behind the same slow server reads as misses, and the call succeeds.
      const optional = await readCall(rankd, 'maybe', [1, 2]);
      expect(optional.values).toEqual([null, null]);
      expect(optional.ms).toBeLessThanOrEqual(TIMEOUT_MS + SLACK_MS);
      // The direct path to the same Redis is unaffected.
      expect((await readCall(rankd, 'feats', [1])).values).toEqual(['one']);

      proxy.delayMs = 0;
      await waitUntil('slow reads succeed again', async () => (await readReport(rankd, 'slow', [1])).values?.[0] === 'one');
      await answers(load, load.replies.length + 20);
    } finally {
      proxy.delayMs = 0;
      await load.stop();
    }
    expect(failureLines(load)).toEqual([]);
  });
});

describe('Redis down (killed)', () => {
  it('a required read fails within timeout_ms + 50 ms naming source and server, an optional one gives misses, the server keeps serving and recovers', async () => {
    const load = loadOnOtherApis(rankd);
    try {
      await redis.kill();
      for (let i = 0; i < 5; i++) {
        const r = await readReport(rankd, 'feats', [1]);
        expect(r.error).toMatch(`remote source "feats" (redis 127.0.0.1:${redis.port}): `);
        expect([status.UNAVAILABLE, status.DEADLINE_EXCEEDED]).toContain(r.code);
        expect(r.ms).toBeLessThanOrEqual(TIMEOUT_MS + SLACK_MS);
      }
      // Once the client has seen the connection go, reads fail at once, saying so.
      await waitUntil('reads fail fast as unreachable', async () => {
        const r = await readReport(rankd, 'feats', [1]);
        return r.code === status.UNAVAILABLE && /server unreachable/.test(r.error ?? '') && r.ms < TIMEOUT_MS;
      });
      const call = await failedCall(() => readCall(rankd, 'feats', [1]));
      expect(call.error.code).toBe(status.UNAVAILABLE);
      expect(call.error.details).toMatch(`remote source "feats" (redis 127.0.0.1:${redis.port}): server unreachable`);
      const optional = await readCall(rankd, 'maybe', [1]);
      expect(optional.values).toEqual([null]);
      expect(optional.ms).toBeLessThanOrEqual(TIMEOUT_MS + SLACK_MS);

      await redis.start();
      await storeFeature();
      await waitUntil('reads succeed again', async () => (await readReport(rankd, 'feats', [1])).values?.[0] === 'one', { timeoutMs: 30_000 });
      await answers(load, load.replies.length + 20);
    } finally {
      await load.stop();
    }
    expect(failureLines(load)).toEqual([]);
  });
});
