import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSource } from '../../src/remote/create-source.js';
import type { RemoteSource } from '../../src/remote/remote-source.js';
import type { PeerSourceSpec } from '../../src/remote/source-spec.js';
import type { SourceSpecError } from '../../src/remote/source-spec-error.js';
import { startEtcd, type EtcdProcess } from '../support/etcd.js';
import { startRankdFixture, type RankdFixture } from '../support/rankd-fixture.js';
import { waitUntil } from '../support/wait-until.js';
import { addWork } from './add-work.js';
import { expectRemoteFailure } from './expect-failure.js';
import { startSilentServer } from './silent-server.js';
import { peerSpec } from './source-specs.js';

const WORK = fileURLToPath(new URL('./fixtures/peer-values-work.ts', import.meta.url));
const later = (ms = 10_000): number => Date.now() + ms;

/** A rankd serving api "values" (and "example", which answers without a values array). */
const addValuesWork = (configDir: string): void => addWork(configDir, 'values', WORK);

describe('peer source (another rankd)', () => {
  let peer: RankdFixture;
  const opened: RemoteSource[] = [];
  const open = (spec: PeerSourceSpec): RemoteSource => {
    const source = createSource(spec);
    opened.push(source);
    return source;
  };

  beforeAll(async () => {
    peer = await startRankdFixture(() => {}, addValuesWork);
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((source) => source.close()));
  });
  afterAll(async () => {
    await peer?.stop();
  });

  it('reads values through Call, decoded per the value format, misses as null', async () => {
    const source = open(peerSpec('peer', [peer.server.queryPort], { timeoutMs: 2000 }));
    expect(await source.mget([1, 18446744073709551615n, 'miss-1', 'x'], later())).toEqual(['v:1', 'v:18446744073709551615', null, 'v:x']);
    expect(await source.get('miss', later())).toBeNull();
    const json = open(peerSpec('json', [peer.server.queryPort], { timeoutMs: 2000, value: { kind: 'json' } }));
    expect(await json.get('json-7', later())).toEqual({ key: 'json-7' });
  });

  it('sends 10,000 keys in one Call and aligns the answer', async () => {
    const source = open(peerSpec('many', [peer.server.queryPort], { timeoutMs: 5000 }));
    const keys = Array.from({ length: 10_000 }, (_, i) => (i % 7 === 0 ? `miss-${i}` : BigInt(i) * 1_000_003n));
    const values = await source.mget(keys, later());
    values.forEach((value, i) => expect(value).toBe(i % 7 === 0 ? null : `v:${keys[i]}`));
  });

  it('reports a peer answer that is not {"values": [...]} aligned with the keys', async () => {
    const example = open(peerSpec('echo', [peer.server.queryPort], { api: 'example', timeoutMs: 2000 }));
    await expectRemoteFailure(() => example.get(1, later()), {
      source: 'echo',
      server: `127.0.0.1:${peer.server.queryPort}`,
      withinMs: 2000,
      says: /api "example" answered without a "values" array/,
    });
    const unknown = open(peerSpec('unknown', [peer.server.queryPort], { api: 'nope', timeoutMs: 2000 }));
    await expectRemoteFailure(() => unknown.get(1, later()), {
      source: 'unknown',
      server: `127.0.0.1:${peer.server.queryPort}`,
      withinMs: 2000,
      says: /unknown api "nope"/,
    });
  });

  it('a slow peer fails within timeout_ms + 50 ms as a timeout', async () => {
    const source = open(peerSpec('slowpeer', [peer.server.queryPort], { timeoutMs: 150 }));
    expect(await source.get('warm', later())).toBe('v:warm');
    await expectRemoteFailure(() => source.mget(['slow-1', 'b'], later()), {
      source: 'slowpeer',
      server: `127.0.0.1:${peer.server.queryPort}`,
      withinMs: 150 + 50,
      timedOut: true,
    });
  });

  it('a server that accepts and never answers, and a port nobody listens on, fail within timeout_ms + 50 ms', async () => {
    const silent = await startSilentServer();
    try {
      const hung = open(peerSpec('hung', [silent.port], { timeoutMs: 100 }));
      await expectRemoteFailure(() => hung.get(1, later()), { source: 'hung', server: `127.0.0.1:${silent.port}`, withinMs: 150, timedOut: true });
    } finally {
      await silent.close();
    }
    const nobody = open(peerSpec('nobody', [silent.port], { timeoutMs: 100 }));
    for (let i = 0; i < 3; i++) {
      await expectRemoteFailure(() => nobody.get(1, later()), { source: 'nobody', server: `127.0.0.1:${silent.port}`, withinMs: 150 });
    }
    expect(await open(peerSpec('live', [peer.server.queryPort], { timeoutMs: 2000 })).get(5, later())).toBe('v:5');
  });

  it('refuses a discovery target that cannot resolve, naming the target key and saying why', () => {
    const refusal = (discovery: string, etcd?: string[]): SourceSpecError | undefined => {
      try {
        void createSource(peerSpec('far', [], { discovery, select: 'random' }), { etcd }).close();
      } catch (e) {
        return e as SourceSpecError;
      }
      return undefined;
    };
    expect(refusal('consul:///features')).toMatchObject({
      key: 'target',
      message: expect.stringContaining('remote source "far": target consul:///features needs service discovery (a gRPC resolver for "consul:")'),
    });
    expect(refusal('etcd:///prod/features', ['http://127.0.0.1:2379'])).toMatchObject({
      key: 'target',
      reason: expect.stringContaining('"prod/features" is not <prefix>/<env>/<service>'),
    });
    if (process.env.RANKD_ETCD === undefined) {
      expect(refusal('etcd:///etcd/prod/features')?.reason).toContain('no etcd endpoints for etcd:///etcd/prod/features: set etcd in rankd.ini [discovery], or RANKD_ETCD');
    }
    expect(refusal('etcd:///etcd/prod/features', ['http://127.0.0.1:2379'])).toBeUndefined();
  });
});

describe('peer source through discovery (etcd:/// target)', () => {
  let etcd: EtcdProcess;
  let peer: RankdFixture;
  let source: RemoteSource | undefined;

  beforeAll(async () => {
    etcd = await startEtcd();
    peer = await startRankdFixture((c) => {
      c.discovery = {
        etcd: [etcd.endpoint],
        prefix: 'etcd',
        env: 'test',
        service: 'values-peer',
        advertiseHost: '127.0.0.1',
        ttlS: 10,
        drainMs: 0,
        weight: 1,
        zone: '',
      };
    }, addValuesWork);
  });
  afterAll(async () => {
    await source?.close();
    await peer?.stop();
    await etcd?.destroy();
  });

  it('reads from the rankd servers registered under the target', async () => {
    source = createSource(peerSpec('found', [], { discovery: 'etcd:///etcd/test/values-peer', select: 'random', timeoutMs: 2000 }), {
      etcd: [etcd.endpoint],
    });
    // Registration and the first watch answer take a moment.
    const values = await waitUntil('the peer found through etcd answers', () => source!.mget([7, 'miss-1'], later()).catch(() => undefined));
    expect(values).toEqual(['v:7', null]);
  });
});
