import { deflateSync } from 'node:zlib';
import memjs from 'memjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSource } from '../../src/remote/create-source.js';
import type { RemoteSource } from '../../src/remote/remote-source.js';
import { shardOf } from '../../src/remote/shard-selection.js';
import type { MemcacheSourceSpec } from '../../src/remote/source-spec.js';
import { startMemcached, type MemcachedProcess } from '../support/memcached.js';
import { expectRemoteFailure } from './expect-failure.js';
import { startSilentServer } from './silent-server.js';
import { memcacheSpec } from './source-specs.js';

const later = (ms = 10_000): number => Date.now() + ms;
const quiet = { log: () => {} };

describe('memcache source', () => {
  const servers: MemcachedProcess[] = [];
  const writers: memjs.Client[] = [];
  const opened: RemoteSource[] = [];
  const open = (spec: MemcacheSourceSpec): RemoteSource => {
    const source = createSource(spec);
    opened.push(source);
    return source;
  };
  const ports = (): number[] => servers.map((server) => server.port);

  beforeAll(async () => {
    servers.push(...(await Promise.all([startMemcached(), startMemcached(), startMemcached()])));
    writers.push(...servers.map((server) => memjs.Client.create(`127.0.0.1:${server.port}`, { logger: quiet })));
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((source) => source.close()));
  });
  afterAll(async () => {
    for (const writer of writers) writer.close();
    await Promise.all(servers.map((server) => server.destroy()));
  });

  it('reads every value format and compressed values, misses as null, with a key prefix', async () => {
    const w = writers[0]!;
    await w.set('m:s', 'héllo', {});
    await w.set('m:l', 'a|b', {});
    await w.set('m:p', '5:1.5;6:2', {});
    await w.set('m:j', '[1,{"a":null}]', {});
    await w.set('m:z', deflateSync('{"z":1}'), {});
    const one = [ports()[0]!];
    expect(await open(memcacheSpec('s', one, { keyPrefix: 'm:' })).mget(['s', 'nope'], later())).toEqual(['héllo', null]);
    expect(await open(memcacheSpec('l', one, { keyPrefix: 'm:', value: { kind: 'list', separator: '|' } })).get('l', later())).toEqual(['a', 'b']);
    expect(
      await open(memcacheSpec('p', one, { keyPrefix: 'm:', value: { kind: 'pairs', separator: ';', scoreSeparator: ':' } })).get('p', later()),
    ).toEqual({ ids: ['5', '6'], scores: Float64Array.from([1.5, 2]) });
    expect(await open(memcacheSpec('j', one, { keyPrefix: 'm:', value: { kind: 'json' } })).get('j', later())).toEqual([1, { a: null }]);
    expect(await open(memcacheSpec('z', one, { keyPrefix: 'm:', value: { kind: 'json' }, compress: 'zlib' })).mget(['z', 'y'], later())).toEqual([
      { z: 1 },
      null,
    ]);
  });

  it('select = hash reads 10,000 keys from three servers, each key from the server its hash names', async () => {
    const keys = Array.from({ length: 10_000 }, (_, i) => BigInt(2 ** 63) + BigInt(i));
    const perServer = [0, 0, 0];
    await Promise.all(
      keys.map((key, i) => {
        if (i % 10 === 9) return undefined;
        const shard = shardOf(`h:${key}`, 3);
        perServer[shard]!++;
        return writers[shard]!.set(`h:${key}`, `v${key}`, {});
      }),
    );
    expect(Math.min(...perServer)).toBeGreaterThan(2500);
    const source = open(memcacheSpec('sharded', ports(), { keyPrefix: 'h:', timeoutMs: 5000 }));
    const values = await source.mget(keys, later());
    expect(values).toHaveLength(10_000);
    values.forEach((value, i) => expect(value, `key ${keys[i]}`).toBe(i % 10 === 9 ? null : `v${keys[i]}`));
  });

  it('a stopped server fails reads within timeout_ms + 50 ms naming source and server, and reads again once it is back', async () => {
    const doomed = await startMemcached();
    try {
      const source = open(memcacheSpec('doomed', [doomed.port], { timeoutMs: 100 }));
      expect(await source.get('k', later())).toBeNull();
      await doomed.stop();
      for (let i = 0; i < 3; i++) {
        await expectRemoteFailure(() => source.mget(['k', 'j'], later()), { source: 'doomed', server: `127.0.0.1:${doomed.port}`, withinMs: 150 });
      }
      expect(await open(memcacheSpec('live', [ports()[1]!])).get('nothing', later())).toBeNull();
      await doomed.start();
      expect(await source.get('k', later())).toBeNull();
    } finally {
      await doomed.destroy();
    }
  });

  it('a server that accepts and never answers fails within timeout_ms + 50 ms, as a timeout', async () => {
    const silent = await startSilentServer();
    try {
      const source = open(memcacheSpec('hung', [silent.port], { timeoutMs: 80 }));
      for (let i = 0; i < 3; i++) {
        await expectRemoteFailure(() => source.mget(['a', 'b'], later()), {
          source: 'hung',
          server: `127.0.0.1:${silent.port}`,
          withinMs: 80 + 50,
          timedOut: true,
        });
      }
    } finally {
      await silent.close();
    }
  });
});
