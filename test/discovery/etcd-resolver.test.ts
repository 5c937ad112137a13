import { status } from '@grpc/grpc-js';
import type { Etcd3 } from 'etcd3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/index.js';
import { connectEtcd } from '../../src/discovery/etcd-connection.js';
import { encodeRegistration } from '../../src/discovery/registration-value.js';
import { serverKey } from '../../src/discovery/service-key.js';
import { startEtcd, type EtcdProcess } from '../support/etcd.js';
import { waitUntil } from '../support/wait-until.js';
import { startTinyRankServer, type ServedBy, type TinyRankServer } from './support/tiny-rank-servers.js';

let etcd: EtcdProcess;
let writer: Etcd3;
let server: TinyRankServer;

beforeAll(async () => {
  etcd = await startEtcd();
  writer = connectEtcd(etcd.endpoint);
  server = await startTinyRankServer();
});

afterAll(async () => {
  await server.stop();
  writer.close();
  await etcd.destroy();
});

describe('etcd:/// targets', () => {
  it('fail fast with UNAVAILABLE while nothing is registered, and reach a server once it is', async () => {
    const name = { prefix: 'etcd', env: 'resolver-test', service: 'empty-then-one' };
    const client = createClient({ target: 'etcd:///etcd/resolver-test/empty-then-one', etcd: etcd.endpoint, deadlineMs: 10_000 });
    try {
      const started = Date.now();
      await expect(client.call({ api: 'who' })).rejects.toMatchObject({ code: status.UNAVAILABLE, details: expect.stringMatching(/no servers/) });
      expect(Date.now() - started).toBeLessThan(2000);

      const waiting = client.call<ServedBy>({ api: 'who' }, { waitForReady: true });
      await writer.put(serverKey(name, server.address)).value(encodeRegistration({ address: server.address, metadata: {} }));
      expect((await waiting).server).toBe(server.address);
      expect((await client.call<ServedBy>({ api: 'who' })).server).toBe(server.address);

      await writer.delete().key(serverKey(name, server.address));
      await waitUntil('calls fail again', async () => {
        try {
          await client.call({ api: 'who' });
          return false;
        } catch (e) {
          return (e as { code?: number }).code === status.UNAVAILABLE;
        }
      });
    } finally {
      client.close();
    }
  });

  it('fail fast naming etcd when it cannot be reached before any list', async () => {
    const client = createClient({ target: 'etcd:///etcd/resolver-test/nowhere', etcd: 'http://127.0.0.1:1', deadlineMs: 10_000 });
    try {
      const started = Date.now();
      await expect(client.call({ api: 'who' })).rejects.toMatchObject({ code: status.UNAVAILABLE, details: expect.stringMatching(/etcd unreachable/) });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      client.close();
    }
  });

  it('refuse a target that is not <prefix>/<env>/<service>, and one without etcd endpoints', () => {
    expect(() => createClient({ target: 'etcd:///etcd/only-two', etcd: etcd.endpoint })).toThrow(/<prefix>\/<env>\/<service>/);
    const saved = process.env.RANKD_ETCD;
    delete process.env.RANKD_ETCD;
    try {
      expect(() => createClient({ target: 'etcd:///etcd/a/b' })).toThrow(/RANKD_ETCD/);
    } finally {
      if (saved !== undefined) process.env.RANKD_ETCD = saved;
    }
  });
});
