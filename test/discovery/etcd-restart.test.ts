import type { Etcd3 } from 'etcd3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type RankdClient } from '../../src/client/index.js';
import { connectEtcd } from '../../src/discovery/etcd-connection.js';
import { serviceFolder } from '../../src/discovery/service-key.js';
import { startEtcd, type EtcdProcess } from '../support/etcd.js';
import { waitUntil } from '../support/wait-until.js';
import { CallLoad } from './support/call-load.js';
import { startRankdProcess, type RankdProcess } from './support/rankd-process.js';

const TTL_S = 2;
const service = { prefix: 'etcd', env: 'etcd-restart-test', service: 'rankd' };
const folder = serviceFolder(service);

let etcd: EtcdProcess;
let observer: Etcd3;
let servers: RankdProcess[] = [];
let clients: RankdClient[] = [];
let load: CallLoad;

/** Lease of each registered key, by key. */
async function leasesByKey(): Promise<Map<string, string>> {
  const { kvs } = await observer.getAll().prefix(folder).exec();
  return new Map(kvs.map((kv) => [kv.key.toString(), kv.lease]));
}

async function pause(ms: number): Promise<void> {
  const until = Date.now() + ms;
  await waitUntil(`${ms} ms passed`, () => Date.now() >= until, { timeoutMs: ms + 5000, intervalMs: 50 });
}

beforeAll(async () => {
  etcd = await startEtcd();
  observer = connectEtcd(etcd.endpoint);
  servers = await Promise.all([1, 2, 3].map(() => startRankdProcess({ etcd: etcd.endpoint, service, ttlS: TTL_S })));
  await waitUntil('3 servers registered', async () => (await leasesByKey()).size === 3);
  clients = [1, 2, 3, 4].map(() => createClient({ target: `etcd:///etcd/${service.env}/${service.service}`, etcd: etcd.endpoint }));
  load = new CallLoad(clients).start();
  await waitUntil('every server serving', () => load.countsByServer().size === 3);
}, 90_000);

afterAll(async () => {
  await load?.stop();
  clients.forEach((client) => client.close());
  await Promise.all(servers.map((server) => server.destroy()));
  observer?.close();
  await etcd?.destroy();
});

describe('etcd restarts', () => {
  it('down for 3 × TTL: calls flow on the last list throughout, and every server registers again within TTL + 2 s', async () => {
    const before = await leasesByKey();
    const served = load.served.length;
    await etcd.stop();
    const stoppedAt = Date.now();
    await pause(3 * TTL_S * 1000);
    const servedWhileDown = load.served.filter((call) => call.sentAt > stoppedAt);
    await etcd.start();
    const restartedAt = Date.now();
    // A new lease on every key: each server noticed the loss and registered again.
    await waitUntil(
      'every server registered again',
      async () => {
        const now = await leasesByKey();
        return servers.every((server) => now.has(server.key) && now.get(server.key) !== before.get(server.key));
      },
      { timeoutMs: (TTL_S + 2) * 1000 + 2000, intervalMs: 50 },
    );
    expect(Date.now() - restartedAt).toBeLessThanOrEqual((TTL_S + 2) * 1000);

    expect(load.failed).toEqual([]);
    expect(load.served.length).toBeGreaterThan(served);
    // Every server kept serving while etcd was away.
    expect(new Set(servedWhileDown.map((call) => call.server)).size).toBe(3);
    // The pre-outage leases expire without taking the keys along.
    await pause((TTL_S + 1) * 1000);
    expect([...(await leasesByKey()).keys()].sort()).toEqual(servers.map((server) => server.key).sort());
  });

  it('back with an empty data dir: every server registers again, and a server started afterwards receives calls', async () => {
    await etcd.stop();
    etcd.wipe();
    await etcd.start();
    const restartedAt = Date.now();
    await waitUntil('every server registered again', async () => (await leasesByKey()).size === 3, { timeoutMs: (TTL_S + 2) * 1000 + 2000, intervalMs: 50 });
    expect(Date.now() - restartedAt).toBeLessThanOrEqual((TTL_S + 2) * 1000);

    const newcomer = await startRankdProcess({ etcd: etcd.endpoint, service, ttlS: TTL_S });
    servers.push(newcomer);
    // The clients' watches began before the wipe: a watch resumed at the old revision would never see this key.
    await waitUntil('the new server receives calls', () => load.countsByServer().has(newcomer.address), { timeoutMs: 10_000 });
    expect(load.failed).toEqual([]);
  });
});
