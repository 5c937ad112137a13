import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BalancerName, createClient } from '../../src/client/index.js';
import { connectEtcd } from '../../src/discovery/etcd-connection.js';
import { serviceFolder } from '../../src/discovery/service-key.js';
import { startEtcd, type EtcdProcess } from '../support/etcd.js';
import { waitUntil } from '../support/wait-until.js';
import { CallLoad } from './support/call-load.js';
import { startRankdProcess, type RankdProcess } from './support/rankd-process.js';

const service = { prefix: 'etcd', env: 'p2c-test', service: 'rankd' };
// Large enough that a busy machine's scheduling noise (tens of ms) does not blur slow and fast.
const FAST_MS = 10;
const SLOW_MS = 15 * FAST_MS;
/** Calls in flight: no more than a server's threads, so none queue (see rankd-process.ts). */
const CALLERS = 4;

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

/**
 * One client with one balancer, CALLERS calls in flight without pause, until
 * `calls` are answered after every server was reached. (p2c's forced pick of a
 * server passed over for a second is per balancer: one client keeps it to one
 * call a second.)
 */
async function phase(balancer: BalancerName, calls: number): Promise<{ slowShare: number; p99: number }> {
  const client = createClient({ target: `etcd:///etcd/${service.env}/${service.service}`, etcd: etcd.endpoint, balancer });
  const load = new CallLoad(Array.from({ length: CALLERS }, () => client)).start();
  try {
    await waitUntil(`${balancer}: every server reached`, () => load.countsByServer().size === 3);
    const from = load.served.length;
    await waitUntil(`${balancer}: ${calls} calls`, () => load.served.length >= from + calls, { timeoutMs: 60_000 });
    await load.stop();
    expect(load.failed).toEqual([]);
    const answered = load.served.slice(from);
    const latencies = answered.map((call) => call.latencyMs).sort((a, b) => a - b);
    return {
      slowShare: answered.filter((call) => call.server === servers[0]!.address).length / answered.length,
      p99: latencies[Math.floor(latencies.length * 0.99)]!,
    };
  } finally {
    await load.stop();
    client.close();
  }
}

describe('p2c with one server 15× slower', () => {
  it('sends it under 20 % of calls, with a p99 below round robin in the same run', async () => {
    const p2c = await phase('p2c', 1500);
    // Round robin waits on the slow server for a third of its calls: fewer calls take as long.
    const roundRobin = await phase('round_robin', 300);
    expect(p2c.slowShare).toBeLessThan(0.2);
    expect(roundRobin.slowShare).toBeGreaterThan(0.25);
    expect(p2c.p99).toBeLessThan(roundRobin.p99);
  });
});
