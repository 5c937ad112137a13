import type { Etcd3 } from 'etcd3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type RankdClient } from '../../src/client/index.js';
import { connectEtcd } from '../../src/discovery/etcd-connection.js';
import { serviceFolder, type ServiceName } from '../../src/discovery/service-key.js';
import { startEtcd, type EtcdProcess } from '../support/etcd.js';
import { waitUntil } from '../support/wait-until.js';
import { CallLoad } from './support/call-load.js';
import { KeyEvents } from './support/key-events.js';
import { startRankdProcess, type RankdProcess } from './support/rankd-process.js';

const TTL_S = 2;

let etcd: EtcdProcess;
let observer: Etcd3;
let servers: RankdProcess[] = [];
let clients: RankdClient[] = [];
let events: KeyEvents | undefined;
let serviceNumber = 0;

beforeAll(async () => {
  etcd = await startEtcd();
  observer = connectEtcd(etcd.endpoint);
});

afterEach(async () => {
  clients.splice(0).forEach((client) => client.close());
  await events?.stop();
  await Promise.all(servers.splice(0).map((server) => server.destroy()));
});

afterAll(async () => {
  observer?.close();
  await etcd?.destroy();
});

/** Three registered servers of a fresh service, and four clients of it that have reached all three. */
async function clusterUnderLoad(): Promise<{ service: ServiceName; load: CallLoad }> {
  const service = { prefix: 'etcd', env: 'loss-test', service: `svc${serviceNumber++}` };
  servers = await Promise.all([1, 2, 3].map(() => startRankdProcess({ etcd: etcd.endpoint, service, ttlS: TTL_S, drainMs: 1000 })));
  events = await new KeyEvents(observer, serviceFolder(service)).start();
  await waitUntil('3 servers registered', async () => (await observer.getAll().prefix(serviceFolder(service)).keys()).length === 3);
  clients = [1, 2, 3, 4].map(() =>
    createClient({ target: `etcd:///etcd/${service.env}/${service.service}`, etcd: etcd.endpoint, balancer: 'round_robin' }),
  );
  const load = new CallLoad(clients).start();
  await waitUntil('every server serving', () => load.countsByServer().size === 3);
  return { service, load };
}

describe('losing a server under load', () => {
  it('graceful stop (SIGTERM): no call fails, and it stops receiving calls within 100 ms of its key deletion', async () => {
    const { load } = await clusterUnderLoad();
    const leaving = servers[0]!;
    const stoppedAt = Date.now();
    const exit = await leaving.stop();
    const servedBefore = load.served.length;
    await waitUntil('more calls after the stop', () => load.served.length > servedBefore + 200);
    await load.stop();

    expect(load.failed).toEqual([]);
    expect(exit).toBe('exited with code 0');
    // The operator sees the whole shutdown in the log, in order.
    expect(leaving.output).toMatch(/"rankd stopping[^"]*"[\s\S]*"deregistering from etcd"[\s\S]*"rankd stopped"/);
    const deletion = events!.deletion(leaving.key, stoppedAt);
    expect(deletion, 'key deleted').toBeDefined();
    // Sent, not served: on a busy machine the server itself may run a call late.
    const lastSent = Math.max(...load.served.filter((call) => call.server === leaving.address).map((call) => call.sentAt));
    expect(lastSent - deletion!.at).toBeLessThanOrEqual(100);
    // The others carried on.
    const after = load.served.filter((call) => call.sentAt > deletion!.at + 100);
    expect(new Set(after.map((call) => call.server))).toEqual(new Set([servers[1]!.address, servers[2]!.address]));
  });

  it('kill -9: no call fails thanks to retries, and its key is gone within TTL + 1 s', async () => {
    const { load } = await clusterUnderLoad();
    const victim = servers[0]!;
    const killedAt = Date.now();
    await victim.kill();
    const deletion = await waitUntil('key deleted', () => events!.deletion(victim.key, killedAt), { timeoutMs: (TTL_S + 5) * 1000 });
    const servedBefore = load.served.length;
    await waitUntil('more calls after the deletion', () => load.served.length > servedBefore + 200);
    await load.stop();

    expect(load.failed).toEqual([]);
    expect(deletion.at - killedAt).toBeLessThanOrEqual((TTL_S + 1) * 1000);
    expect(load.served.filter((call) => call.server === victim.address && call.sentAt > killedAt)).toEqual([]);
  });
});
