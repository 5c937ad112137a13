import { deflateSync } from 'node:zlib';
import { Cluster, Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clusterSlot } from '../../src/remote/cluster-slot.js';
import { createSource } from '../../src/remote/create-source.js';
import type { RemoteSource } from '../../src/remote/remote-source.js';
import type { RedisSourceSpec } from '../../src/remote/source-spec.js';
import { startRedisCluster, type RedisCluster } from '../support/redis.js';
import { expectRemoteFailure } from './expect-failure.js';
import { clusterSpec } from './source-specs.js';

const later = (ms = 10_000): number => Date.now() + ms;

/** Port of the master serving `slot`, from CLUSTER SLOTS. */
async function ownerOf(client: Redis, slot: number): Promise<number> {
  const ranges = (await client.cluster('SLOTS')) as unknown as [number, number, [string, number]][];
  const range = ranges.find(([from, to]) => from <= slot && slot <= to);
  if (range === undefined) throw new Error(`no node serves slot ${slot}`);
  return range[2][1];
}

describe('redis-cluster source (3 masters)', () => {
  let cluster: RedisCluster;
  let writer: Cluster;
  const opened: RemoteSource[] = [];
  const open = (spec: RedisSourceSpec): RemoteSource => {
    const source = createSource(spec);
    opened.push(source);
    return source;
  };
  const ports = (): number[] => cluster.startupNodes.map((node) => node.port);

  beforeAll(async () => {
    cluster = await startRedisCluster(3);
    writer = new Cluster([...cluster.startupNodes], { enableAutoPipelining: true });
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((source) => source.close()));
  });
  afterAll(async () => {
    writer?.disconnect();
    await cluster?.destroy();
  });

  it('reads 10,000 keys spread over all three masters, aligned with the keys, misses as null', async () => {
    const keys = Array.from({ length: 10_000 }, (_, i) => (i % 3 === 0 ? `item-${i}` : i % 3 === 1 ? i : BigInt(2 ** 62) + BigInt(i)));
    await Promise.all(keys.map((key, i) => (i % 10 === 9 ? undefined : writer.set(`c:${key}`, `v${key}`))));
    // The keys really are on three servers.
    for (const node of cluster.nodes) {
      const direct = new Redis(node.port, '127.0.0.1');
      expect(await direct.dbsize()).toBeGreaterThan(2000);
      direct.disconnect();
    }

    const source = open(clusterSpec('clustered', ports(), { keyPrefix: 'c:', timeoutMs: 5000 }));
    const values = await source.mget(keys, later());
    expect(values).toHaveLength(10_000);
    values.forEach((value, i) => expect(value, `key ${keys[i]}`).toBe(i % 10 === 9 ? null : `v${keys[i]}`));
    expect(await source.get('item-0', later())).toBe('vitem-0');
  });

  it('decodes formats and compressed values from any slot', async () => {
    await writer.set('cz:a', deflateSync('1:0.5,2:0.25'));
    await writer.set('cz:b', deflateSync(''));
    const source = open(clusterSpec('pairs', ports(), { keyPrefix: 'cz:', compress: 'zlib', value: { kind: 'pairs', separator: ',', scoreSeparator: ':' } }));
    expect(await source.mget(['a', 'b', 'c'], later())).toEqual([
      { ids: ['1', '2'], scores: Float64Array.from([0.5, 0.25]) },
      { ids: [], scores: new Float64Array(0) },
      null,
    ]);
  });

  it('follows a slot that moved to another master after the client learnt the slot map', async () => {
    const source = open(clusterSpec('moving', ports(), { timeoutMs: 5000 }));
    const clients = cluster.nodes.map((node) => new Redis(node.port, '127.0.0.1'));
    try {
      // A key whose slot holds no other key (only an empty slot can be reassigned directly).
      let key = '';
      let owner = 0;
      for (let n = 0; key === ''; n++) {
        const candidate = `moving-${n}`;
        owner = await ownerOf(clients[0]!, clusterSlot(candidate));
        const holder = clients[cluster.nodes.findIndex((node) => node.port === owner)]!;
        if (Number(await holder.cluster('COUNTKEYSINSLOT', clusterSlot(candidate))) === 0) key = candidate;
      }
      const slot = clusterSlot(key);
      expect(await source.get(key, later())).toBeNull(); // the client now knows the slot map
      const ids = await Promise.all(clients.map(async (c) => String(await c.cluster('MYID'))));
      const target = clients.findIndex((_, i) => cluster.nodes[i]!.port !== owner);
      // An empty slot moves by telling every node its new owner, the new owner first.
      for (const c of [clients[target]!, ...clients.filter((_, i) => i !== target)]) await c.cluster('SETSLOT', slot, 'NODE', ids[target]!);
      await clients[target]!.set(key, 'moved here');
      expect(await source.get(key, later())).toBe('moved here');
      expect(await source.mget([key, 'other-key'], later())).toEqual(['moved here', null]);
    } finally {
      for (const c of clients) c.disconnect();
    }
  });

  it('fails within timeout_ms + 50 ms when the cluster is down, naming the source and its nodes', async () => {
    const source = open(clusterSpec('cluster_down', ports(), { timeoutMs: 150 }));
    await writer.set('x', 'y');
    expect(await source.get('x', later())).toBe('y');
    await cluster.stop();
    for (let i = 0; i < 3; i++) {
      await expectRemoteFailure(() => source.mget(['x', 'y', 'z'], later()), {
        source: 'cluster_down',
        server: `127.0.0.1:${cluster.nodes[0]!.port}`,
        withinMs: 150 + 50,
      });
    }
  });
});
