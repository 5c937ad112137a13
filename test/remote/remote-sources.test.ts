import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ReadObservation } from '../../src/remote/remote-access.js';
import { RemoteError } from '../../src/remote/remote-error.js';
import { RemoteSources } from '../../src/remote/remote-sources.js';
import { ShardedSource } from '../../src/remote/sharded-source.js';
import { freePort } from '../support/free-port.js';
import { startRedis, type RedisProcess } from '../support/redis.js';
import { waitUntil } from '../support/wait-until.js';
import { startHttpStore, type HttpStore } from './http-store.js';
import { httpSpec, peerSpec, redisSpec } from './source-specs.js';

const later = (ms = 30_000): number => Date.now() + ms;

/** Connections that rankd's Redis clients hold on a server (they name themselves "rankd"). */
async function rankdConnections(admin: Redis): Promise<number> {
  const list = (await admin.client('LIST')) as string;
  return list.split('\n').filter((line) => / name=rankd /.test(line)).length;
}

describe('RemoteSources', () => {
  let redis: RedisProcess;
  let admin: Redis;
  let store: HttpStore;
  let other: HttpStore;
  let sources: RemoteSources | undefined;

  beforeAll(async () => {
    [redis, store, other] = await Promise.all([startRedis(), startHttpStore(), startHttpStore()]);
    admin = new Redis(redis.port, '127.0.0.1');
    await admin.mset({ 'a:1': 'a-one', 'a:2': 'a-two', 'b:1': '{"b":1}' });
  });
  afterEach(async () => {
    store.release();
    await sources?.close();
    sources = undefined;
  });
  afterAll(async () => {
    admin.disconnect();
    await Promise.all([redis.destroy(), store.close(), other.close()]);
  });

  it('gives each request a reader per source and fetch(), which reads several sources (one of them twice) in parallel', async () => {
    const reads: ReadObservation[] = [];
    sources = new RemoteSources(
      [redisSpec('a', [redis.port], { keyPrefix: 'a:' }), redisSpec('b', [redis.port], { keyPrefix: 'b:', value: { kind: 'json' } })],
      { onRead: (read) => reads.push(read) },
    );
    const remote = sources.forRequest(later());
    expect(await remote.a!.mget([1, 2n, '3'])).toEqual(['a-one', 'a-two', null]);
    expect(await remote.b!.get<{ b: number }>(1)).toEqual({ b: 1 });

    const together = await remote.fetch({ a: [2, 1], b: ['1', 9], again: { source: 'a', keys: [1] }, more: { source: 'a', keys: [] } });
    expect(together).toEqual({ a: ['a-two', 'a-one'], b: [{ b: 1 }, null], again: ['a-one'], more: [] });

    await expect(remote.fetch({ nope: [1] })).rejects.toThrow('no remote source named "nope" (db_config.ini has a, b)');
    // In order of completion: fetch's reads run in parallel.
    expect(reads.map(({ source, keys, error }) => `${source}:${keys}:${error === undefined ? 'ok' : 'failed'}`).sort()).toEqual([
      'a:0:ok',
      'a:1:ok',
      'a:2:ok',
      'a:3:ok',
      'b:1:ok',
      'b:2:ok',
    ]);
  });

  it('update() keeps the clients of unchanged sources, replaces changed ones and closes the old after their in-flight reads', async () => {
    store.values.set('k', 'old server');
    other.values.set('k', 'new server');
    // Reads are held for as long as the test needs: no timeout may end them first.
    const slowSpec = httpSpec('slow', [store.port], { timeoutMs: 30_000 });
    sources = new RemoteSources([redisSpec('a', [redis.port], { keyPrefix: 'a:' }), slowSpec, redisSpec('gone', [redis.port])]);
    const remote = sources.forRequest(later());
    const a = sources.current('a');
    const slow = sources.current('slow') as ShardedSource;
    expect(await remote.a!.get(1)).toBe('a-one');
    await waitUntil('both redis clients connected', async () => (await rankdConnections(admin)) === 2);

    store.hold();
    const inFlight = remote.slow!.get('k');
    await waitUntil('the read reached the server', () => store.held === 1);

    const update = sources.update([redisSpec('a', [redis.port], { keyPrefix: 'a:' }), { ...slowSpec, servers: [{ host: '127.0.0.1', port: other.port }] }, httpSpec('added', [other.port])]);
    expect(update).toMatchObject({ added: ['added'], changed: ['slow'], kept: ['a'], removed: ['gone'] });
    let closed = false;
    void update.closed.then(() => (closed = true));

    expect(sources.current('a')).toBe(a);
    expect(sources.current('slow')).not.toBe(slow);
    // The same request's next read goes to the new clients, while the old read is still held.
    expect(await remote.slow!.get('k')).toBe('new server');
    expect(await sources.forRequest(later()).added!.get('k')).toBe('new server');
    expect(slow.inFlight).toBe(1);
    expect(closed).toBe(false);
    await expect(slow.get('k', later())).rejects.toThrow('the source was closed (db_config.ini changed)');

    store.release();
    expect(await inFlight).toBe('old server');
    await update.closed;
    expect(closed).toBe(true);
    // "gone" closed its Redis connection; "a" kept its own.
    await waitUntil('the removed source disconnected', async () => (await rankdConnections(admin)) === 1);
    expect(await remote.a!.get(2)).toBe('a-two');
    await expect(remote.gone!.get(1)).rejects.toThrow('no remote source named "gone"');
  });

  it('update() is all or nothing: a source that cannot be built leaves every source as it was', async () => {
    sources = new RemoteSources([redisSpec('a', [redis.port], { keyPrefix: 'a:' })]);
    const a = sources.current('a');
    expect(() =>
      sources!.update([redisSpec('a', [redis.port], { keyPrefix: 'b:' }), peerSpec('far', [], { discovery: 'nosuch:///etcd/prod/rankd', select: 'random' })]),
    ).toThrow(/target nosuch:\/\/\/etcd\/prod\/rankd needs service discovery/);
    expect(sources.names()).toEqual(['a']);
    expect(sources.current('a')).toBe(a);
    expect(await sources.forRequest(later()).a!.get(1)).toBe('a-one');
  });

  it('a failing optional source reads as misses and reports the error; a required one fails the read', async () => {
    const port = await freePort();
    const failures: RemoteError[] = [];
    const reads: ReadObservation[] = [];
    sources = new RemoteSources([redisSpec('maybe', [port], { required: false, timeoutMs: 50 }), redisSpec('must', [port], { timeoutMs: 50 })], {
      onOptionalFailure: (error) => failures.push(error),
      onRead: (read) => reads.push(read),
    });
    const remote = sources.forRequest(later());
    expect(await remote.maybe!.mget([1, 2, 3])).toEqual([null, null, null]);
    expect(await remote.maybe!.get(1)).toBeNull();
    expect(failures).toHaveLength(2);
    expect(failures[0]).toBeInstanceOf(RemoteError);
    expect(failures[0]!.message).toContain(`remote source "maybe" (redis 127.0.0.1:${port})`);
    expect(reads.map(({ source, keys, error }) => ({ source, keys, failed: error !== undefined }))).toEqual([
      { source: 'maybe', keys: 3, failed: true },
      { source: 'maybe', keys: 1, failed: true },
    ]);
    expect(reads.every((read) => read.seconds >= 0 && read.seconds < 1)).toBe(true);

    await expect(remote.must!.get(1)).rejects.toThrow(`remote source "must" (redis 127.0.0.1:${port})`);
    await expect(remote.fetch({ maybe: [1], must: [1] })).rejects.toBeInstanceOf(RemoteError);
  });

  it('close() waits for reads in flight', async () => {
    store.values.set('k', 'v');
    sources = new RemoteSources([httpSpec('slow', [store.port], { timeoutMs: 30_000 })]);
    store.hold();
    const read = sources.forRequest(later()).slow!.get('k');
    await waitUntil('the read reached the server', () => store.held === 1);
    let closed = false;
    const closing = sources.close().then(() => (closed = true));
    sources = undefined;
    expect(closed).toBe(false);
    store.release();
    expect(await read).toBe('v');
    await closing;
    expect(closed).toBe(true);
  });
});
