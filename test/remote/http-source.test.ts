import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSource } from '../../src/remote/create-source.js';
import type { RemoteSource } from '../../src/remote/remote-source.js';
import type { HttpSourceSpec } from '../../src/remote/source-spec.js';
import { freePort } from '../support/free-port.js';
import { expectRemoteFailure } from './expect-failure.js';
import { startHttpStore, type HttpStore } from './http-store.js';
import { startSilentServer } from './silent-server.js';
import { httpSpec } from './source-specs.js';

const later = (ms = 10_000): number => Date.now() + ms;

describe('http source', () => {
  let store: HttpStore;
  const opened: RemoteSource[] = [];
  const open = (spec: HttpSourceSpec): RemoteSource => {
    const source = createSource(spec);
    opened.push(source);
    return source;
  };

  beforeAll(async () => {
    store = await startHttpStore();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((source) => source.close()));
    store.received.length = 0;
    store.requireAuthorization = undefined;
    store.failingPrefix = '\u0000';
  });
  afterAll(async () => {
    await store.close();
  });

  it('GETs one URL per key ({key} URL-encoded), 200 = value, 404 = miss, values decoded', async () => {
    store.values.set('a b/c', '{"x":1}');
    store.values.set('18446744073709551615', '{"x":2}');
    const source = open(httpSpec('items', [store.port], { url: '/items/{key}?v=1', value: { kind: 'json' }, headers: { 'x-caller': 'rankd' } }));
    expect(await source.mget(['a b/c', 18446744073709551615n, 'missing'], later())).toEqual([{ x: 1 }, { x: 2 }, null]);
    expect(store.received.map((r) => `${r.method} ${r.url}`).sort()).toEqual([
      'GET /items/18446744073709551615?v=1',
      'GET /items/a%20b%2Fc?v=1',
      'GET /items/missing?v=1',
    ]);
    expect(store.received.every((r) => r.headers['x-caller'] === 'rankd')).toBe(true);
  });

  it('POSTs a body per key ({key} JSON-escaped) with headers and basic auth', async () => {
    store.values.set('say "hi"', 'quoted');
    store.values.set('7', '1:0.5,2:0.25');
    store.requireAuthorization = `Basic ${Buffer.from('rankd:pw').toString('base64')}`;
    const spec = httpSpec('lookup', [store.port], {
      method: 'POST',
      url: '/lookup',
      body: '{"id": "{key}"}',
      headers: { 'content-type': 'application/json' },
      auth: { kind: 'basic', username: 'rankd', password: 'pw' },
    });
    expect(await open(spec).mget(['say "hi"', 'none'], later())).toEqual(['quoted', null]);
    expect(store.received.map((r) => r.body).sort()).toEqual(['{"id": "none"}', '{"id": "say \\"hi\\""}']);
    expect(store.received.every((r) => r.method === 'POST' && r.headers['content-type'] === 'application/json')).toBe(true);

    const pairs = open({ ...spec, name: 'pairs', value: { kind: 'pairs', separator: ',', scoreSeparator: ':' } });
    expect(await pairs.get(7, later())).toEqual({ ids: ['1', '2'], scores: Float64Array.from([0.5, 0.25]) });
  });

  it('sends bearer tokens, and a refused one fails the read with the status', async () => {
    store.values.set('k', 'v');
    store.requireAuthorization = 'Bearer t0ken';
    expect(await open(httpSpec('ok', [store.port], { auth: { kind: 'bearer', token: 't0ken' } })).get('k', later())).toBe('v');
    await expectRemoteFailure(() => open(httpSpec('refused', [store.port], { auth: { kind: 'bearer', token: 'nope' } })).get('k', later()), {
      source: 'refused',
      server: `127.0.0.1:${store.port}`,
      withinMs: 1000,
      timedOut: false,
      says: /HTTP 401 for key "k": who are you\?/,
    });
  });

  it('reads compressed bodies as bytes', async () => {
    store.values.set('z', gzipSync('a,b,c'));
    const source = open(httpSpec('z', [store.port], { compress: 'zlib', value: { kind: 'list', separator: ',' } }));
    expect(await source.mget(['z', 'y'], later())).toEqual([['a', 'b', 'c'], null]);
  });

  it('fails a read when the server answers an error status', async () => {
    store.failingPrefix = 'bad';
    store.values.set('good', 'g');
    await expectRemoteFailure(() => open(httpSpec('errors', [store.port])).mget(['good', 'bad1'], later()), {
      source: 'errors',
      server: `127.0.0.1:${store.port}`,
      withinMs: 1000,
      says: /HTTP 500 for key "bad1": store exploded/,
    });
  });

  it('a server that is not there fails within timeout_ms + 50 ms, naming source and server', async () => {
    const port = await freePort();
    const source = open(httpSpec('nobody', [port], { timeoutMs: 100 }));
    for (let i = 0; i < 3; i++) {
      await expectRemoteFailure(() => source.mget([1, 2], later()), { source: 'nobody', server: `127.0.0.1:${port}`, withinMs: 150, says: /ECONNREFUSED/ });
    }
  });

  it('a server that accepts and never answers fails within timeout_ms + 50 ms as a timeout; then reads work again', async () => {
    const silent = await startSilentServer();
    try {
      const source = open(httpSpec('hung', [silent.port], { timeoutMs: 80 }));
      for (let i = 0; i < 3; i++) {
        await expectRemoteFailure(() => source.mget([1, 2, 3], later()), {
          source: 'hung',
          server: `127.0.0.1:${silent.port}`,
          withinMs: 80 + 50,
          timedOut: true,
        });
      }
      store.values.set('after', 'ok');
      expect(await open(httpSpec('live', [store.port])).get('after', later())).toBe('ok');
    } finally {
      await silent.close();
    }
  });
});
