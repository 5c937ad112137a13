import { deflateSync, gzipSync } from 'node:zlib';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSource } from '../../src/remote/create-source.js';
import type { RemoteSource } from '../../src/remote/remote-source.js';
import { shardOf } from '../../src/remote/shard-selection.js';
import type { RedisSourceSpec } from '../../src/remote/source-spec.js';
import { startRedis, type RedisProcess } from '../support/redis.js';
import { waitUntil } from '../support/wait-until.js';
import { expectRemoteFailure } from './expect-failure.js';
import { startSilentServer } from './silent-server.js';
import { redisSpec } from './source-specs.js';

const MARGIN_MS = 50;
const later = (ms = 5000): number => Date.now() + ms;

describe('redis source', () => {
  let redis: RedisProcess;
  let writer: Redis;
  const opened: RemoteSource[] = [];
  const open = (spec: RedisSourceSpec): RemoteSource => {
    const source = createSource(spec);
    opened.push(source);
    return source;
  };

  beforeAll(async () => {
    redis = await startRedis();
    writer = new Redis(redis.port, '127.0.0.1');
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((source) => source.close()));
  });
  afterAll(async () => {
    writer.disconnect();
    await redis.destroy();
  });

  it('reads every value format, misses as null in key order; numbers, bigints and strings name the same key', async () => {
    await writer.mset({
      'str:18446744073709551615': 'héllo',
      'str:7': '',
      'list:1': 'a,b,c',
      'pairs:1': '18446744073709551615:0.5,9:0.25',
      'json:1': '{"ctr":0.125,"tags":["x"]}',
    });
    const strings = open(redisSpec('strings', [redis.port], { keyPrefix: 'str:' }));
    expect(await strings.mget([18446744073709551615n, 8, '7', 'nope'], later())).toEqual(['héllo', null, '', null]);
    expect(await strings.get('18446744073709551615', later())).toBe('héllo');
    expect(await strings.get(12345, later())).toBeNull();
    expect(await strings.mget([], later())).toEqual([]);

    const list = open(redisSpec('lists', [redis.port], { keyPrefix: 'list:', value: { kind: 'list', separator: ',' } }));
    expect(await list.mget([1, 2], later())).toEqual([['a', 'b', 'c'], null]);

    const pairs = open(redisSpec('pairs', [redis.port], { keyPrefix: 'pairs:', value: { kind: 'pairs', separator: ',', scoreSeparator: ':' } }));
    expect(await pairs.get(1n, later())).toEqual({ ids: ['18446744073709551615', '9'], scores: Float64Array.from([0.5, 0.25]) });

    const json = open(redisSpec('json', [redis.port], { keyPrefix: 'json:', value: { kind: 'json' } }));
    expect(await json.mget(['1', 1, 1n, 'x'], later())).toEqual([{ ctr: 0.125, tags: ['x'] }, { ctr: 0.125, tags: ['x'] }, { ctr: 0.125, tags: ['x'] }, null]);
  });

  it('names keys exactly: non-ASCII keys and prefixes, integer ids of every size as their decimal text', async () => {
    const ids = [0, 99_999_999, 100_000_000, 1_099_511_627_776, 2 ** 53 - 1, 12_300_000_000, 1.5, -42];
    await writer.mset(Object.fromEntries(ids.map((id) => [`n:${String(id)}`, `v${String(id)}`])));
    const numbers = open(redisSpec('numbers', [redis.port], { keyPrefix: 'n:' }));
    expect(await numbers.mget(ids, later())).toEqual(ids.map((id) => `v${String(id)}`));

    await writer.mset({ 'é:ключ': 'cyrillic', 'é:😀': 'emoji', 'é:plain': 'ascii' });
    const text = open(redisSpec('text', [redis.port], { keyPrefix: 'é:' }));
    expect(await text.mget(['ключ', 'plain', '😀', 'missing'], later())).toEqual(['cyrillic', 'ascii', 'emoji', null]);
  });

  it('inflates compressed values (zlib and gzip), binary-safe', async () => {
    await writer.mset({ 'z:1': deflateSync('{"a":[1,2,3]}'), 'z:2': gzipSync('{"b":true}') });
    const source = open(redisSpec('compressed', [redis.port], { keyPrefix: 'z:', value: { kind: 'json' }, compress: 'zlib' }));
    expect(await source.mget([1, 2, 3], later())).toEqual([{ a: [1, 2, 3] }, { b: true }, null]);
  });

  it('fails a read whose value does not fit the format, naming source, server and key', async () => {
    await writer.set('badjson:5', '{not json');
    const source = open(redisSpec('features', [redis.port], { keyPrefix: 'badjson:', value: { kind: 'json' } }));
    await expectRemoteFailure(() => source.mget([4, 5], later()), {
      source: 'features',
      server: `127.0.0.1:${redis.port}`,
      withinMs: 1000,
      timedOut: false,
      says: /the value of key "badjson:5" is not JSON/,
    });
  });

  it('selects the database and authenticates', async () => {
    const secured = await startRedis({ config: { requirepass: 's3cret' } });
    try {
      const admin = new Redis({ port: secured.port, host: '127.0.0.1', password: 's3cret', db: 3 });
      await admin.set('k', 'in db 3');
      admin.disconnect();
      const source = open(redisSpec('secured', [secured.port], { db: 3, password: 's3cret' }));
      expect(await source.get('k', later())).toBe('in db 3');
      const db0 = open(redisSpec('db0', [secured.port], { password: 's3cret' }));
      expect(await db0.get('k', later())).toBeNull();
      const wrong = open(redisSpec('wrong', [secured.port], { password: 'nope' }));
      await expectRemoteFailure(() => wrong.get('k', later()), { source: 'wrong', server: `127.0.0.1:${secured.port}`, withinMs: 1000 });
    } finally {
      await secured.destroy();
    }
  });

  describe('across three servers', () => {
    const servers: RedisProcess[] = [];
    const writers: Redis[] = [];
    beforeAll(async () => {
      servers.push(...(await Promise.all([startRedis(), startRedis(), startRedis()])));
      writers.push(...servers.map((server) => new Redis(server.port, '127.0.0.1')));
    });
    afterAll(async () => {
      for (const w of writers) w.disconnect();
      await Promise.all(servers.map((server) => server.destroy()));
    });

    it('select = hash reads 10,000 keys, each from the server its hash names, aligned with the keys', async () => {
      const keys = Array.from({ length: 10_000 }, (_, i) => (i % 2 === 0 ? BigInt(2 ** 60) + BigInt(i) : i));
      const byServer = servers.map(() => new Map<string, string>());
      keys.forEach((key, i) => {
        if (i % 10 === 9) return; // every tenth key is a miss
        byServer[shardOf(String(key), 3)]!.set(String(key), `v${key}`);
      });
      await Promise.all(writers.map((w, s) => w.mset(byServer[s]!)));
      for (const [s, written] of byServer.entries()) {
        expect(await writers[s]!.dbsize()).toBe(written.size);
        expect(written.size).toBeGreaterThan(2500); // the hash spreads keys over all three
      }

      const source = open(redisSpec('sharded', servers.map((server) => server.port), { timeoutMs: 5000 }));
      const values = await source.mget(keys, later());
      expect(values).toHaveLength(10_000);
      values.forEach((value, i) => expect(value, `key ${keys[i]}`).toBe(i % 10 === 9 ? null : `v${keys[i]}`));
    });

    it('select = random reads a whole read from one replica', async () => {
      await Promise.all(writers.map((w, s) => w.mset({ 'r:1': `from ${s}`, 'r:2': `also from ${s}` })));
      const source = open(redisSpec('replicas', servers.map((server) => server.port), { select: 'random', keyPrefix: 'r:' }));
      const seen = new Set<string>();
      for (let i = 0; i < 60; i++) {
        const [a, b] = (await source.mget([1, 2], later())) as string[];
        expect(b).toBe(`also ${a}`);
        seen.add(a!);
      }
      expect(seen.size).toBe(3);
    });
  });

  describe('faults', () => {
    it('a stopped server fails reads within timeout_ms + 50 ms, naming source and server; other sources and the restarted server read again', async () => {
      const doomed = await startRedis();
      try {
        const live = open(redisSpec('live', [redis.port]));
        const spec = redisSpec('doomed', [doomed.port], { timeoutMs: 100 });
        const source = open(spec);
        const seed = new Redis(doomed.port, '127.0.0.1');
        await seed.set('k', 'v');
        seed.disconnect();
        expect(await source.get('k', later())).toBe('v');

        await doomed.stop();
        for (let i = 0; i < 3; i++) {
          await expectRemoteFailure(() => source.get('k', later()), {
            source: 'doomed',
            server: `127.0.0.1:${doomed.port}`,
            withinMs: spec.timeoutMs + MARGIN_MS,
          });
        }
        await writer.set('alive', 'yes');
        expect(await live.get('alive', later())).toBe('yes');

        await doomed.start(); // comes back empty
        await waitUntil('the restarted server answers through the source', async () => (await source.get('k', later()).then(() => true, () => false)));
        expect(await source.get('k', later())).toBeNull();
      } finally {
        await doomed.destroy();
      }
    });

    it('a server that accepts and never answers fails each read within timeout_ms + 50 ms, as a timeout', async () => {
      const silent = await startSilentServer();
      try {
        const spec = redisSpec('hung', [silent.port], { timeoutMs: 80 });
        const source = open(spec);
        for (let i = 0; i < 3; i++) {
          await expectRemoteFailure(() => source.mget([1, 2, 3], later()), {
            source: 'hung',
            server: `127.0.0.1:${silent.port}`,
            withinMs: spec.timeoutMs + MARGIN_MS,
            timedOut: true,
            says: /timed out after 80 ms \(timeout_ms\)/,
          });
        }
        expect(silent.accepted).toBeGreaterThanOrEqual(1);
        await writer.set('after', 'fine');
        expect(await open(redisSpec('after', [redis.port])).get('after', later())).toBe('fine');
      } finally {
        await silent.close();
      }
    });

    it('the request deadline cuts a read shorter than timeout_ms, and a passed deadline fails at once', async () => {
      const silent = await startSilentServer();
      try {
        const source = open(redisSpec('hung', [silent.port], { timeoutMs: 5000 }));
        await expectRemoteFailure(() => source.get(1, Date.now() + 60), {
          source: 'hung',
          server: `127.0.0.1:${silent.port}`,
          withinMs: 60 + MARGIN_MS,
          timedOut: true,
          says: /request deadline/,
        });
        await expectRemoteFailure(() => source.get(1, Date.now() - 1), {
          source: 'hung',
          server: `127.0.0.1:${silent.port}`,
          withinMs: MARGIN_MS,
          timedOut: true,
          says: /deadline had passed/,
        });
      } finally {
        await silent.close();
      }
    });
  });
});
