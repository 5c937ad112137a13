import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbConfigIni } from '../support/db-config-ini.js';
import { type MemcachedProcess, startMemcached } from '../support/memcached.js';
import { type RankdChild, startRankdChild } from '../support/rankd-child.js';
import { tcpExchange } from '../support/tcp-exchange.js';
import { waitUntil } from '../support/wait-until.js';
import { answers, failureLines, loadOnOtherApis } from './support/api-load.js';
import { failedCall } from './support/failed-call.js';
import { faultWork } from './support/fault-work.js';
import { readCall, readReport } from './support/remote-read.js';

const TIMEOUT_MS = 100;
/** How late a failed read may end, past timeout_ms (issue #4). */
const SLACK_MS = 50;

let memcached: MemcachedProcess;
let rankd: RankdChild;

async function storeTags(): Promise<void> {
  const reply = await tcpExchange({ port: memcached.port, send: 'set tags:1 0 0 3\r\nabc\r\n', complete: (text) => text.endsWith('\r\n') });
  expect(reply).toBe('STORED\r\n');
}

beforeAll(async () => {
  memcached = await startMemcached();
  await storeTags();
  const source = (required: boolean) => ({ type: 'memcache', servers: `127.0.0.1:${memcached.port}`, key_prefix: 'tags:', timeout_ms: TIMEOUT_MS, required });
  rankd = await startRankdChild({
    works: { remote_read: { module: faultWork('remote-read') }, probe: { module: faultWork('probe') } },
    prepare: (dir) => writeFileSync(path.join(dir, 'db_config.ini'), dbConfigIni({ tags: source(true), maybe: source(false) })),
  });
  await waitUntil('reads', async () => (await readReport(rankd, 'tags', [1])).values?.[0] === 'abc');
});

afterAll(async () => {
  await rankd?.destroy();
  await memcached?.destroy();
});

describe('memcached down (killed)', () => {
  it('a required read fails within timeout_ms + 50 ms naming source and server, an optional one gives misses, the server keeps serving and recovers', async () => {
    const load = loadOnOtherApis(rankd);
    try {
      await memcached.kill();
      for (let i = 0; i < 5; i++) {
        const r = await readReport(rankd, 'tags', [1, 2]);
        expect(r.error).toMatch(`remote source "tags" (memcache 127.0.0.1:${memcached.port}): `);
        expect([status.UNAVAILABLE, status.DEADLINE_EXCEEDED]).toContain(r.code);
        expect(r.ms).toBeLessThanOrEqual(TIMEOUT_MS + SLACK_MS);
      }
      const call = await failedCall(() => readCall(rankd, 'tags', [1]));
      expect([status.UNAVAILABLE, status.DEADLINE_EXCEEDED]).toContain(call.error.code);
      expect(call.error.details).toMatch(`remote source "tags" (memcache 127.0.0.1:${memcached.port}): `);
      const optional = await readCall(rankd, 'maybe', [1, 2]);
      expect(optional.values).toEqual([null, null]);
      expect(optional.ms).toBeLessThanOrEqual(TIMEOUT_MS + SLACK_MS);

      await memcached.start();
      await storeTags();
      await waitUntil('reads succeed again', async () => (await readReport(rankd, 'tags', [1])).values?.[0] === 'abc', { timeoutMs: 30_000 });
      await answers(load, load.replies.length + 20);
    } finally {
      await load.stop();
    }
    expect(failureLines(load)).toEqual([]);
  });
});
