/**
 * ctx.remote inside a running rankd: a work in pool threads reads a Redis
 * source and a second rankd as peer; UpdateDb re-reads db_config.ini.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServiceError } from '@grpc/grpc-js';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { startRankdFixture, type RankdFixture } from '../support/rankd-fixture.js';
import { startRedis, type RedisProcess } from '../support/redis.js';
import { waitUntil } from '../support/wait-until.js';
import { addWork } from './add-work.js';
import { startSilentServer, type SilentServer } from './silent-server.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

function dbConfig(sections: Record<string, string[]>): string {
  return ['[DB_INFO]', `DBS_NAME = ${Object.keys(sections).join(', ')}`, ...Object.entries(sections).flatMap(([name, lines]) => [`[${name}]`, ...lines])].join('\n') + '\n';
}

describe('ctx.remote in a running rankd', () => {
  let first: RedisProcess;
  let second: RedisProcess;
  let hung: SilentServer;
  let closedPort: number;
  let peer: RankdFixture;
  let rankd: RankdFixture;
  const sections = (features: number): Record<string, string[]> => ({
    features: ['type = redis', `servers = 127.0.0.1:${features}`, 'key_prefix = feat:', 'timeout_ms = 2000'],
    peer: ['type = peer', `target = 127.0.0.1:${peer.server.queryPort}`, 'api = values', 'timeout_ms = 2000'],
    down: ['type = redis', `servers = 127.0.0.1:${closedPort}`, 'timeout_ms = 100'],
    maybe: ['type = redis', `servers = 127.0.0.1:${closedPort}`, 'timeout_ms = 100', 'required = false'],
    hung: ['type = http', `servers = 127.0.0.1:${hung.port}`, 'url = /{key}', 'timeout_ms = 5000'],
  });

  beforeAll(async () => {
    [first, second, hung, closedPort] = await Promise.all([startRedis(), startRedis(), startSilentServer(), freePort()]);
    for (const [redis, name] of [
      [first, 'first'],
      [second, 'second'],
    ] as const) {
      const writer = new Redis(redis.port, '127.0.0.1');
      await writer.set('feat:1', `from ${name}`);
      writer.disconnect();
    }
    peer = await startRankdFixture(() => {}, (dir) => addWork(dir, 'values', fixture('peer-values-work.ts')));
    // One pool thread, so the reader work's memory of its last error is the one the test asks.
    rankd = await startRankdFixture((c) => (c.pool.threads = 1), (dir) => {
      addWork(dir, 'reader', fixture('remote-reader-work.ts'));
      writeFileSync(join(dir, 'db_config.ini'), dbConfig(sections(first.port)));
    });
  });
  afterAll(async () => {
    await rankd?.stop();
    await peer?.stop();
    await Promise.all([first?.destroy(), second?.destroy(), hung?.close()]);
  });

  it('reads a Redis source and a peer rankd in parallel, one source twice', async () => {
    const reply = await rankd.rank.call({ api: 'reader', reads: { features: [1, 2], peer: [5, 'miss-5'], again: { source: 'features', keys: ['1'] } } });
    expect(reply).toEqual({ features: ['from first', null], peer: ['v:5', null], again: ['from first'] });
  });

  it('fails the call naming source and server when a required source is down; an optional one reads as misses', async () => {
    const failed = await rankd.rank.call({ api: 'reader', reads: { down: [1] } }).then(
      () => undefined,
      (err: ServiceError) => err,
    );
    expect(failed?.code).toBe(14); // UNAVAILABLE
    expect(failed?.details).toContain(`remote source "down" (redis 127.0.0.1:${closedPort})`);
    expect(await rankd.rank.call({ api: 'reader', reads: { maybe: [1, 2] } })).toEqual({ maybe: [null, null] });
  });

  it("the call's deadline reaches the remote reads", async () => {
    const started = Date.now();
    // The read would wait 5 s (timeout_ms); the call gives up after 400 ms, and so must the read.
    const call = await rankd.rank.call({ api: 'reader', catch: true, reads: { hung: [1] } }, 400).then(
      () => undefined,
      (err: ServiceError) => err,
    );
    expect(call?.code).toBe(4); // DEADLINE_EXCEEDED, at the client
    const last = await waitUntil(
      'the work saw its read fail',
      async () => ((await rankd.rank.call({ api: 'reader', last: true })) as { message: string; at: number } | null) ?? undefined,
    );
    expect(last.message).toMatch(new RegExp(`remote source "hung" \\(http 127.0.0.1:${hung.port}\\): timed out after \\d+ ms \\(request deadline\\)`));
    expect(last.at - started).toBeLessThan(1500);
  });

  it('UpdateDb gives changed sources new clients and keeps the others', async () => {
    writeFileSync(join(rankd.configDir, 'db_config.ini'), dbConfig(sections(second.port)));
    const reply = await rankd.control.updateDb();
    expect(reply.changed).toEqual(
      expect.arrayContaining(['source features: new clients', 'source peer: unchanged, clients kept']),
    );
    for (let i = 0; i < 4; i++) {
      expect(await rankd.rank.call({ api: 'reader', reads: { features: [1] } })).toEqual({ features: ['from second'] });
    }
  });

  it('UpdateDb refuses specs the threads could not build, naming file, section and key; the running sources stay', async () => {
    const before = await rankd.control.status();
    const bad = {
      ...sections(second.port),
      // Both pass db_config.ini's checks; only building their clients fails.
      peer: ['type = peer', 'target = consul:///values', 'api = values', 'select = random'],
      hung: ['type = http', 'servers = a/b:80', 'url = /{key}'],
      added: ['type = http', 'servers = 127.0.0.1:1', 'url = /{key}'],
    };
    writeFileSync(join(rankd.configDir, 'db_config.ini'), dbConfig(bad));
    try {
      const refused = await rankd.control.updateDb().then(
        () => undefined,
        (err: ServiceError) => err,
      );
      expect(refused?.code).toBe(9); // FAILED_PRECONDITION
      const lines = refused?.details.split('\n') ?? [];
      expect(lines).toEqual([
        expect.stringMatching(/db_config\.ini \[peer\] target: target consul:\/\/\/values needs service discovery \(a gRPC resolver for "consul:"\)/),
        expect.stringMatching(/db_config\.ini \[hung\] servers: a\/b:80 is not a server undici can connect to/),
      ]);
    } finally {
      writeFileSync(join(rankd.configDir, 'db_config.ini'), dbConfig(sections(second.port)));
    }
    expect((await rankd.control.status()).generation).toBe(before.generation);
    expect(await rankd.rank.call({ api: 'reader', reads: { features: [1], peer: [5] } })).toEqual({ features: ['from second'], peer: ['v:5'] });
    const failed = await rankd.rank.call({ api: 'reader', reads: { added: [1] } }).then(
      () => undefined,
      (err: ServiceError) => err,
    );
    expect(failed?.details).toContain('no remote source named "added"');
  });
});
