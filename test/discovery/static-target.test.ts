import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/index.js';
import { waitUntil } from '../support/wait-until.js';
import { startTinyRankServer, type ServedBy, type TinyRankServer } from './support/tiny-rank-servers.js';

let servers: TinyRankServer[];

beforeAll(async () => {
  servers = await Promise.all([0, 0, 0].map(() => startTinyRankServer()));
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
});

describe('a static host:port list', () => {
  it('looks up host names, and round robin takes strict turns once every server is connected', async () => {
    const target = servers.map((server) => server.address.replace('127.0.0.1', 'localhost')).join(',');
    const client = createClient({ target, balancer: 'round_robin' });
    try {
      const reached = new Set<string>();
      await waitUntil('every server reached', async () => {
        reached.add((await client.call<ServedBy>({ api: 'who' })).server);
        return reached.size === 3;
      });
      const order: string[] = [];
      for (let i = 0; i < 30; i++) order.push((await client.call<ServedBy>({ api: 'who' })).server);
      // Each server once per turn, in the same order every turn.
      for (let i = 3; i < order.length; i++) expect(order[i]).toBe(order[i - 3]);
      expect(new Set(order.slice(0, 3)).size).toBe(3);
    } finally {
      client.close();
    }
  });

  it('sends the hash key as metadata: the body uid by default, or the one given', async () => {
    const client = createClient({ target: servers.map((server) => server.address).join(','), balancer: 'ring_hash' });
    try {
      // With every server connected, one key has one home.
      await waitUntil('every server connected', async () => {
        const seen = new Set<string>();
        for (let uid = 0; uid < 30; uid++) seen.add((await client.call<ServedBy>({ api: 'who', uid })).server);
        return seen.size === 3;
      });
      const byUid = (await client.call<ServedBy>({ api: 'who', uid: 'u-17' })).server;
      expect((await client.call<ServedBy>({ api: 'who', uid: 'u-17' })).server).toBe(byUid);
      expect((await client.call<ServedBy>({ api: 'who', uid: 'other' }, { hashKey: 'u-17' })).server).toBe(byUid);
    } finally {
      client.close();
    }
  });

  it('reaches a server through a dns: target', async () => {
    const port = servers[0]!.address.split(':')[1];
    const client = createClient({ target: `dns:localhost:${port}` });
    try {
      expect((await client.call<ServedBy>({ api: 'who' })).server).toBe(servers[0]!.address);
    } finally {
      client.close();
    }
  });

  it('fails fast with UNAVAILABLE when no server is reachable', async () => {
    const client = createClient({ target: '127.0.0.1:1', deadlineMs: 10_000 });
    try {
      const started = Date.now();
      await expect(client.call({ api: 'who' })).rejects.toMatchObject({ code: status.UNAVAILABLE, details: expect.stringMatching(/ECONNREFUSED/) });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      client.close();
    }
  });

  it('refuses targets it cannot read', () => {
    expect(() => createClient({ target: 'no-port' })).toThrow(/is not etcd:\/\/\/<prefix>\/<env>\/<service>, dns:<host>:<port> or a host:port list/);
    expect(() => createClient({ target: '127.0.0.1:1', balancer: 'random' as never })).toThrow(/unknown balancer "random"/);
  });
});
