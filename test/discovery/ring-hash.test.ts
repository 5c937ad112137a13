import type { Etcd3 } from 'etcd3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type RankdClient } from '../../src/client/index.js';
import { connectEtcd } from '../../src/discovery/etcd-connection.js';
import { serviceFolder } from '../../src/discovery/service-key.js';
import { startEtcd, type EtcdProcess } from '../support/etcd.js';
import { waitUntil } from '../support/wait-until.js';
import { startRankdProcess, type RankdProcess } from './support/rankd-process.js';

const service = { prefix: 'etcd', env: 'ring-test', service: 'rankd' };
const KEYS = Array.from({ length: 600 }, (_, i) => `user-${i * 7919}`);

let etcd: EtcdProcess;
let observer: Etcd3;
let servers: RankdProcess[] = [];
let client: RankdClient;

const registered = async () => (await observer.getAll().prefix(serviceFolder(service)).keys()).length;

/** Which server each key reaches now. */
async function placement(): Promise<Map<string, string>> {
  const placed = new Map<string, string>();
  for (let i = 0; i < KEYS.length; i += 50) {
    const batch = KEYS.slice(i, i + 50);
    const replies = await Promise.all(batch.map((uid) => client.call<{ server: string }>({ api: 'probe', uid })));
    batch.forEach((uid, k) => placed.set(uid, replies[k]!.server));
  }
  return placed;
}

/**
 * The placement once the client has caught up with the list: keys spread over
 * exactly the listed servers, the same in two rounds in a row (while a
 * connection is still being set up its keys go to the next server).
 */
async function settledPlacement(expected: RankdProcess[]): Promise<Map<string, string>> {
  const want = expected.map((server) => server.address).sort().join();
  let previous: Map<string, string> | undefined;
  return waitUntil('placement over exactly the listed servers, twice the same', async () => {
    const placed = await placement();
    const settled = previous !== undefined && moved(previous, placed).length === 0;
    previous = placed;
    return settled && [...new Set(placed.values())].sort().join() === want ? placed : undefined;
  });
}

function moved(before: Map<string, string>, after: Map<string, string>): string[] {
  return KEYS.filter((uid) => before.get(uid) !== after.get(uid));
}

beforeAll(async () => {
  etcd = await startEtcd();
  observer = connectEtcd(etcd.endpoint);
  servers = await Promise.all([1, 2, 3, 4].map(() => startRankdProcess({ etcd: etcd.endpoint, service })));
  await waitUntil('4 servers registered', async () => (await registered()) === 4);
  client = createClient({ target: `etcd:///etcd/${service.env}/${service.service}`, etcd: etcd.endpoint, balancer: 'ring_hash' });
}, 90_000);

afterAll(async () => {
  client?.close();
  await Promise.all(servers.map((server) => server.destroy()));
  observer?.close();
  await etcd?.destroy();
});

describe('ring_hash over etcd-registered servers', () => {
  let start: Map<string, string>;

  it('sends the same key to the same server every time, spreading keys over all servers', async () => {
    start = await settledPlacement(servers);
    expect(await placement()).toEqual(start);
    expect(await placement()).toEqual(start);
    const perServer = [...start.values()].reduce((m, s) => m.set(s, (m.get(s) ?? 0) + 1), new Map<string, number>());
    for (const count of perServer.values()) expect(count).toBeGreaterThan(KEYS.length / 4 / 2);
  });

  it('moves only the keys of a removed server', async () => {
    const leaving = servers[1]!;
    await leaving.stop();
    const remaining = servers.filter((server) => server !== leaving);
    const after = await settledPlacement(remaining);
    const movedKeys = moved(start, after);
    expect(movedKeys.length).toBeGreaterThan(0);
    expect(movedKeys.every((uid) => start.get(uid) === leaving.address)).toBe(true);
    expect(KEYS.filter((uid) => start.get(uid) === leaving.address)).toEqual(movedKeys);
    servers = remaining.concat(leaving);
    start = after;
  });

  it('moves at most 1.5/N of the keys to an added server, and only to it', async () => {
    const live = servers.filter((server) => server.running);
    const joining = await startRankdProcess({ etcd: etcd.endpoint, service });
    servers.push(joining);
    const after = await settledPlacement([...live, joining]);
    const movedKeys = moved(start, after);
    const n = live.length + 1;
    expect(movedKeys.length).toBeGreaterThan(0);
    expect(movedKeys.length / KEYS.length).toBeLessThanOrEqual(1.5 / n);
    expect(movedKeys.every((uid) => after.get(uid) === joining.address)).toBe(true);
  });
});
