/**
 * Faults around service discovery, with rankd servers as child processes
 * registered in a real etcd, and four clients of the etcd target calling
 * without pause: servers leaving on SIGTERM (a rolling restart), and etcd
 * itself dying.
 */
import type { Etcd3 } from 'etcd3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type RankdClient } from '../../src/client/index.js';
import { connectEtcd } from '../../src/discovery/etcd-connection.js';
import { serviceFolder, type ServiceName } from '../../src/discovery/service-key.js';
import { CallLoad } from '../discovery/support/call-load.js';
import { startRankdProcess, type RankdProcess } from '../discovery/support/rankd-process.js';
import { startEtcd, type EtcdProcess } from '../support/etcd.js';
import { waitUntil } from '../support/wait-until.js';

const TTL_S = 2;
const service: ServiceName = { prefix: 'etcd', env: 'fault-test', service: 'rankd' };

let etcd: EtcdProcess;
let observer: Etcd3;
/** The servers serving now (stopped ones leave this list). */
let live: RankdProcess[] = [];
const stopped: RankdProcess[] = [];
let clients: RankdClient[] = [];
let load: CallLoad;

const startServer = () => startRankdProcess({ etcd: etcd.endpoint, service, ttlS: TTL_S, drainMs: 1000 });
const registeredKeys = async () => (await observer.getAll().prefix(serviceFolder(service)).keys()).sort();
const liveKeys = () => live.map((server) => server.key).sort();

/** Resolves once each live server has answered `calls` calls since the `from`-th answer. */
async function everyLiveServerAnswers(from: number, calls = 20): Promise<void> {
  await waitUntil(
    'every live server answers',
    () => {
      const counts = load.countsByServer(from);
      return live.every((server) => (counts.get(server.address) ?? 0) >= calls) || load.failed.length > 0;
    },
    { timeoutMs: 30_000 },
  );
}

beforeAll(async () => {
  etcd = await startEtcd();
  observer = connectEtcd(etcd.endpoint);
  live = await Promise.all([1, 2, 3].map(() => startServer()));
  await waitUntil('3 servers registered', async () => (await registeredKeys()).length === 3);
  clients = [1, 2, 3, 4].map(() => createClient({ target: `etcd:///${service.prefix}/${service.env}/${service.service}`, etcd: etcd.endpoint }));
  load = new CallLoad(clients).start();
  await everyLiveServerAnswers(0);
}, 120_000);

afterAll(async () => {
  await load?.stop();
  clients.forEach((client) => client.close());
  await Promise.all([...live, ...stopped].map((server) => server.destroy()));
  observer?.close();
  await etcd?.destroy();
});

describe('discovery faults under load from 4 clients', () => {
  it('SIGTERM: a rolling restart of every server loses no call', async () => {
    for (const leaving of [...live]) {
      const exit = await leaving.stop();
      expect(exit, leaving.output).toBe('exited with code 0');
      live = live.filter((server) => server !== leaving);
      stopped.push(leaving);
      const from = load.served.length;
      const newcomer = await startServer();
      live.push(newcomer);
      await everyLiveServerAnswers(from);
      expect(load.countsByServer(from).get(leaving.address)).toBeUndefined();
    }
    expect(load.failed).toEqual([]);
    await waitUntil('only the new servers registered', async () => JSON.stringify(await registeredKeys()) === JSON.stringify(liveKeys()));
  });

  it('etcd killed: calls keep flowing on the last server list, a server may leave meanwhile, and registrations return with etcd', async () => {
    const killedAt = Date.now();
    const sinceKill = load.served.length;
    await etcd.kill();
    // Down for longer than the lease TTL: the clients cannot have heard anything new meanwhile.
    await waitUntil('etcd down for TTL + 1 s', () => Date.now() >= killedAt + (TTL_S + 1) * 1000, { timeoutMs: (TTL_S + 5) * 1000 });
    await everyLiveServerAnswers(sinceKill, 100);

    const leaving = live[0]!;
    const exit = await leaving.stop();
    expect(exit, leaving.output).toBe('exited with code 0');
    live = live.filter((server) => server !== leaving);
    stopped.push(leaving);
    const from = load.served.length;
    await everyLiveServerAnswers(from, 100);
    expect(load.countsByServer(from).get(leaving.address)).toBeUndefined();

    await etcd.start();
    // The servers register again; the key of the one that left while etcd was away expires with its lease.
    await waitUntil('the live servers registered, the leaver gone', async () => JSON.stringify(await registeredKeys()) === JSON.stringify(liveKeys()), {
      timeoutMs: (TTL_S + 10) * 1000,
    });
    await everyLiveServerAnswers(load.served.length);
    expect(load.failed).toEqual([]);
  });
});
