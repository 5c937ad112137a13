import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BalancerName, createClient } from '../../src/client/index.js';
import { connectEtcd } from '../../src/discovery/etcd-connection.js';
import { serviceFolder } from '../../src/discovery/service-key.js';
import { startEtcd, type EtcdProcess } from '../support/etcd.js';
import { waitUntil } from '../support/wait-until.js';
import { CallLoad } from './support/call-load.js';
import { startRankdProcess, type RankdProcess } from './support/rankd-process.js';

const service = { prefix: 'etcd', env: 'p2c-test', service: 'rankd' };
const FAST_MS = 2;
const SLOW_MS = 15 * FAST_MS;
const PHASE_CALLS = 1500;

let etcd: EtcdProcess;
let servers: RankdProcess[] = [];

beforeAll(async () => {
  etcd = await startEtcd();
  servers = await Promise.all(
    [SLOW_MS, FAST_MS, FAST_MS].map((delayMs) => startRankdProcess({ etcd: etcd.endpoint, service, delayMs })),
  );
  const observer = connectEtcd(etcd.endpoint);
  try {
    await waitUntil('3 servers registered', async () => (await observer.getAll().prefix(serviceFolder(service)).keys()).length === 3);
  } finally {
    observer.close();
  }
}, 90_000);

afterAll(async () => {
  await Promise.all(servers.map((server) => server.destroy()));
  await etcd?.destroy();
});

/** Four clients with one balancer calling without pause until PHASE_CALLS are answered (after every server was reached). */
async function phase(balancer: BalancerName): Promise<{ slowShare: number; p99: number }> {
  const clients = [1, 2, 3, 4].map(() => createClient({ target: `etcd:///etcd/${service.env}/${service.service}`, etcd: etcd.endpoint, balancer }));
  const load = new CallLoad(clients).start();
  try {
    await waitUntil(`${balancer}: every server reached`, () => load.countsByServer().size === 3);
    const from = load.served.length;
    await waitUntil(`${balancer}: ${PHASE_CALLS} calls`, () => load.served.length >= from + PHASE_CALLS, { timeoutMs: 60_000 });
    await load.stop();
    expect(load.failed).toEqual([]);
    const calls = load.served.slice(from);
    const latencies = calls.map((call) => call.latencyMs).sort((a, b) => a - b);
    return {
      slowShare: calls.filter((call) => call.server === servers[0]!.address).length / calls.length,
      p99: latencies[Math.floor(latencies.length * 0.99)]!,
    };
  } finally {
    await load.stop();
    clients.forEach((client) => client.close());
  }
}

describe('p2c with one server 15× slower', () => {
  it('sends it under 20 % of calls, with a p99 below round robin in the same run', async () => {
    const p2c = await phase('p2c');
    const roundRobin = await phase('round_robin');
    console.log('P2CDBG', p2c, roundRobin);
    expect(p2c.slowShare).toBeLessThan(0.2);
    expect(roundRobin.slowShare).toBeGreaterThan(0.25);
    expect(p2c.p99).toBeLessThan(roundRobin.p99);
  });
});
